#include "phonemes/phonemizer.h"

#include <numeric>

#include "common/engine_error.h"
#include "phonemes/espeak.h"

namespace speakai {

namespace {

PhonemizedWord MakeWord(const std::string& text, std::vector<std::string>::const_iterator first,
                        std::vector<std::string>::const_iterator last) {
  PhonemizedWord word{text, "", {}};
  for (auto it = first; it != last; ++it) {
    IpaWord parsed = ParseIpaWord(*it, kEspeakPhonemeSeparator);
    if (!word.ipa.empty()) word.ipa += ' ';
    word.ipa += parsed.ipa;
    word.phones.insert(word.phones.end(), parsed.phones.begin(), parsed.phones.end());
  }
  return word;
}

}  // namespace

void ValidateText(const std::string& text) {
  if (text.size() > kMaxTextBytes) {
    throw EngineError(ErrorCode::kTextTooLong,
                      "text is longer than " + std::to_string(kMaxTextBytes) + " bytes");
  }
  if (SplitWords(text).empty()) throw EngineError(ErrorCode::kTextEmpty, "text has no words");
}

// espeak phonemizes whole clauses, so a word's pronunciation can depend on its
// neighbours ("the apple" vs "the cat"), but its output does not say which
// input word produced which phonetic word, and one word may produce several
// ("42" -> "fˈɔːɾi tˈuː"). So: phonemize the whole text for the pronunciation,
// and each word alone only to learn how many phonetic words it yields; when
// the counts add up, slice the in-context output by them. When they do not
// (espeak merged or split across words), fall back to the isolated forms.
std::vector<PhonemizedWord> TextToPhonemes(const std::string& text, const std::string& language) {
  ValidateText(text);
  const std::vector<std::string> tokens = SplitWords(text);
  std::vector<std::string> batch{text};
  batch.insert(batch.end(), tokens.begin(), tokens.end());
  const std::vector<std::vector<std::string>> phonetic = EspeakTextToPhonemes(batch, language);

  const std::vector<std::string>& inContext = phonetic[0];
  const size_t isolatedTotal = std::accumulate(
      phonetic.begin() + 1, phonetic.end(), size_t{0},
      [](size_t sum, const std::vector<std::string>& words) { return sum + words.size(); });
  const bool aligned = isolatedTotal == inContext.size();

  std::vector<PhonemizedWord> words;
  auto next = inContext.begin();
  for (size_t i = 0; i < tokens.size(); ++i) {
    const std::vector<std::string>& isolated = phonetic[i + 1];
    if (isolated.empty()) continue;
    if (aligned) {
      words.push_back(MakeWord(tokens[i], next, next + static_cast<long>(isolated.size())));
      next += static_cast<long>(isolated.size());
    } else {
      words.push_back(MakeWord(tokens[i], isolated.begin(), isolated.end()));
    }
  }
  return words;
}

}  // namespace speakai
