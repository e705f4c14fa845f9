#include <algorithm>
#include <string>
#include <thread>
#include <vector>

#include "harness.h"
#include "phonemes/espeak.h"
#include "phonemes/ipa.h"
#include "phonemes/phonemizer.h"
#include "phonemes/synthesizer.h"

using namespace speakai;

namespace {

std::string Ipas(const std::vector<Phone>& phones) {
  std::string out;
  for (const Phone& p : phones) out += (out.empty() ? "" : " ") + p.ipa + std::to_string(static_cast<int>(p.stress));
  return out;
}

std::string WordTexts(const std::vector<PhonemizedWord>& words) {
  std::string out;
  for (const PhonemizedWord& w : words) out += (out.empty() ? "" : "|") + w.text;
  return out;
}

}  // namespace

TEST(parses_separated_ipa_with_stress) {
  IpaWord w = ParseIpaWord("h_ə_l_ˈoʊ", '_');
  CHECK(w.ipa == "həlˈoʊ");
  CHECK(Ipas(w.phones) == "h0 ə0 l0 oʊ1");
  CHECK(Ipas(ParseIpaWord("p_ˌiː__ˈɛ_m", '_').phones) == "p0 iː2 ɛ1 m0");
  CHECK(Ipas(ParseIpaWord("(en)w_ˈɜː_l_d(es)", '_').phones) == "w0 ɜː1 l0 d0");
  CHECK(Ipas(ParseIpaWord("ˈ_a_b", '_').phones) == "a1 b0");
  CHECK(ParseIpaWord("", '_').phones.empty());
}

TEST(splits_words_and_trims_punctuation) {
  auto joined = [](const std::string& text) {
    std::string out;
    for (const std::string& w : SplitWords(text)) out += (out.empty() ? "" : "|") + w;
    return out;
  };
  CHECK(joined("¿Dónde está?") == "Dónde|está");
  CHECK(joined("  hello   world!!! ") == "hello|world");
  CHECK(joined("don't stop-believing") == "don't|stop-believing");
  CHECK(joined("«Hola», “amigo” — ...") == "Hola|amigo");
  CHECK(joined(" ... ").empty());
}

TEST(english_words_phones_and_stress) {
  const std::vector<PhonemizedWord> words = TextToPhonemes("Hello, world!", "en-us");
  CHECK(WordTexts(words) == "Hello|world");
  CHECK(words.size() == 2 && words[0].ipa == "həlˈoʊ" && Ipas(words[0].phones) == "h0 ə0 l0 oʊ1");
}

TEST(words_keep_in_context_pronunciation_and_multiword_numbers) {
  const std::vector<PhonemizedWord> words = TextToPhonemes("I have 42 cats.", "en-us");
  CHECK(WordTexts(words) == "I|have|42|cats");
  CHECK(words.size() == 4 && words[2].ipa.find(' ') != std::string::npos);  // "forty two"
  // "a" is unstressed in context, stressed when alone.
  const std::vector<PhonemizedWord> a = TextToPhonemes("a cat", "en-us");
  CHECK(a.size() == 2 && a[0].phones.size() == 1 && a[0].phones[0].stress == Stress::kNone);
}

TEST(spanish) {
  const std::vector<PhonemizedWord> words = TextToPhonemes("¿Dónde está el baño?", "es");
  CHECK(WordTexts(words) == "Dónde|está|el|baño");
  CHECK(words.size() == 4 && Ipas(words[3].phones) == "β0 a1 ɲ0 o0");
}

TEST(phonemizer_errors) {
  CHECK_ENGINE_ERROR(TextToPhonemes("hello", "xx-nope"), ErrorCode::kLanguageUnsupported);
  CHECK_ENGINE_ERROR(TextToPhonemes("hello", "en;rm -rf"), ErrorCode::kLanguageUnsupported);
  CHECK_ENGINE_ERROR(TextToPhonemes(" ... ", "en-us"), ErrorCode::kTextEmpty);
  CHECK_ENGINE_ERROR(TextToPhonemes(std::string(kMaxTextBytes + 1, 'a'), "en-us"), ErrorCode::kTextTooLong);
  // A failed selection must not break the next valid one.
  CHECK(TextToPhonemes("hola", "es").size() == 1);
}

TEST(lists_languages) {
  const std::vector<EspeakLanguage> languages = EspeakLanguages();
  auto has = [&](const char* tag) {
    return std::any_of(languages.begin(), languages.end(), [&](const auto& l) { return l.language == tag; });
  };
  CHECK(languages.size() > 50);
  CHECK(has("en-us") && has("es") && has("fr-fr"));
}

TEST(synthesis_gives_monotonic_phone_times_inside_the_audio) {
  for (int i = 0; i < 2; ++i) {  // the second run checks times restart at 0
    const SynthesizedSpeech speech = Synthesize("Hello world. How are you?", {"en-us", 175, 50});
    CHECK(speech.durationMs() > 1000 && speech.durationMs() < 4000);
    CHECK(speech.phones.size() >= 12);
    CHECK(!speech.phones.empty() && speech.phones.front().ipa == "h" && speech.phones.front().startMs < 100);
    double previousEnd = 0;
    for (const TimedPhone& p : speech.phones) {
      CHECK(p.startMs >= previousEnd - 1e-9 && p.endMs >= p.startMs && p.endMs <= speech.durationMs());
      previousEnd = p.endMs;
    }
  }
}

TEST(synthesis_rate_pitch_and_errors) {
  const double normal = Synthesize("one two three four", {"en-us", 175, 50}).durationMs();
  const double fast = Synthesize("one two three four", {"en-us", 350, 80}).durationMs();
  CHECK(fast < 0.75 * normal);
  CHECK(!Synthesize("uno dos tres", {"es", 175, 50}).phones.empty());
  CHECK_ENGINE_ERROR(Synthesize("hello", {"en-us", 20, 50}), ErrorCode::kInvalidArgument);
  CHECK_ENGINE_ERROR(Synthesize("hello", {"en-us", 175, 101}), ErrorCode::kInvalidArgument);
  CHECK_ENGINE_ERROR(Synthesize("hello", {"zz", 175, 50}), ErrorCode::kLanguageUnsupported);
  CHECK_ENGINE_ERROR(Synthesize("", {"en-us", 175, 50}), ErrorCode::kTextEmpty);
}

TEST(concurrent_callers_are_serialized) {
  const std::string expected = Ipas(TextToPhonemes("hello", "en-us")[0].phones);
  std::vector<std::thread> threads;
  std::vector<int> ok(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 5; ++i) {
        const bool phonemesOk = Ipas(TextToPhonemes("hello", "en-us")[0].phones) == expected;
        const bool synthOk = !Synthesize("hola amigo", {"es", 175, 50}).phones.empty();
        ok[t] += phonemesOk && synthOk;
      }
    });
  }
  for (std::thread& th : threads) th.join();
  for (int count : ok) CHECK(count == 5);
}
