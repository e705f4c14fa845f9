#pragma once

#include <string>
#include <vector>

#include "phonemes/ipa.h"

namespace speakai {

struct PhonemizedWord {
  std::string text;  // the word as written in the input, punctuation trimmed
  std::string ipa;   // espeak-ng's IPA for it, stress marks kept
  std::vector<Phone> phones;
};

// Reference pronunciation of `text` in `language` (an espeak-ng language tag
// such as "en-us", "es"). Words that espeak does not voice are left out.
// Throws TEXT_EMPTY, TEXT_TOO_LONG, LANGUAGE_UNSUPPORTED.
std::vector<PhonemizedWord> TextToPhonemes(const std::string& text, const std::string& language);

// Longest text accepted by TextToPhonemes and Synthesize, in UTF-8 bytes.
constexpr size_t kMaxTextBytes = 5000;

// Shared text checks for the espeak-backed operations.
void ValidateText(const std::string& text);

}  // namespace speakai
