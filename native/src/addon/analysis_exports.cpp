#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "addon/exports.h"
#include "addon/js_values.h"
#include "addon/model_handle.h"
#include "addon/promise_worker.h"
#include "analysis/analyze.h"

namespace speakai::addon {

namespace {

// The words as the engine needs them, and their texts, which only the result needs.
struct WordsArg {
  std::vector<ExpectedWord> words;
  std::vector<std::string> texts;
};

int32_t PhoneIdArg(Napi::Env env, const Napi::Value& value) {
  const double id = value.IsNumber() ? value.As<Napi::Number>().DoubleValue() : -1.0;
  // The range against the inventory is CheckAnalysisInput's (it knows the model).
  if (!(std::fabs(id) <= INT32_MAX && id == std::floor(id))) ThrowInvalidArgument(env, "phone ids must be integers");
  return static_cast<int32_t>(id);
}

// [{text: string, pronunciations: number[][]}, ...], at least one word.
WordsArg ParseWords(const Napi::CallbackInfo& info, size_t index) {
  Napi::Env env = info.Env();
  if (!info[index].IsArray() || info[index].As<Napi::Array>().Length() == 0) {
    ThrowInvalidArgument(env, "words must be a non-empty array");
  }
  const auto array = info[index].As<Napi::Array>();
  WordsArg parsed;
  for (uint32_t w = 0; w < array.Length(); ++w) {
    const Napi::Value item = array.Get(w);
    if (!item.IsObject()) ThrowInvalidArgument(env, "every word must be {text, pronunciations}");
    const auto word = item.As<Napi::Object>();
    if (!word.Get("text").IsString()) ThrowInvalidArgument(env, "word.text must be a string");
    if (!word.Get("pronunciations").IsArray()) ThrowInvalidArgument(env, "word.pronunciations must be an array");
    parsed.texts.push_back(word.Get("text").As<Napi::String>().Utf8Value());
    const auto pronunciations = word.Get("pronunciations").As<Napi::Array>();
    ExpectedWord expected;
    for (uint32_t p = 0; p < pronunciations.Length(); ++p) {
      const Napi::Value phones = pronunciations.Get(p);
      if (!phones.IsArray()) ThrowInvalidArgument(env, "every pronunciation must be an array of phone ids");
      const auto ids = phones.As<Napi::Array>();
      std::vector<int32_t> pronunciation;
      for (uint32_t i = 0; i < ids.Length(); ++i) pronunciation.push_back(PhoneIdArg(env, ids.Get(i)));
      expected.pronunciations.push_back(std::move(pronunciation));
    }
    parsed.words.push_back(std::move(expected));
  }
  return parsed;
}

const char* StatusName(AlignStatus status) {
  switch (status) {
    case AlignStatus::kAligned: return "aligned";
    case AlignStatus::kTooFewFrames: return "too-few-frames";
    case AlignStatus::kNoPathWithinBeam: return "no-path-within-beam";
  }
  return "no-path-within-beam";
}

const char* EditKindName(PhoneEditKind kind) {
  switch (kind) {
    case PhoneEditKind::kMatch: return "match";
    case PhoneEditKind::kSubstitution: return "substitution";
    case PhoneEditKind::kDeletion: return "deletion";
    case PhoneEditKind::kInsertion: return "insertion";
  }
  return "match";
}

Napi::Object Span(Napi::Env env, const PhoneSegment& segment) {
  Napi::Object span = Napi::Object::New(env);
  span.Set("startMs", segment.startMs);
  span.Set("endMs", segment.endMs);
  return span;
}

Napi::Object PhoneResult(Napi::Env env, const PhoneGop& gop) {
  Napi::Object phone = Span(env, gop.segment);
  phone.Set("phone", gop.segment.phone);
  phone.Set("word", gop.segment.word);
  phone.Set("durationFrames", gop.durationFrames);
  phone.Set("lpp", gop.lpp);
  phone.Set("lpr", gop.lpr);
  phone.Set("saidAs", gop.saidAs);
  phone.Set("saidAsLpp", gop.saidAsLpp);
  phone.Set("score", gop.score);
  phone.Set("features", ToFloat32Array(env, gop.features));
  return phone;
}

Napi::Object WordResult(Napi::Env env, const WordSegment& segment, const std::string& text) {
  Napi::Object word = Napi::Object::New(env);
  word.Set("index", segment.word);
  word.Set("text", text);
  word.Set("pronunciation", segment.pronunciation);
  word.Set("startMs", segment.startMs);
  word.Set("endMs", segment.endMs);
  Napi::Array phones = Napi::Array::New(env, static_cast<size_t>(segment.numPhones));
  for (int32_t i = 0; i < segment.numPhones; ++i) phones.Set(static_cast<uint32_t>(i), segment.firstPhone + i);
  word.Set("phones", phones);
  return word;
}

Napi::Object EditResult(Napi::Env env, const PhoneEdit& edit) {
  Napi::Object result = Napi::Object::New(env);
  result.Set("kind", EditKindName(edit.kind));
  if (edit.expected >= 0) result.Set("expected", edit.expected);
  if (edit.recognized >= 0) result.Set("recognized", edit.recognized);
  return result;
}

template <typename Item, typename Convert>
Napi::Array ArrayOf(Napi::Env env, const std::vector<Item>& items, Convert convert) {
  Napi::Array array = Napi::Array::New(env, items.size());
  for (size_t i = 0; i < items.size(); ++i) array.Set(static_cast<uint32_t>(i), convert(items[i]));
  return array;
}

// An absent score is null: 0 would read as a judgement.
Napi::Value OptionalNumber(Napi::Env env, const std::optional<double>& value) {
  return value ? Napi::Number::New(env, *value) : env.Null();
}

Napi::Object ScoresResult(Napi::Env env, const PronunciationScores& scores) {
  Napi::Object utterance = Napi::Object::New(env);
  utterance.Set("accuracy", scores.utterance.accuracy);
  utterance.Set("completeness", scores.utterance.completeness);
  utterance.Set("fluency", OptionalNumber(env, scores.utterance.fluency));
  utterance.Set("prosodic", OptionalNumber(env, scores.utterance.prosodic));
  utterance.Set("total", OptionalNumber(env, scores.utterance.total));
  Napi::Object result = Napi::Object::New(env);
  result.Set("source", scores.learned ? "learned" : "gop");
  result.Set("utterance", utterance);
  result.Set("words", ArrayOf(env, scores.words, [&](const WordScores& word) {
               Napi::Object item = Napi::Object::New(env);
               item.Set("accuracy", word.accuracy);
               item.Set("stress", OptionalNumber(env, word.stress));
               item.Set("total", OptionalNumber(env, word.total));
               return item;
             }));
  return result;
}

Napi::Object FluencyResult(Napi::Env env, const Fluency& fluency) {
  Napi::Object result = Napi::Object::New(env);
  result.Set("speakingMs", fluency.speakingMs);
  result.Set("articulationMs", fluency.articulationMs);
  result.Set("phonesPerSecond", fluency.phonesPerSecond);
  result.Set("wordsPerMinute", fluency.wordsPerMinute);
  result.Set("pauseCount", fluency.pauses);
  result.Set("pauseMs", fluency.pauseMs);
  result.Set("longestPauseMs", fluency.longestPauseMs);
  result.Set("pauses", ArrayOf(env, fluency.pauseSpans, [&](const PhoneSegment& s) { return Span(env, s); }));
  return result;
}

Napi::Object ScorerInputResult(Napi::Env env, const ScorerInput& input) {
  Napi::Object result = Napi::Object::New(env);
  result.Set("dim", input.dim);
  result.Set("rows", ToFloat32Array(env, input.rows));
  return result;
}

Napi::Value AnalysisResult(Napi::Env env, const Analysis& analysis, const std::vector<std::string>& texts) {
  const bool aligned = analysis.status == AlignStatus::kAligned;
  Napi::Object timings = Napi::Object::New(env);
  timings.Set("decodeMs", analysis.timings.decodeMs);
  timings.Set("featuresMs", analysis.timings.featuresMs);
  timings.Set("modelMs", analysis.timings.modelMs);
  timings.Set("alignMs", analysis.timings.alignMs);
  timings.Set("scoringMs", analysis.timings.scoringMs);

  Napi::Object alignment = Napi::Object::New(env);
  alignment.Set("status", StatusName(analysis.status));
  alignment.Set("usedRetryBeam", analysis.usedRetryBeam);
  // No path, no score: null rather than a zero that reads as a value.
  alignment.Set("scorePerFrame", aligned ? Napi::Number::New(env, analysis.scorePerFrame) : env.Null());
  if (aligned) {
    Napi::Object match = Napi::Object::New(env);
    match.Set("forced", analysis.match.forcedLogPosteriorPerFrame);
    match.Set("best", analysis.match.bestLogPosteriorPerFrame);
    match.Set("gapPerFrame", analysis.match.gapPerFrame);
    match.Set("matches", analysis.match.matches);
    alignment.Set("match", match);
  } else {
    alignment.Set("match", env.Null());
  }

  Napi::Object result = Napi::Object::New(env);
  result.Set("durationMs", analysis.durationMs);
  result.Set("frames", analysis.frames);
  result.Set("timings", timings);
  result.Set("alignment", alignment);
  result.Set("words", ArrayOf(env, analysis.words, [&](const WordSegment& word) {
               return WordResult(env, word, texts[static_cast<size_t>(word.word)]);
             }));
  result.Set("phones", ArrayOf(env, analysis.phones, [&](const PhoneGop& gop) { return PhoneResult(env, gop); }));
  result.Set("silences", ArrayOf(env, analysis.silences, [&](const PhoneSegment& s) { return Span(env, s); }));
  result.Set("recognized", ArrayOf(env, analysis.recognized, [&](const PhoneSegment& s) {
               Napi::Object phone = Span(env, s);
               phone.Set("phone", s.phone);
               return phone;
             }));
  result.Set("edits", ArrayOf(env, analysis.edits, [&](const PhoneEdit& edit) { return EditResult(env, edit); }));
  result.Set("fluency", aligned ? FluencyResult(env, analysis.fluency) : env.Null());
  result.Set("scores", aligned ? ScoresResult(env, analysis.scores) : env.Null());
  result.Set("scorerInput", ScorerInputResult(env, analysis.scorerInput));
  return result;
}

}  // namespace

// analyze(model, audio: Uint8Array, words: [{text, pronunciations: number[][]}],
//         {maxBytes?, maxDurationSec?, learnedScorer?})
//   -> Promise<AnalysisResult> (src/native/engine.ts)
Napi::Value Analyze(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ModelPtr model = ModelArg(info, 0);
  if (!info[1].IsTypedArray() || info[1].As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) {
    ThrowInvalidArgument(env, "audio must be a Buffer or Uint8Array");
  }
  WordsArg words = ParseWords(info, 2);
  AnalysisOptions options;
  const Napi::Object given = OptionsArg(info, 3);
  options.limits = DecodeLimitsOption(given);
  options.learnedScorer = BoolOption(given, "learnedScorer", true);
  const auto bytes = info[1].As<Napi::Uint8Array>();
  try {
    // Before copying the upload: an oversized one or unknown phone ids are refused at once.
    CheckAnalysisInput(*model, bytes.ByteLength(), words.words, options.limits);
  } catch (const EngineError& error) {
    return RejectedPromise(env, error);
  }

  std::vector<uint8_t> input(bytes.Data(), bytes.Data() + bytes.ByteLength());
  return PromiseWorker<Analysis>::Start(
      env, "speakai.analyze",
      [model = std::move(model), input = std::move(input), expected = std::move(words.words), options] {
        return speakai::Analyze(*model, input.data(), input.size(), expected, options);
      },
      [texts = std::move(words.texts)](Napi::Env env, Analysis& analysis) {
        return AnalysisResult(env, analysis, texts);
      });
}

}  // namespace speakai::addon
