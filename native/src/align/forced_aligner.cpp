#include "align/forced_aligner.h"

#include "align/decoding_graph.h"
#include "align/viterbi_decoder.h"
#include "common/engine_error.h"

namespace speakai {

namespace {

void ValidateOptions(const AlignerOptions& options, int32_t numPhones) {
  ValidateTopology(options.topology);
  ValidateAcousticOptions(options.acoustics, numPhones);
  ValidateUtteranceGraphOptions(options.graph, numPhones);
  if (!(options.beam > 0.0) || !(options.retryBeam >= 0.0)) {
    throw EngineError(ErrorCode::kInvalidArgument, "beam must be positive, retry beam non-negative");
  }
}

WordSegment MakeWordSegment(const std::vector<PhoneSegment>& phones, int32_t first, int32_t end) {
  const PhoneSegment& head = phones[static_cast<size_t>(first)];
  const PhoneSegment& tail = phones[static_cast<size_t>(end - 1)];
  WordSegment word;
  word.word = head.word;
  word.pronunciation = head.pronunciation;
  word.firstPhone = first;
  word.numPhones = end - first;
  word.startFrame = head.startFrame;
  word.endFrame = tail.endFrame;
  word.startMs = head.startMs;
  word.endMs = tail.endMs;
  double sum = 0.0;
  for (int32_t i = first; i < end; ++i) {
    const PhoneSegment& phone = phones[static_cast<size_t>(i)];
    sum += static_cast<double>(phone.meanLogPosterior) * (phone.endFrame - phone.startFrame);
  }
  word.meanLogPosterior = static_cast<float>(sum / (word.endFrame - word.startFrame));
  return word;
}

// Words are the runs of phone segments sharing a word index; the graph makes
// every word appear exactly once, in order.
std::vector<WordSegment> GroupWords(const std::vector<PhoneSegment>& phones) {
  std::vector<WordSegment> words;
  const int32_t count = static_cast<int32_t>(phones.size());
  int32_t first = 0;
  for (int32_t i = 1; i <= count; ++i) {
    const int32_t word = phones[static_cast<size_t>(first)].word;
    if (i < count && phones[static_cast<size_t>(i)].word == word) continue;
    if (word >= 0) words.push_back(MakeWordSegment(phones, first, i));
    first = i;
  }
  return words;
}

ViterbiPath DecodeWithRetry(const DecodingGraph& graph, const EmissionTable& emissions,
                            const AlignerOptions& options, bool* usedRetryBeam) {
  ViterbiPath path = ViterbiDecode(graph, emissions, options.beam);
  *usedRetryBeam = !path.reachedFinal && options.retryBeam > options.beam;
  if (*usedRetryBeam) path = ViterbiDecode(graph, emissions, options.retryBeam);
  return path;
}

}  // namespace

const char* AlignStatusName(AlignStatus status) {
  switch (status) {
    case AlignStatus::kAligned: return "ALIGNED";
    case AlignStatus::kTooFewFrames: return "TOO_FEW_FRAMES";
    case AlignStatus::kNoPathWithinBeam: return "NO_PATH_WITHIN_BEAM";
  }
  return "NO_PATH_WITHIN_BEAM";
}

Alignment AlignUtterance(const LogPosteriorMatrix& posteriors, const std::vector<ExpectedWord>& words,
                         const AlignerOptions& options) {
  ValidateLogPosteriors(posteriors);
  ValidateExpectedWords(words, posteriors.numPhones);
  ValidateOptions(options, posteriors.numPhones);

  Alignment alignment;
  if (posteriors.numFrames < MinimumFrames(words, options.topology)) return alignment;

  const DecodingGraph graph = BuildUtteranceGraph(words, options.topology, options.graph);
  const EmissionTable emissions(posteriors, options.acoustics);
  const ViterbiPath path = DecodeWithRetry(graph, emissions, options, &alignment.usedRetryBeam);
  if (!path.reachedFinal) {
    alignment.status = AlignStatus::kNoPathWithinBeam;
    return alignment;
  }
  alignment.status = AlignStatus::kAligned;
  alignment.phones = SegmentPath(graph, path.states, posteriors);
  alignment.words = GroupWords(alignment.phones);
  alignment.totalScore = path.score;
  alignment.scorePerFrame = path.score / posteriors.numFrames;
  alignment.match = MatchForcedPath(posteriors, alignment.phones, options.mismatchThreshold);
  return alignment;
}

}  // namespace speakai
