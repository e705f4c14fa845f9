#pragma once

#include <string>
#include <vector>

#include "phonemes/synthesizer.h"

namespace speakai {

struct EmphasisOptions {
  double stretch = 1.6;  // how much longer an emphasized phone lasts, 1..3
  double gainDb = 4.0;   // how much louder, 0..12 dB (less where it would clip)
};

// Most phonemes one request may emphasize.
constexpr size_t kMaxEmphasized = 16;

// The phoneme as espeak names it (textToPhonemes' `ipa`): "/θ/", "[θ]" and
// "ˈɪ" name θ and ɪ. Throws INVALID_ARGUMENT for a name that is empty after that.
std::string NormalizePhonemeName(const std::string& name);

// Makes every phone of `speech` named in `phonemes` longer (pitch-preserving
// time stretch) and a little louder (raised-cosine ramps, no clicks), and
// moves the later phone timings by what was added, so the timings stay exact:
// an emphasized phone lasts round(samples x stretch) samples, every other
// phone as long as before. Throws PHONEME_NOT_IN_TEXT when a named phoneme
// is not among the phones (the message lists the ones there are),
// INVALID_ARGUMENT for bad names or options.
void Emphasize(SynthesizedSpeech& speech, const std::vector<std::string>& phonemes,
               const EmphasisOptions& options = {});

}  // namespace speakai
