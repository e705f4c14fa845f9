#pragma once

#include <cstdint>
#include <vector>

#include "align/hmm_topology.h"

namespace speakai {

// One phone occurrence of a graph: what a stretch of frames is reported as.
struct PhoneUnit {
  int32_t phone = 0;
  int32_t word = -1;           // index into the expected words; -1: silence or phone loop
  int32_t pronunciation = -1;  // index into that word's pronunciations; -1 outside words
};

struct GraphArc {
  int32_t to;
  double weight;  // log probability, already scaled
};

// An epsilon-free graph whose every state emits one phone per frame, as in a
// compiled Kaldi alignment graph after HMM expansion. Arcs go from the state
// of frame t to the state of frame t+1; initial and final weights are -inf
// for states that cannot start or end the utterance.
struct DecodingGraph {
  std::vector<PhoneUnit> units;
  std::vector<int32_t> stateUnit;
  std::vector<int32_t> statePhone;  // units[stateUnit[s]].phone, kept flat for the decoder's inner loop
  std::vector<std::vector<GraphArc>> arcs;
  std::vector<double> initialWeight;
  std::vector<double> finalWeight;

  int32_t NumStates() const { return static_cast<int32_t>(stateUnit.size()); }
};

struct HmmSpan {
  int32_t first;  // entry state
  int32_t last;   // the state whose forward arc leaves the phone
};

// Appends a new unit and its topology.numStates states with their self-loops
// and internal forward arcs; the caller connects first/last.
HmmSpan AddPhoneHmm(DecodingGraph* graph, const PhoneUnit& unit, const HmmTopology& topology);

void AddArc(DecodingGraph* graph, int32_t from, int32_t to, double weight);

}  // namespace speakai
