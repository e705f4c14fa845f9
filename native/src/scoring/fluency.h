#pragma once

#include <cstdint>
#include <vector>

#include "align/segments.h"
#include "scoring/gop.h"

namespace speakai {

// Silences shorter than this between words are part of fluent speech (stop
// closures, breaths between phrases of connected speech); 250 ms is the
// threshold de Jong & Bosker (2013) found to predict fluency ratings best.
constexpr double kPauseMinMs = 250.0;

// Temporal measures of fluency, from the forced alignment. Speaking time runs
// from the first expected phone's start to the last one's end; pauses are the
// silences the aligner placed between words (edges excluded) of at least
// kPauseMinMs.
struct Fluency {
  double speakingMs = 0.0;
  double articulationMs = 0.0;     // speaking time less the pauses
  double phonesPerSecond = 0.0;    // articulation rate: phones / articulation time
  double wordsPerMinute = 0.0;     // speech rate: words / speaking time
  int32_t pauses = 0;
  double pauseMs = 0.0;            // their total
  double longestPauseMs = 0.0;
  std::vector<PhoneSegment> pauseSpans;
};

Fluency MeasureFluency(const std::vector<PhoneGop>& phones, int32_t numWords,
                       const std::vector<PhoneSegment>& silences);

}  // namespace speakai
