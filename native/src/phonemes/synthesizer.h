#pragma once

#include <string>
#include <vector>

#include "common/constants.h"

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
  std::vector<float> samples;      // mono, at sampleRate
  std::vector<TimedPhone> phones;  // in order, non-overlapping, pauses left out
  int sampleRate = kSampleRate;
  double durationMs() const;
};

// Synthetic speech with exact phone boundaries (espeak-ng's own phoneme
// events) at the engine's rate, e.g. to test the aligner. Throws TEXT_EMPTY,
// TEXT_TOO_LONG, LANGUAGE_UNSUPPORTED, VOICE_UNSUPPORTED, INVALID_ARGUMENT,
// SYNTHESIS_FAILED.
SynthesizedSpeech Synthesize(const std::string& text, const SynthesisOptions& options);

// The same at espeak-ng's own rate (22050 Hz): what reference audio is
// encoded from. The only part that needs espeak's thread. `voice`: an
// espeak-ng voice identifier (listLanguages' voiceId, e.g. "gmw/en-US") that
// replaces the language's preferred voice, or empty.
SynthesizedSpeech SynthesizeNative(const std::string& text, const SynthesisOptions& options,
                                   const std::string& voice = {});

// Resamples to kSampleRate; phone times stay (clipped to the new length).
SynthesizedSpeech ToEngineRate(SynthesizedSpeech speech);

// What produced the audio (espeak-ng and libav versions, the emphasis
// algorithm's revision): part of a reference-audio cache key.
std::string SynthesisVersion();

}  // namespace speakai
