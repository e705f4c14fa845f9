#include "phonemes/synthesizer.h"

#include <algorithm>

#include "audio/resampler.h"
#include "common/constants.h"
#include "common/engine_error.h"
#include "phonemes/espeak.h"
#include "phonemes/phonemizer.h"

namespace speakai {

namespace {

constexpr int kMinRate = 80, kMaxRate = 450;  // espeakRATE_MINIMUM/MAXIMUM
constexpr int kMinPitch = 0, kMaxPitch = 100;

void ValidateOptions(const SynthesisOptions& options) {
  if (options.rate < kMinRate || options.rate > kMaxRate) {
    throw EngineError(ErrorCode::kInvalidArgument, "rate must be between 80 and 450 words per minute");
  }
  if (options.pitch < kMinPitch || options.pitch > kMaxPitch) {
    throw EngineError(ErrorCode::kInvalidArgument, "pitch must be between 0 and 100");
  }
}

std::vector<float> ToEngineRate(const EspeakAudio& audio) {
  const AVChannelLayout mono = AV_CHANNEL_LAYOUT_MONO;
  Resampler resampler(mono, AV_SAMPLE_FMT_S16, audio.sampleRate, kSampleRate);
  std::vector<float> out;
  out.reserve(audio.samples.size() * kSampleRate / audio.sampleRate + 64);
  const auto* in = reinterpret_cast<const uint8_t*>(audio.samples.data());
  resampler.Convert(&in, static_cast<int>(audio.samples.size()), out);
  resampler.Flush(out);
  return out;
}

// A phoneme lasts until the next phoneme event (pauses included) or the end
// of the audio. Times are converted from espeak's sample clock; resampling
// preserves time, so they hold for the 16 kHz samples too.
std::vector<TimedPhone> PhoneTimes(const EspeakAudio& audio) {
  const auto total = static_cast<int64_t>(audio.samples.size());
  const double msPerSample = 1000.0 / audio.sampleRate;
  std::vector<TimedPhone> phones;
  for (size_t i = 0; i < audio.phonemes.size(); ++i) {
    const EspeakPhonemeEvent& event = audio.phonemes[i];
    if (event.ipa.empty()) continue;
    const int64_t start = std::min(event.sample, total);
    const int64_t next = i + 1 < audio.phonemes.size() ? audio.phonemes[i + 1].sample : total;
    const int64_t end = std::clamp(next, start, total);
    phones.push_back({event.ipa, start * msPerSample, end * msPerSample});
  }
  return phones;
}

}  // namespace

double SynthesizedSpeech::durationMs() const {
  return static_cast<double>(samples.size()) * 1000.0 / kSampleRate;
}

SynthesizedSpeech Synthesize(const std::string& text, const SynthesisOptions& options) {
  ValidateText(text);
  ValidateOptions(options);
  const EspeakAudio audio = EspeakSynthesize(text, options.language, options.rate, options.pitch);
  if (audio.samples.empty()) throw EngineError(ErrorCode::kSynthesisFailed, "espeak-ng produced no audio");
  SynthesizedSpeech speech{ToEngineRate(audio), PhoneTimes(audio)};
  // The resampler may round the length down by a sample; keep every phone
  // inside the returned audio.
  const double duration = speech.durationMs();
  for (TimedPhone& phone : speech.phones) {
    phone.endMs = std::min(phone.endMs, duration);
    phone.startMs = std::min(phone.startMs, phone.endMs);
  }
  return speech;
}

}  // namespace speakai
