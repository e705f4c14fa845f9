#pragma once

#include <cstdint>
#include <vector>

#include "align/log_posteriors.h"
#include "align/segments.h"
#include "scoring/gop_calibration.h"

namespace speakai {

// Layout of PhoneGop::features, Kaldi's compute-gop phone-level features
// reduced to what a learned scorer needs: [LPP, LPR, duration in frames,
// mean log posterior of phone 0 .. numPhones-1 over the segment].
constexpr int32_t kGopFeatureLpp = 0;
constexpr int32_t kGopFeatureLpr = 1;
constexpr int32_t kGopFeatureDuration = 2;
constexpr int32_t kGopFeaturePhoneMeans = 3;
inline int32_t GopFeatureDim(int32_t numPhones) { return kGopFeaturePhoneMeans + numPhones; }

// Goodness of pronunciation of one phone segment, frames [s, e), canonical phone p:
//   LPP = 1/(e-s) sum_t log P(p | o_t)
//   LPR = LPP - 1/(e-s) sum_t max_q log P(q | o_t)      (<= 0; 0: p was the best on every frame)
//   saidAs = argmax_{q != p} 1/(e-s) sum_t log P(q | o_t)
struct PhoneGop {
  PhoneSegment segment;
  int32_t durationFrames = 0;
  double lpp = 0.0;
  double lpr = 0.0;
  int32_t saidAs = -1;  // -1 only with a one-phone inventory
  double saidAsLpp = 0.0;
  double score = 0.0;  // GopScore(lpr), 0..100
  std::vector<float> features;
};

// Throws INVALID_ARGUMENT for a segment outside the matrix or a bad phone id.
PhoneGop ComputePhoneGop(const LogPosteriorMatrix& posteriors, const PhoneSegment& segment,
                         const GopCalibration& calibration);

// The GOP of every phone of the expected words (segments with word >= 0), in
// order: optional silences are the aligner's choice, not something to score.
std::vector<PhoneGop> ComputeGop(const LogPosteriorMatrix& posteriors, const std::vector<PhoneSegment>& segments,
                                 const GopCalibration& calibration);

}  // namespace speakai
