#include "scoring/fluency.h"

#include <algorithm>

namespace speakai {

Fluency MeasureFluency(const std::vector<PhoneGop>& phones, int32_t numWords,
                       const std::vector<PhoneSegment>& silences) {
  Fluency fluency;
  if (phones.empty()) return fluency;
  const double start = phones.front().segment.startMs;
  const double end = phones.back().segment.endMs;
  fluency.speakingMs = end - start;
  for (const PhoneSegment& silence : silences) {
    const double ms = silence.endMs - silence.startMs;
    // Edge silences lie outside [start, end): they are waiting, not pausing.
    if (silence.startMs < start || silence.endMs > end || ms < kPauseMinMs) continue;
    ++fluency.pauses;
    fluency.pauseMs += ms;
    fluency.longestPauseMs = std::max(fluency.longestPauseMs, ms);
    fluency.pauseSpans.push_back(silence);
  }
  fluency.articulationMs = fluency.speakingMs - fluency.pauseMs;
  if (fluency.articulationMs > 0.0) {
    fluency.phonesPerSecond = 1000.0 * static_cast<double>(phones.size()) / fluency.articulationMs;
  }
  if (fluency.speakingMs > 0.0) fluency.wordsPerMinute = 60000.0 * numWords / fluency.speakingMs;
  return fluency;
}

}  // namespace speakai
