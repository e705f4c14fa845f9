#pragma once

#include <string>
#include <vector>

namespace speakai {

// Lexical stress, CMUdict-style numbering.
enum class Stress { kNone = 0, kPrimary = 1, kSecondary = 2 };

struct Phone {
  std::string ipa;  // without stress marks, e.g. "oʊ", "tʃ", "ɜː"
  Stress stress = Stress::kNone;
};

struct IpaWord {
  std::string ipa;  // the word as espeak writes it, stress marks kept: "həlˈoʊ"
  std::vector<Phone> phones;
};

// Parses one phonetic word written with `separator` between phonemes
// ("h_ə_l_ˈoʊ"). espeak-ng writes a stress mark right before the stressed
// syllable's vowel, i.e. inside that vowel's chunk, so the mark becomes the
// stress of the phone it precedes. Language-switch markers such as "(en)"
// are dropped.
IpaWord ParseIpaWord(const std::string& separated, char separator);

// Splits text on whitespace and trims punctuation around each token
// ("¿Dónde" -> "Dónde", "world!!!" -> "world"; inner "'" and "-" stay).
// Tokens that are only punctuation are dropped.
std::vector<std::string> SplitWords(const std::string& text);

}  // namespace speakai
