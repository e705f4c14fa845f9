#include "phonemes/ipa.h"

#include <cctype>
#include <cstring>

namespace speakai {

namespace {

constexpr const char* kPrimaryStress = "\u02C8";    // ˈ
constexpr const char* kSecondaryStress = "\u02CC";  // ˌ

// Removes every occurrence of `mark`; returns whether there was one.
bool EraseAll(std::string& s, const char* mark) {
  const size_t length = std::strlen(mark);
  bool found = false;
  for (size_t pos = s.find(mark); pos != std::string::npos; pos = s.find(mark, pos)) {
    s.erase(pos, length);
    found = true;
  }
  return found;
}

// Length of an espeak language-switch marker such as "(en)" or "(en-us)"
// starting at s[pos], or 0.
size_t LanguageSwitchAt(const std::string& s, size_t pos) {
  if (s[pos] != '(') return 0;
  size_t i = pos + 1;
  while (i < s.size() && (std::isalpha(static_cast<unsigned char>(s[i])) || s[i] == '-')) ++i;
  return i > pos + 1 && i < s.size() && s[i] == ')' ? i + 1 - pos : 0;
}

std::string WithoutLanguageSwitches(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size();) {
    const size_t marker = LanguageSwitchAt(s, i);
    if (marker == 0) out += s[i];
    i += marker == 0 ? 1 : marker;
  }
  return out;
}

// Punctuation that may wrap a word: ASCII punctuation plus the common
// typographic marks (UTF-8) that users paste in reference texts.
const char* const kUnicodePunctuation[] = {
    "\u00BF", "\u00A1", "\u00AB", "\u00BB", "\u201C", "\u201D", "\u2018",
    "\u2019", "\u201E", "\u2014", "\u2013", "\u2026", "\u3001", "\u3002",
};

// Length of the punctuation mark that starts at `begin` / ends at `end` in
// s[begin, end), or 0.
size_t LeadingPunctuation(const std::string& s, size_t begin, size_t end) {
  if (std::ispunct(static_cast<unsigned char>(s[begin]))) return 1;
  for (const char* mark : kUnicodePunctuation) {
    const size_t n = std::strlen(mark);
    if (end - begin >= n && s.compare(begin, n, mark) == 0) return n;
  }
  return 0;
}

size_t TrailingPunctuation(const std::string& s, size_t begin, size_t end) {
  if (std::ispunct(static_cast<unsigned char>(s[end - 1]))) return 1;
  for (const char* mark : kUnicodePunctuation) {
    const size_t n = std::strlen(mark);
    if (end - begin >= n && s.compare(end - n, n, mark) == 0) return n;
  }
  return 0;
}

std::string TrimPunctuation(const std::string& token) {
  size_t begin = 0, end = token.size();
  for (size_t n; begin < end && (n = LeadingPunctuation(token, begin, end)) > 0;) begin += n;
  for (size_t n; begin < end && (n = TrailingPunctuation(token, begin, end)) > 0;) end -= n;
  return token.substr(begin, end - begin);
}

}  // namespace

IpaWord ParseIpaWord(const std::string& separated, char separator) {
  IpaWord word;
  const std::string clean = WithoutLanguageSwitches(separated);
  Stress pending = Stress::kNone;
  size_t start = 0;
  while (start <= clean.size()) {
    size_t end = clean.find(separator, start);
    if (end == std::string::npos) end = clean.size();
    std::string chunk = clean.substr(start, end - start);
    word.ipa += chunk;
    if (EraseAll(chunk, kPrimaryStress)) pending = Stress::kPrimary;
    if (EraseAll(chunk, kSecondaryStress) && pending == Stress::kNone) pending = Stress::kSecondary;
    // A chunk holding only a stress mark passes it on to the next phone.
    if (!chunk.empty()) {
      word.phones.push_back({chunk, pending});
      pending = Stress::kNone;
    }
    start = end + 1;
  }
  return word;
}

std::vector<std::string> SplitWords(const std::string& text) {
  std::vector<std::string> words;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    const size_t start = i;
    while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    if (i > start) {
      std::string word = TrimPunctuation(text.substr(start, i - start));
      if (!word.empty()) words.push_back(std::move(word));
    }
  }
  return words;
}

}  // namespace speakai
