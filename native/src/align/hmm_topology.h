#pragma once

#include <cstdint>

namespace speakai {

// Every phone is the same left-to-right HMM: numStates emitting states, each
// with a self-loop and one forward arc (the last state's forward arc leaves the
// phone), so a phone lasts at least numStates frames. All states of a phone
// emit that phone's log posterior (a monophone hybrid model has one output per
// phone, not per state).
struct HmmTopology {
  int32_t numStates = 3;
  // Kaldi's prototype topologies (utils/gen_topo.pl) start at 0.75 / 0.25.
  double selfLoopProb = 0.75;
  // Multiplies the HMM transition log-probabilities. 0.1 matches Kaldi's
  // alignment scripts (--transition-scale=1.0 --self-loop-scale=0.1), which
  // for a single forward arc per state amounts to scaling both arcs by 0.1:
  // transitions then weigh like the acoustics at --acoustic-scale=0.1.
  double transitionScale = 0.1;

  double SelfLoopLogProb() const;
  double ForwardLogProb() const;
};

// Throws INVALID_ARGUMENT for numStates < 1, selfLoopProb outside (0, 1) or a
// negative transitionScale.
void ValidateTopology(const HmmTopology& topology);

}  // namespace speakai
