#include "align/phone_loop.h"

#include <cmath>

#include "align/decoding_graph.h"
#include "align/viterbi_decoder.h"
#include "common/engine_error.h"

namespace speakai {

namespace {

DecodingGraph BuildPhoneLoopGraph(int32_t numPhones, const PhoneLoopOptions& options) {
  DecodingGraph graph;
  std::vector<HmmSpan> spans;
  for (int32_t phone = 0; phone < numPhones; ++phone) {
    spans.push_back(AddPhoneHmm(&graph, {phone, -1, -1}, options.topology));
  }
  const double enter = -options.phoneInsertionPenalty;
  const double leave = options.topology.ForwardLogProb();
  for (const HmmSpan& from : spans) {
    graph.initialWeight[static_cast<size_t>(from.first)] = enter;
    graph.finalWeight[static_cast<size_t>(from.last)] = leave;
    for (const HmmSpan& to : spans) {
      if (to.first != from.first) AddArc(&graph, from.last, to.first, leave + enter);
    }
  }
  return graph;
}

}  // namespace

PhoneLoopResult RecognizePhones(const LogPosteriorMatrix& posteriors, const PhoneLoopOptions& options) {
  ValidateLogPosteriors(posteriors);
  ValidateTopology(options.topology);
  ValidateAcousticOptions(options.acoustics, posteriors.numPhones);
  if (!std::isfinite(options.phoneInsertionPenalty)) {
    throw EngineError(ErrorCode::kInvalidArgument, "phone insertion penalty must be finite");
  }
  PhoneLoopResult result;
  const DecodingGraph graph = BuildPhoneLoopGraph(posteriors.numPhones, options);
  const ViterbiPath path = ViterbiDecode(graph, EmissionTable(posteriors, options.acoustics), INFINITY);
  if (!path.reachedFinal) return result;
  result.phones = SegmentPath(graph, path.states, posteriors);
  result.totalScore = path.score;
  return result;
}

}  // namespace speakai
