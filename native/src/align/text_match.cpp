#include "align/text_match.h"

namespace speakai {

TextMatch MatchForcedPath(const LogPosteriorMatrix& posteriors, const std::vector<PhoneSegment>& segments,
                          double threshold) {
  TextMatch match;
  if (posteriors.numFrames == 0) return match;
  double forced = 0.0;
  double best = 0.0;
  for (const PhoneSegment& segment : segments) {
    for (int32_t t = segment.startFrame; t < segment.endFrame; ++t) {
      forced += posteriors.At(t, segment.phone);
      best += BestLogPosterior(posteriors, t);
    }
  }
  match.forcedLogPosteriorPerFrame = forced / posteriors.numFrames;
  match.bestLogPosteriorPerFrame = best / posteriors.numFrames;
  match.gapPerFrame = match.bestLogPosteriorPerFrame - match.forcedLogPosteriorPerFrame;
  match.matches = match.gapPerFrame <= threshold;
  return match;
}

}  // namespace speakai
