#pragma once

#include <vector>

#include "align/emissions.h"
#include "align/hmm_topology.h"
#include "align/log_posteriors.h"
#include "align/segments.h"

namespace speakai {

struct PhoneLoopOptions {
  HmmTopology topology;  // its numStates is the minimum phone duration in frames
  AcousticOptions acoustics;
  // Subtracted from the (scaled) score for every phone entered. Each extra
  // phone already costs numStates forward arcs instead of self-loops
  // (0.33 with the default topology, i.e. 3.3 nats of raw evidence at
  // acoustic scale 0.1); this adds 1 nat more, so a spurious phone needs about
  // 4.3 nats over its frames to beat the phones around it.
  double phoneInsertionPenalty = 0.1;
};

struct PhoneLoopResult {
  std::vector<PhoneSegment> phones;  // word == -1 throughout; empty when numFrames < numStates
  double totalScore = 0.0;
};

// The unconstrained best phone sequence: exact Viterbi over a loop of every
// phone of the inventory (any phone may follow any other phone, never itself:
// a repeat would be indistinguishable from a longer phone).
// Throws INVALID_ARGUMENT for unusable posteriors or options.
PhoneLoopResult RecognizePhones(const LogPosteriorMatrix& posteriors, const PhoneLoopOptions& options);

}  // namespace speakai
