#include "phonemes/espeak.h"

#include <espeak-ng/speak_lib.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <mutex>

#include "common/engine_error.h"

namespace speakai {

namespace {

std::mutex g_mutex;

// Everything below is guarded by g_mutex.
struct EspeakState {
  int sampleRate = 0;
  std::string language;     // currently selected voice's language ("voice:<id>" for a voice), "" if none
  EspeakAudio* sink = nullptr;  // where OnSynth writes during EspeakSynthesize
};
EspeakState g_state;

int OnSynth(short* wav, int count, espeak_EVENT* events) {
  EspeakAudio* sink = g_state.sink;
  if (sink == nullptr) return 0;
  if (wav != nullptr && count > 0) sink->samples.insert(sink->samples.end(), wav, wav + count);
  for (const espeak_EVENT* e = events; e != nullptr && e->type != espeakEVENT_LIST_TERMINATED; ++e) {
    if (e->type != espeakEVENT_PHONEME) continue;
    // id.string is not NUL-terminated when the name fills all 8 bytes.
    const size_t length = strnlen(e->id.string, sizeof(e->id.string));
    sink->phonemes.push_back({std::string(e->id.string, length), e->sample});
  }
  return 0;  // continue synthesis
}

void EnsureInitialized() {
  if (g_state.sampleRate > 0) return;
  // PHONEME_EVENTS + PHONEME_IPA: synthesis reports each phoneme, named in IPA.
  // DONT_EXIT: report missing espeak-ng-data instead of calling exit().
  const int rate = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, nullptr,
                                     espeakINITIALIZE_PHONEME_EVENTS | espeakINITIALIZE_PHONEME_IPA |
                                         espeakINITIALIZE_DONT_EXIT);
  if (rate <= 0) {
    throw EngineError(ErrorCode::kEspeakUnavailable,
                      "espeak-ng failed to initialize (is espeak-ng-data installed?)");
  }
  espeak_SetSynthCallback(&OnSynth);
  g_state.sampleRate = rate;
}

bool IsLanguageTag(const std::string& language) {
  return !language.empty() && language.size() <= 32 &&
         std::all_of(language.begin(), language.end(), [](unsigned char c) {
           return std::isalnum(c) || c == '-' || c == '_';
         });
}

void SelectLanguage(const std::string& language) {
  if (language == g_state.language) return;
  if (IsLanguageTag(language)) {
    espeak_VOICE wanted{};
    wanted.languages = language.c_str();
    if (espeak_SetVoiceByProperties(&wanted) == EE_OK) {
      g_state.language = language;
      return;
    }
  }
  g_state.language.clear();  // a failed selection may leave espeak on another voice
  throw EngineError(ErrorCode::kLanguageUnsupported,
                    "espeak-ng has no voice for language '" + language + "'");
}

// Identifiers as espeak lists them ("gmw/en-US"): path-like, so nothing that
// could step out of espeak-ng-data.
bool IsVoiceId(const std::string& voice) {
  return !voice.empty() && voice.size() <= 64 && voice.front() != '/' && voice.find("..") == std::string::npos &&
         std::all_of(voice.begin(), voice.end(), [](unsigned char c) {
           return std::isalnum(c) || c == '-' || c == '_' || c == '/';
         });
}

void SelectVoice(const std::string& voice) {
  const std::string key = "voice:" + voice;
  if (key == g_state.language) return;
  if (IsVoiceId(voice) && espeak_SetVoiceByName(voice.c_str()) == EE_OK) {
    g_state.language = key;
    return;
  }
  g_state.language.clear();
  throw EngineError(ErrorCode::kVoiceUnsupported, "espeak-ng has no voice '" + voice + "'");
}

// espeak_VOICE::languages is a sequence of [priority byte][name\0], ended by
// a zero priority byte.
void AppendLanguages(const espeak_VOICE& voice, std::vector<EspeakLanguage>& out) {
  for (const char* p = voice.languages; p != nullptr && *p != 0; p += std::strlen(p + 1) + 2) {
    out.push_back({p + 1, voice.name ? voice.name : "", voice.identifier ? voice.identifier : "",
                   static_cast<unsigned char>(*p)});
  }
}

std::vector<std::string> PhonemizeOne(const std::string& text) {
  std::vector<std::string> words;
  const int mode = espeakPHONEMES_IPA | (static_cast<int>(kEspeakPhonemeSeparator) << 8);
  const void* cursor = text.c_str();
  // espeak returns one clause per call and advances the cursor; it sets it to
  // null after the last clause.
  while (cursor != nullptr) {
    const void* before = cursor;
    const char* clause = espeak_TextToPhonemes(&cursor, espeakCHARS_UTF8, mode);
    for (const char* p = clause; p != nullptr && *p != 0;) {
      const char* end = std::strchr(p, ' ');
      if (end == nullptr) end = p + std::strlen(p);
      if (end > p) words.emplace_back(p, end);
      p = *end ? end + 1 : end;
    }
    if (cursor == before) break;
  }
  return words;
}

}  // namespace

SerialQueue& EspeakQueue() {
  static SerialQueue queue;
  return queue;
}

std::vector<EspeakLanguage> EspeakLanguages() {
  std::lock_guard<std::mutex> lock(g_mutex);
  EnsureInitialized();
  std::vector<EspeakLanguage> languages;
  for (const espeak_VOICE** v = espeak_ListVoices(nullptr); v != nullptr && *v != nullptr; ++v) {
    AppendLanguages(**v, languages);
  }
  std::sort(languages.begin(), languages.end(), [](const auto& a, const auto& b) {
    return a.language != b.language ? a.language < b.language : a.priority < b.priority;
  });
  return languages;
}

void EspeakTerminate() {
  std::lock_guard<std::mutex> lock(g_mutex);
  if (g_state.sampleRate == 0) return;
  espeak_Terminate();
  g_state = EspeakState{};
}

std::vector<std::vector<std::string>> EspeakTextToPhonemes(const std::vector<std::string>& texts,
                                                           const std::string& language) {
  std::lock_guard<std::mutex> lock(g_mutex);
  EnsureInitialized();
  SelectLanguage(language);
  std::vector<std::vector<std::string>> result;
  result.reserve(texts.size());
  for (const std::string& text : texts) result.push_back(PhonemizeOne(text));
  return result;
}

std::string EspeakVersion() { return espeak_Info(nullptr); }

EspeakAudio EspeakSynthesize(const std::string& text, const std::string& language, int rate,
                             int pitch, const std::string& voice) {
  std::lock_guard<std::mutex> lock(g_mutex);
  EnsureInitialized();
  if (voice.empty()) {
    SelectLanguage(language);
  } else {
    SelectVoice(voice);
  }
  espeak_SetParameter(espeakRATE, rate, 0);
  espeak_SetParameter(espeakPITCH, pitch, 0);

  EspeakAudio audio;
  audio.sampleRate = g_state.sampleRate;
  struct SinkGuard {
    explicit SinkGuard(EspeakAudio* sink) { g_state.sink = sink; }
    ~SinkGuard() { g_state.sink = nullptr; }
  } guard(&audio);

  // Plain UTF-8 text: no espeakSSML and no espeakPHONEMES, so user text cannot
  // inject markup or raw phoneme codes.
  const espeak_ERROR rc = espeak_Synth(text.c_str(), text.size() + 1, 0, POS_CHARACTER, 0,
                                       espeakCHARS_UTF8, nullptr, nullptr);
  if (rc != EE_OK) {
    throw EngineError(ErrorCode::kSynthesisFailed, "espeak_Synth failed with code " + std::to_string(rc));
  }
  return audio;
}

}  // namespace speakai
