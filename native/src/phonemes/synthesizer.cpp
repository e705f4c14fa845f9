#include "phonemes/synthesizer.h"

#include <algorithm>

#include "audio/resampler.h"
#include "common/engine_error.h"
#include "phonemes/espeak.h"
#include "phonemes/phonemizer.h"

namespace speakai {

namespace {

constexpr int kMinRate = 80, kMaxRate = 450;  // espeakRATE_MINIMUM/MAXIMUM
constexpr int kMinPitch = 0, kMaxPitch = 100;
// Bump when emphasis or encoding settings change what the same request sounds like.
constexpr const char* kReferenceAudioRevision = "reference-audio 1";

void ValidateOptions(const SynthesisOptions& options) {
  if (options.rate < kMinRate || options.rate > kMaxRate) {
    throw EngineError(ErrorCode::kInvalidArgument, "rate must be between 80 and 450 words per minute");
  }
  if (options.pitch < kMinPitch || options.pitch > kMaxPitch) {
    throw EngineError(ErrorCode::kInvalidArgument, "pitch must be between 0 and 100");
  }
}

std::vector<float> ToFloat(const std::vector<int16_t>& samples) {
  std::vector<float> out(samples.size());
  std::transform(samples.begin(), samples.end(), out.begin(), [](int16_t s) { return s / 32768.0f; });
  return out;
}

// A phoneme lasts until the next phoneme event (pauses included) or the end
// of the audio. Times are converted from espeak's sample clock; resampling
// preserves time, so they hold at any rate.
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
  return static_cast<double>(samples.size()) * 1000.0 / sampleRate;
}

SynthesizedSpeech SynthesizeNative(const std::string& text, const SynthesisOptions& options,
                                   const std::string& voice) {
  ValidateText(text);
  ValidateOptions(options);
  const EspeakAudio audio = EspeakSynthesize(text, options.language, options.rate, options.pitch, voice);
  if (audio.samples.empty()) throw EngineError(ErrorCode::kSynthesisFailed, "espeak-ng produced no audio");
  return {ToFloat(audio.samples), PhoneTimes(audio), audio.sampleRate};
}

SynthesizedSpeech ToEngineRate(SynthesizedSpeech speech) {
  if (speech.sampleRate == kSampleRate) return speech;
  const AVChannelLayout mono = AV_CHANNEL_LAYOUT_MONO;
  Resampler resampler(mono, AV_SAMPLE_FMT_FLT, speech.sampleRate, kSampleRate);
  std::vector<float> out;
  out.reserve(speech.samples.size() * kSampleRate / speech.sampleRate + 64);
  const auto* in = reinterpret_cast<const uint8_t*>(speech.samples.data());
  resampler.Convert(&in, static_cast<int>(speech.samples.size()), out);
  resampler.Flush(out);
  speech.samples = std::move(out);
  speech.sampleRate = kSampleRate;
  // The resampler may round the length down by a sample; keep every phone
  // inside the returned audio.
  const double duration = speech.durationMs();
  for (TimedPhone& phone : speech.phones) {
    phone.endMs = std::min(phone.endMs, duration);
    phone.startMs = std::min(phone.startMs, phone.endMs);
  }
  return speech;
}

SynthesizedSpeech Synthesize(const std::string& text, const SynthesisOptions& options) {
  return ToEngineRate(SynthesizeNative(text, options));
}

std::string SynthesisVersion() {
  return "espeak-ng " + EspeakVersion() + "; libavcodec " + std::to_string(avcodec_version() >> 16) + "." +
         std::to_string((avcodec_version() >> 8) & 0xff) + "; " + kReferenceAudioRevision;
}

}  // namespace speakai
