#pragma once

#include <string>
#include <vector>

namespace speakai {

struct SynthesisOptions {
  std::string language = "en-us";
  int rate = 175;  // words per minute, 80..450
  int pitch = 50;  // 0..100
};

struct TimedPhone {
  std::string ipa;
  double startMs = 0;
  double endMs = 0;
};

struct SynthesizedSpeech {
  std::vector<float> samples;     // mono, kSampleRate
  std::vector<TimedPhone> phones;  // in order, non-overlapping, pauses left out
  double durationMs() const;
};

// Synthetic speech with exact phone boundaries (espeak-ng's own phoneme
// events), e.g. to test the aligner. Throws TEXT_EMPTY, TEXT_TOO_LONG,
// LANGUAGE_UNSUPPORTED, INVALID_ARGUMENT, SYNTHESIS_FAILED.
SynthesizedSpeech Synthesize(const std::string& text, const SynthesisOptions& options);

}  // namespace speakai
