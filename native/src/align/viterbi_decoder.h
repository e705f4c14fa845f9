#pragma once

#include <cstdint>
#include <limits>
#include <vector>

#include "align/decoding_graph.h"
#include "align/emissions.h"

namespace speakai {

struct ViterbiPath {
  bool reachedFinal = false;
  double score = -std::numeric_limits<double>::infinity();  // best path's total log score
  std::vector<int32_t> states;                              // one graph state per frame
};

// Frame-synchronous token passing (Kaldi's SimpleDecoder/FasterDecoder without
// max-active): after each frame, tokens worse than the frame's best by more
// than `beam` are dropped. An infinite beam gives exact Viterbi. When no token
// that survives the last frame sits in a final state, reachedFinal is false
// and no path is returned: the caller decides whether to retry wider.
// Memory: one int32 back-pointer per frame and state.
ViterbiPath ViterbiDecode(const DecodingGraph& graph, const EmissionTable& emissions, double beam);

}  // namespace speakai
