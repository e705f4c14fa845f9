#pragma once

#include <vector>

#include "align/log_posteriors.h"
#include "align/segments.h"

namespace speakai {

// "Is this audio the expected text?" The forced path's mean log posterior per
// frame against the best any path could get, the per-frame maximum (a free
// phone loop without duration or insertion constraints). Raw posteriors, no
// scale or prior, so the threshold means the same whatever the decoder options.
struct TextMatch {
  double forcedLogPosteriorPerFrame = 0.0;
  double bestLogPosteriorPerFrame = 0.0;
  double gapPerFrame = 0.0;  // best - forced, >= 0
  bool matches = false;      // gapPerFrame <= threshold
};

// 2 nats: on average over the utterance the forced phone is e^2 (7.4) times
// less likely than the frame's best phone. Correct text with accented phones
// leaves most frames near 0; another sentence puts most frames far above.
constexpr double kDefaultMismatchThreshold = 2.0;

// segments: a complete forced path (covering every frame).
TextMatch MatchForcedPath(const LogPosteriorMatrix& posteriors, const std::vector<PhoneSegment>& segments,
                          double threshold);

}  // namespace speakai
