#include "align/hmm_topology.h"

#include <cmath>

#include "common/engine_error.h"

namespace speakai {

double HmmTopology::SelfLoopLogProb() const { return transitionScale * std::log(selfLoopProb); }

double HmmTopology::ForwardLogProb() const { return transitionScale * std::log1p(-selfLoopProb); }

void ValidateTopology(const HmmTopology& topology) {
  if (topology.numStates < 1 || !(topology.selfLoopProb > 0.0 && topology.selfLoopProb < 1.0) ||
      !(topology.transitionScale >= 0.0)) {
    throw EngineError(ErrorCode::kInvalidArgument, "HMM topology: bad numStates, selfLoopProb or transitionScale");
  }
}

}  // namespace speakai
