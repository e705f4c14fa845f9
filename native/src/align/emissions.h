#pragma once

#include <cstdint>
#include <vector>

#include "align/log_posteriors.h"

namespace speakai {

struct AcousticOptions {
  // Kaldi's default for alignment and decoding (gmm-align-compiled, the
  // align_si.sh scripts): frames are not independent, so the raw acoustic
  // evidence overwhelms every other score without it.
  double acousticScale = 0.1;
  // Natural-log phone priors, one per phone, or empty. When given, emissions
  // are scaled likelihoods log p(p|o) - log p(p) as in a hybrid DNN-HMM;
  // otherwise the posteriors are used directly.
  std::vector<float> logPriors;
};

// The decoder's per-frame, per-phone score: acousticScale * (log posterior - log prior).
class EmissionTable {
 public:
  EmissionTable(const LogPosteriorMatrix& posteriors, const AcousticOptions& options);

  int32_t numFrames() const { return numFrames_; }
  const double* Row(int32_t frame) const { return scores_.data() + static_cast<size_t>(frame) * numPhones_; }

 private:
  int32_t numFrames_;
  size_t numPhones_;
  std::vector<double> scores_;
};

// Throws INVALID_ARGUMENT for a non-positive scale or priors of the wrong size or not finite.
void ValidateAcousticOptions(const AcousticOptions& options, int32_t numPhones);

}  // namespace speakai
