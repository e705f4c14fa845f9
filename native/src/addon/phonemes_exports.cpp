#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "addon/exports.h"
#include "addon/js_values.h"
#include "addon/queued_promise.h"
#include "common/constants.h"
#include "phonemes/espeak.h"
#include "phonemes/phonemizer.h"
#include "phonemes/synthesizer.h"

namespace speakai::addon {

namespace {

template <typename T, typename Convert>
Napi::Array ToArray(Napi::Env env, const std::vector<T>& items, Convert convert) {
  Napi::Array array = Napi::Array::New(env, items.size());
  for (size_t i = 0; i < items.size(); ++i) array.Set(static_cast<uint32_t>(i), convert(env, items[i]));
  return array;
}

Napi::Object PhoneToJs(Napi::Env env, const Phone& phone) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("ipa", phone.ipa);
  o.Set("stress", static_cast<int>(phone.stress));
  return o;
}

Napi::Object WordToJs(Napi::Env env, const PhonemizedWord& word) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("text", word.text);
  o.Set("ipa", word.ipa);
  o.Set("phones", ToArray(env, word.phones, PhoneToJs));
  return o;
}

Napi::Object TimedPhoneToJs(Napi::Env env, const TimedPhone& phone) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("ipa", phone.ipa);
  o.Set("startMs", phone.startMs);
  o.Set("endMs", phone.endMs);
  return o;
}

Napi::Object LanguageToJs(Napi::Env env, const EspeakLanguage& language) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("language", language.language);
  o.Set("voice", language.voice);
  o.Set("voiceId", language.voiceId);
  o.Set("priority", language.priority);
  return o;
}

// espeak work runs on its own thread (EspeakQueue), never on the libuv pool:
// it is serialized anyway, so calls waiting for it would otherwise hold pool
// threads that decoding and features need.
template <typename Result>
Napi::Promise StartEspeak(Napi::Env env, const char* name, std::function<Result()> compute,
                          std::function<Napi::Value(Napi::Env, Result&)> toJs) {
  return QueuedPromise<Result>::Start(env, EspeakQueue(), name, std::move(compute), std::move(toJs));
}

}  // namespace

// textToPhonemes(text, language) -> Promise<{words: [{text, ipa, phones: [{ipa, stress}]}]}>
Napi::Value TextToPhonemes(const Napi::CallbackInfo& info) {
  std::string text = StringArg(info, 0, "text");
  std::string language = StringArg(info, 1, "language");
  return StartEspeak<std::vector<PhonemizedWord>>(
      info.Env(), "speakai.textToPhonemes",
      [text = std::move(text), language = std::move(language)] {
        return speakai::TextToPhonemes(text, language);
      },
      [](Napi::Env env, std::vector<PhonemizedWord>& words) -> Napi::Value {
        Napi::Object result = Napi::Object::New(env);
        result.Set("words", ToArray(env, words, WordToJs));
        return result;
      });
}

// synthesize(text, {language?, rate?, pitch?})
//   -> Promise<{samples: Float32Array, sampleRate, durationMs, phones: [{ipa, startMs, endMs}]}>
Napi::Value Synthesize(const Napi::CallbackInfo& info) {
  std::string text = StringArg(info, 0, "text");
  const Napi::Object options = OptionsArg(info, 1);
  SynthesisOptions synthesis;
  synthesis.language = StringOption(options, "language", synthesis.language);
  synthesis.rate = IntegerOption(options, "rate", synthesis.rate);
  synthesis.pitch = IntegerOption(options, "pitch", synthesis.pitch);
  return StartEspeak<SynthesizedSpeech>(
      info.Env(), "speakai.synthesize",
      [text = std::move(text), synthesis] { return speakai::Synthesize(text, synthesis); },
      [](Napi::Env env, SynthesizedSpeech& speech) -> Napi::Value {
        Napi::Object result = Napi::Object::New(env);
        result.Set("samples", ToFloat32Array(env, speech.samples));
        result.Set("sampleRate", kSampleRate);
        result.Set("durationMs", speech.durationMs());
        result.Set("phones", ToArray(env, speech.phones, TimedPhoneToJs));
        return result;
      });
}

// listLanguages() -> Promise<[{language, voice, voiceId, priority}]>
// Async although fast: it queues behind any synthesis in progress.
Napi::Value ListLanguages(const Napi::CallbackInfo& info) {
  return StartEspeak<std::vector<EspeakLanguage>>(
      info.Env(), "speakai.listLanguages", [] { return EspeakLanguages(); },
      [](Napi::Env env, std::vector<EspeakLanguage>& languages) -> Napi::Value {
        return ToArray(env, languages, LanguageToJs);
      });
}

}  // namespace speakai::addon
