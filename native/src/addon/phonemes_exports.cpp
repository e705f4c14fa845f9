#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "addon/exports.h"
#include "addon/js_values.h"
#include "addon/promise_worker.h"
#include "addon/queued_promise.h"
#include "audio/encoder.h"
#include "common/constants.h"
#include "phonemes/emphasis.h"
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

// What synthesize() does after espeak: emphasis, then PCM at the engine rate
// or an encoded file. nullopt format: 'pcm'.
struct SpeechRequest {
  std::optional<AudioFormat> format;
  std::vector<std::string> emphasize;
};

struct FinishedSpeech {
  SynthesizedSpeech speech;
  std::optional<AudioFormat> format;
  EncodedAudio encoded;
};

std::optional<AudioFormat> FormatOption(const Napi::Object& options) {
  const std::string name = StringOption(options, "format", "pcm");
  if (name == "pcm") return std::nullopt;
  try {
    return ParseAudioFormat(name);
  } catch (const EngineError&) {
    ThrowInvalidArgument(options.Env(), "format must be one of pcm, wav, opus, mp3");
  }
}

std::vector<std::string> StringListOption(const Napi::Object& options, const char* key) {
  const Napi::Value value = options.Get(key);
  std::vector<std::string> items;
  if (value.IsUndefined()) return items;
  if (!value.IsArray()) ThrowInvalidArgument(options.Env(), std::string(key) + " must be an array of strings");
  const auto array = value.As<Napi::Array>();
  for (uint32_t i = 0; i < array.Length(); ++i) {
    const Napi::Value item = array.Get(i);
    if (!item.IsString()) ThrowInvalidArgument(options.Env(), std::string(key) + " must be an array of strings");
    items.push_back(item.As<Napi::String>().Utf8Value());
  }
  return items;
}

FinishedSpeech Finish(SynthesizedSpeech speech, const SpeechRequest& request) {
  if (!request.emphasize.empty()) Emphasize(speech, request.emphasize);
  if (!request.format) return {ToEngineRate(std::move(speech)), std::nullopt, {}};
  EncodedAudio encoded = EncodeAudio(speech.samples.data(), speech.samples.size(), speech.sampleRate, *request.format);
  return {std::move(speech), request.format, std::move(encoded)};
}

Napi::Value FinishedToJs(Napi::Env env, FinishedSpeech& finished) {
  Napi::Object result = Napi::Object::New(env);
  if (finished.format) {
    result.Set("format", AudioFormatName(*finished.format));
    result.Set("contentType", AudioFormatMimeType(*finished.format));
    result.Set("audio", Napi::Buffer<uint8_t>::Copy(env, finished.encoded.bytes.data(), finished.encoded.bytes.size()));
    result.Set("sampleRate", finished.encoded.sampleRate);
  } else {
    result.Set("samples", ToFloat32Array(env, finished.speech.samples));
    result.Set("sampleRate", finished.speech.sampleRate);
  }
  result.Set("durationMs", finished.speech.durationMs());
  result.Set("phones", ToArray(env, finished.speech.phones, TimedPhoneToJs));
  return result;
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

// synthesize(text, {language?, voice?, rate?, pitch?, format?, emphasize?})
//   format 'pcm' (default) -> Promise<{samples: Float32Array, sampleRate, durationMs, phones: [{ipa, startMs, endMs}]}>
//   'wav' | 'opus' | 'mp3' -> Promise<{format, contentType, audio: Buffer, sampleRate, durationMs, phones}>
// espeak runs on its thread; emphasis, resampling and encoding then run on the
// libuv pool, so the espeak thread is free for the next request meanwhile.
Napi::Value Synthesize(const Napi::CallbackInfo& info) {
  std::string text = StringArg(info, 0, "text");
  const Napi::Object options = OptionsArg(info, 1);
  SynthesisOptions synthesis;
  synthesis.language = StringOption(options, "language", synthesis.language);
  std::string voice = StringOption(options, "voice", "");
  synthesis.rate = IntegerOption(options, "rate", synthesis.rate);
  synthesis.pitch = IntegerOption(options, "pitch", synthesis.pitch);
  SpeechRequest request{FormatOption(options), StringListOption(options, "emphasize")};
  return StartEspeak<SynthesizedSpeech>(
      info.Env(), "speakai.synthesize",
      [text = std::move(text), synthesis, voice = std::move(voice)] {
        return speakai::SynthesizeNative(text, synthesis, voice);
      },
      [request = std::move(request)](Napi::Env env, SynthesizedSpeech& speech) -> Napi::Value {
        // Resolving with the second Promise hands its outcome to the caller.
        return PromiseWorker<FinishedSpeech>::Start(
            env, "speakai.finishSpeech",
            [speech = std::move(speech), request]() mutable { return Finish(std::move(speech), request); },
            FinishedToJs);
      });
}

// synthesisVersion() -> string: what made the audio, for cache keys.
Napi::Value SynthesisVersion(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), speakai::SynthesisVersion());
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
