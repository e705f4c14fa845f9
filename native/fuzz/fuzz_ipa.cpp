// The IPA parser and word splitter on arbitrary bytes: memory safety for any
// input, and the invariants callers rely on for valid UTF-8 (what espeak-ng
// and the JS layer hand them).
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "phonemes/ipa.h"

namespace {

void Require(bool condition) {
  if (!condition) std::abort();
}

bool Contains(const std::string& s, const char* part) { return s.find(part) != std::string::npos; }

// Well-formed UTF-8 (RFC 3629, table 3-7 of the Unicode standard): no
// overlongs, surrogates or code points above U+10FFFF.
bool IsUtf8(const std::string& s) {
  for (size_t i = 0; i < s.size();) {
    const auto lead = static_cast<unsigned char>(s[i]);
    size_t length;
    unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
    if (lead < 0x80) {
      length = 1;
    } else if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3;
      if (lead == 0xE0) lo = 0xA0;
      if (lead == 0xED) hi = 0x9F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4;
      if (lead == 0xF0) lo = 0x90;
      if (lead == 0xF4) hi = 0x8F;
    } else {
      return false;
    }
    if (i + length > s.size()) return false;
    for (size_t k = 1; k < length; ++k) {
      const auto b = static_cast<unsigned char>(s[i + k]);
      if (b < (k == 1 ? lo : 0x80) || b > (k == 1 ? hi : 0xBF)) return false;
    }
    i += length;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);

  const speakai::IpaWord word = speakai::ParseIpaWord(input, '_');
  const std::vector<std::string> tokens = speakai::SplitWords(input);
  if (!IsUtf8(input)) return 0;

  Require(word.ipa.size() <= input.size());
  for (const speakai::Phone& phone : word.phones) {
    Require(!phone.ipa.empty() && phone.ipa.find('_') == std::string::npos);
    Require(!Contains(phone.ipa, "\u02C8") && !Contains(phone.ipa, "\u02CC"));  // stress marks moved out
  }

  for (const std::string& token : tokens) {
    Require(!token.empty());
    for (unsigned char c : token) Require(!std::isspace(c));
    Require(!std::ispunct(static_cast<unsigned char>(token.front())) &&
            !std::ispunct(static_cast<unsigned char>(token.back())));
  }
  return 0;
}
