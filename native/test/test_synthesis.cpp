// Reference-audio synthesis: espeak's own rate, voices, and emphasis of
// chosen phonemes on the signal with exact timings.
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "audio/time_stretch.h"
#include "common/constants.h"
#include "harness.h"
#include "phonemes/emphasis.h"
#include "phonemes/synthesizer.h"

using namespace speakai;

namespace {

const SynthesizedSpeech& Speech() {
  static const SynthesizedSpeech speech = SynthesizeNative("I think that is the thing.", {});
  return speech;
}

SynthesizedSpeech Emphasized(const std::vector<std::string>& phonemes) {
  SynthesizedSpeech speech = Speech();
  Emphasize(speech, phonemes);
  return speech;
}

size_t Samples(double ms, int rate) { return static_cast<size_t>(std::llround(ms * rate / 1000.0)); }
double DurationSamples(const TimedPhone& p, int rate) { return (p.endMs - p.startMs) * rate / 1000.0; }

double Rms(const std::vector<float>& s, size_t from, size_t to) {
  double sum = 0;
  for (size_t i = from; i < to; ++i) sum += s[i] * s[i];
  return std::sqrt(sum / static_cast<double>(to - from));
}

// Strongest autocorrelation lag between 2.5 and 12.5 ms (80..400 Hz), over the middle of a span.
double PitchPeriodMs(const std::vector<float>& s, size_t from, size_t to, int rate) {
  const size_t mid = (from + to) / 2, half = static_cast<size_t>(rate * 0.02);
  const size_t a = std::max(from, mid - half), b = std::min(to, mid + half);
  size_t bestLag = 0;
  double best = -1;
  for (size_t lag = static_cast<size_t>(rate * 0.0025); lag <= static_cast<size_t>(rate * 0.0125); ++lag) {
    double sum = 0;
    for (size_t i = a; i + lag < b; ++i) sum += s[i] * s[i + lag];
    if (sum > best) best = sum, bestLag = lag;
  }
  return bestLag * 1000.0 / rate;
}

double MaxStep(const std::vector<float>& s, size_t from, size_t to) {
  double step = 0;
  for (size_t i = std::max<size_t>(from, 1); i < std::min(to, s.size()); ++i) {
    step = std::max(step, static_cast<double>(std::fabs(s[i] - s[i - 1])));
  }
  return step;
}

const TimedPhone* FirstPhone(const SynthesizedSpeech& speech, const std::string& ipa) {
  for (const TimedPhone& p : speech.phones) {
    if (p.ipa == ipa) return &p;
  }
  return nullptr;
}

}  // namespace

TEST(native_rate_speech_and_the_engine_rate_agree) {
  CHECK(Speech().sampleRate == 22050);
  const SynthesizedSpeech engine = ToEngineRate(Speech());
  CHECK(engine.sampleRate == kSampleRate);
  CHECK_NEAR(engine.durationMs(), Speech().durationMs(), 2.0);
  CHECK(engine.phones.size() == Speech().phones.size());
  CHECK(SynthesisVersion().find("espeak-ng") != std::string::npos);
}

TEST(a_voice_by_identifier) {
  const SynthesizedSpeech rp = SynthesizeNative("bath", {"en-us", 175, 50}, "gmw/en-GB-x-rp");
  const SynthesizedSpeech us = SynthesizeNative("bath", {"en-us", 175, 50}, "");
  // Received Pronunciation says the long "a" of "bath"; General American does not.
  CHECK(FirstPhone(rp, "ɑː") != nullptr && FirstPhone(us, "ɑː") == nullptr);
  CHECK_ENGINE_ERROR(SynthesizeNative("bath", {"en-us", 175, 50}, "gmw/no-such"), ErrorCode::kVoiceUnsupported);
  CHECK_ENGINE_ERROR(SynthesizeNative("bath", {"en-us", 175, 50}, "../../etc/passwd"), ErrorCode::kVoiceUnsupported);
  CHECK_ENGINE_ERROR(SynthesizeNative("bath", {"en-us", 175, 50}, "/etc/passwd"), ErrorCode::kVoiceUnsupported);
  // A failed voice leaves the next language selection working.
  CHECK(FirstPhone(SynthesizeNative("bath", {"en-us", 175, 50}, ""), "æ") != nullptr);
}

TEST(emphasis_lengthens_exactly_the_chosen_phones) {
  const SynthesizedSpeech& before = Speech();
  const SynthesizedSpeech after = Emphasized({"θ"});
  const int rate = before.sampleRate;
  CHECK(after.phones.size() == before.phones.size());
  size_t added = 0, chosen = 0;
  for (size_t i = 0; i < before.phones.size() && i < after.phones.size(); ++i) {
    CHECK(after.phones[i].ipa == before.phones[i].ipa);
    const double was = DurationSamples(before.phones[i], rate), is = DurationSamples(after.phones[i], rate);
    if (before.phones[i].ipa == "θ") {
      ++chosen;
      CHECK_NEAR(is, std::llround(was * 1.6), 1e-6);
      added += static_cast<size_t>(std::llround(was * 1.6) - std::llround(was));
    } else {
      CHECK_NEAR(is, was, 1e-6);
    }
  }
  CHECK(chosen == 2);  // "think" and "thing"
  CHECK(after.samples.size() == before.samples.size() + added);
  CHECK_NEAR(after.phones.back().endMs, before.phones.back().endMs + added * 1000.0 / rate, 1e-6);
}

TEST(emphasis_leaves_the_other_samples_as_they_were) {
  const SynthesizedSpeech& before = Speech();
  const SynthesizedSpeech stretched = Emphasized({"ð"});
  const int rate = before.sampleRate;
  const size_t window = static_cast<size_t>(rate * 0.02);
  const TimedPhone& first = *FirstPhone(before, "ð");
  // Before the first emphasized phone (less one window) nothing changed.
  double worst = 0;
  for (size_t i = 0; i + window < Samples(first.startMs, rate); ++i) {
    worst = std::max(worst, static_cast<double>(std::fabs(stretched.samples[i] - before.samples[i])));
  }
  CHECK(worst < 1e-5);
  // After the last one (plus one window) it is the same audio, later by what was added.
  const TimedPhone& lastBefore = before.phones.back();
  const TimedPhone& lastAfter = stretched.phones.back();
  const size_t from = Samples(lastBefore.startMs, rate), shift = Samples(lastAfter.startMs, rate) - from;
  worst = 0;
  for (size_t i = from + window; i < before.samples.size(); ++i) {
    worst = std::max(worst, static_cast<double>(std::fabs(stretched.samples[i + shift] - before.samples[i])));
  }
  CHECK(worst < 1e-5);
}

TEST(emphasis_keeps_the_pitch_and_raises_the_level_without_clicks) {
  const SynthesizedSpeech& before = Speech();
  const SynthesizedSpeech after = Emphasized({"ɪ"});
  const int rate = before.sampleRate;
  const TimedPhone& was = *FirstPhone(before, "ɪ");
  const TimedPhone& is = *FirstPhone(after, "ɪ");
  const size_t a0 = Samples(was.startMs, rate), a1 = Samples(was.endMs, rate);
  const size_t b0 = Samples(is.startMs, rate), b1 = Samples(is.endMs, rate);
  // A resampling stretch would lower the pitch by the stretch factor.
  const double period = PitchPeriodMs(before.samples, a0, a1, rate);
  CHECK_NEAR(PitchPeriodMs(after.samples, b0, b1, rate), period, period * 0.08);
  // About +4 dB (1.58x); a little less is allowed where the ramps are.
  const double ratio = Rms(after.samples, b0, b1) / Rms(before.samples, a0, a1);
  CHECK(ratio > 1.3 && ratio < 1.75);
  // No click at the seams: no sample step larger than the emphasized sound's own.
  const double ownStep = MaxStep(after.samples, b0, b1);
  const size_t seam = static_cast<size_t>(rate * 0.003);
  for (size_t edge : {b0, b1}) CHECK(MaxStep(after.samples, edge - seam, edge + seam) <= ownStep * 1.05);
}

TEST(neighbouring_and_repeated_phonemes_each_stretch) {
  const SynthesizedSpeech& before = Speech();
  const SynthesizedSpeech after = Emphasized({"/θ/", "ˈɪ"});  // slashes and stress marks are accepted
  for (size_t i = 0; i < before.phones.size(); ++i) {
    const bool chosen = before.phones[i].ipa == "θ" || before.phones[i].ipa == "ɪ";
    const double was = DurationSamples(before.phones[i], before.sampleRate);
    CHECK_NEAR(DurationSamples(after.phones[i], after.sampleRate), chosen ? was * 1.6 : was, chosen ? 1.0 : 1e-6);
  }
}

TEST(emphasis_errors) {
  SynthesizedSpeech speech = Speech();
  CHECK_ENGINE_ERROR(Emphasize(speech, {"ʒ"}), ErrorCode::kPhonemeNotInText);
  CHECK_ENGINE_ERROR(Emphasize(speech, {"θ", "oʊ"}), ErrorCode::kPhonemeNotInText);
  CHECK_ENGINE_ERROR(Emphasize(speech, {""}), ErrorCode::kInvalidArgument);
  CHECK_ENGINE_ERROR(Emphasize(speech, {"//"}), ErrorCode::kInvalidArgument);
  CHECK_ENGINE_ERROR(Emphasize(speech, std::vector<std::string>(17, "θ")), ErrorCode::kInvalidArgument);
  CHECK_ENGINE_ERROR(Emphasize(speech, {"θ"}, {0.5, 4}), ErrorCode::kInvalidArgument);
  CHECK_ENGINE_ERROR(Emphasize(speech, {"θ"}, {1.6, 40}), ErrorCode::kInvalidArgument);
  // A refused request leaves the speech untouched.
  CHECK(speech.samples == Speech().samples);
  try {
    Emphasize(speech, {"ʒ"});
  } catch (const EngineError& e) {
    CHECK(std::string(e.what()).find("θ") != std::string::npos);  // the message lists the text's phonemes
  }
}

TEST(stretch_map_refuses_bad_spans) {
  CHECK_ENGINE_ERROR(StretchMap({{10, 20, 30}, {15, 25, 10}}, 100), ErrorCode::kInvalidArgument);
  CHECK_ENGINE_ERROR(StretchMap({{10, 10, 30}}, 100), ErrorCode::kInvalidArgument);
  CHECK_ENGINE_ERROR(StretchMap({{90, 120, 30}}, 100), ErrorCode::kInvalidArgument);
  const StretchMap map({{10, 20, 30}}, 100);
  CHECK(map.outputLength() == 120);
  CHECK_NEAR(map.ToOutput(15), 25, 1e-9);
  CHECK_NEAR(map.ToOutput(50), 70, 1e-9);
  CHECK_NEAR(map.ToInput(map.ToOutput(17.5)), 17.5, 1e-9);
}
