// Encoder: every format decodes back, with our own decoder, to the same
// duration and a comparable energy envelope; bad input is refused by code.
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "audio/decoder.h"
#include "audio/encoder.h"
#include "common/constants.h"
#include "harness.h"
#include "phonemes/synthesizer.h"

using namespace speakai;

namespace {

const SynthesizedSpeech& Speech() {
  static const SynthesizedSpeech speech = SynthesizeNative("The quick brown fox jumps over the lazy dog.", {});
  return speech;
}

EncodedAudio Encode(const SynthesizedSpeech& speech, AudioFormat format) {
  return EncodeAudio(speech.samples.data(), speech.samples.size(), speech.sampleRate, format);
}

DecodedAudio Decode(const EncodedAudio& encoded) {
  return DecodeAudio(encoded.bytes.data(), encoded.bytes.size(), DecodeLimits{});
}

// RMS of each 20 ms frame.
std::vector<double> Envelope(const std::vector<float>& samples, int sampleRate) {
  const size_t frame = static_cast<size_t>(sampleRate / 50);
  std::vector<double> out;
  for (size_t at = 0; at + frame <= samples.size(); at += frame) {
    double sum = 0;
    for (size_t i = at; i < at + frame; ++i) sum += samples[i] * samples[i];
    out.push_back(std::sqrt(sum / frame));
  }
  return out;
}

double Correlation(const std::vector<double>& a, const std::vector<double>& b) {
  const size_t n = std::min(a.size(), b.size());
  double ma = 0, mb = 0;
  for (size_t i = 0; i < n; ++i) ma += a[i] / n, mb += b[i] / n;
  double ab = 0, aa = 0, bb = 0;
  for (size_t i = 0; i < n; ++i) {
    ab += (a[i] - ma) * (b[i] - mb);
    aa += (a[i] - ma) * (a[i] - ma);
    bb += (b[i] - mb) * (b[i] - mb);
  }
  return ab / std::sqrt(aa * bb);
}

double Rms(const std::vector<float>& samples) {
  double sum = 0;
  for (float s : samples) sum += s * s;
  return std::sqrt(sum / samples.size());
}

// Encodes, decodes, and compares with the source at the engine's rate.
void CheckRoundTrip(AudioFormat format, int expectedRate, double frameMs) {
  const SynthesizedSpeech reference = ToEngineRate(Speech());
  const EncodedAudio encoded = Encode(Speech(), format);
  CHECK(encoded.sampleRate == expectedRate);
  const DecodedAudio decoded = Decode(encoded);
  CHECK_NEAR(decoded.durationMs(), Speech().durationMs(), frameMs);
  CHECK_NEAR(Rms(decoded.samples) / Rms(reference.samples), 1.0, 0.1);
  CHECK(Correlation(Envelope(decoded.samples, kSampleRate), Envelope(reference.samples, kSampleRate)) > 0.97);
}

bool StartsWith(const std::vector<uint8_t>& bytes, const std::string& prefix, size_t offset = 0) {
  return bytes.size() >= offset + prefix.size() && std::equal(prefix.begin(), prefix.end(), bytes.begin() + offset);
}

}  // namespace

TEST(opus_round_trips_in_ogg_at_48_khz) {
  CheckRoundTrip(AudioFormat::kOpus, 48000, 20.0);
  const EncodedAudio encoded = Encode(Speech(), AudioFormat::kOpus);
  CHECK(StartsWith(encoded.bytes, "OggS") && StartsWith(encoded.bytes, "OpusHead", 28));
  // 32 kbit/s: about 4 KB a second, far below the 44 KB of 16-bit PCM.
  CHECK(encoded.bytes.size() < Speech().durationMs() * 6);
}

TEST(mp3_round_trips_at_the_speech_rate) {
  CheckRoundTrip(AudioFormat::kMp3, 22050, 1152 * 1000.0 / 22050);
  const EncodedAudio encoded = Encode(Speech(), AudioFormat::kMp3);
  CHECK(encoded.bytes.size() > 2 && encoded.bytes[0] == 0xFF && (encoded.bytes[1] & 0xE0) == 0xE0);
  CHECK(encoded.bytes.size() < Speech().durationMs() * 8);
}

TEST(wav_round_trips_sample_exact_in_length) {
  // Within a sample of the decoder's 16 kHz output.
  CheckRoundTrip(AudioFormat::kWav, 22050, 1000.0 / kSampleRate);
  const EncodedAudio encoded = Encode(Speech(), AudioFormat::kWav);
  CHECK(StartsWith(encoded.bytes, "RIFF") && StartsWith(encoded.bytes, "WAVE", 8));
  CHECK(encoded.bytes.size() == 44 + 2 * Speech().samples.size());
}

TEST(engine_rate_input_keeps_its_rate_where_the_codec_has_it) {
  const SynthesizedSpeech speech = ToEngineRate(Speech());
  const EncodedAudio mp3 = EncodeAudio(speech.samples.data(), speech.samples.size(), kSampleRate, AudioFormat::kMp3);
  CHECK(mp3.sampleRate == 16000);
  CHECK_NEAR(Decode(mp3).durationMs(), speech.durationMs(), 1152 * 1000.0 / 16000);
}

TEST(same_samples_give_the_same_bytes) {
  for (AudioFormat format : {AudioFormat::kOpus, AudioFormat::kMp3, AudioFormat::kWav}) {
    CHECK(Encode(Speech(), format).bytes == Encode(Speech(), format).bytes);
  }
}

TEST(format_names) {
  CHECK(ParseAudioFormat("opus") == AudioFormat::kOpus && ParseAudioFormat("mp3") == AudioFormat::kMp3);
  CHECK(std::string(AudioFormatMimeType(AudioFormat::kOpus)) == "audio/ogg");
  CHECK(std::string(AudioFormatName(AudioFormat::kMp3)) == "mp3");
  CHECK_ENGINE_ERROR(ParseAudioFormat("ogg"), ErrorCode::kInvalidArgument);
  CHECK_ENGINE_ERROR(ParseAudioFormat(""), ErrorCode::kInvalidArgument);
}

TEST(bad_input_is_refused) {
  const std::vector<float> tone(1000, 0.1f);
  CHECK_ENGINE_ERROR(EncodeAudio(tone.data(), 0, 22050, AudioFormat::kOpus), ErrorCode::kInvalidArgument);
  CHECK_ENGINE_ERROR(EncodeAudio(nullptr, 10, 22050, AudioFormat::kOpus), ErrorCode::kInvalidArgument);
  CHECK_ENGINE_ERROR(EncodeAudio(tone.data(), tone.size(), 1000, AudioFormat::kMp3), ErrorCode::kInvalidArgument);
  CHECK_ENGINE_ERROR(EncodeAudio(tone.data(), tone.size(), 400000, AudioFormat::kWav), ErrorCode::kInvalidArgument);
  std::vector<float> broken = tone;
  broken[500] = std::nanf("");
  CHECK_ENGINE_ERROR(EncodeAudio(broken.data(), broken.size(), 22050, AudioFormat::kOpus), ErrorCode::kInvalidArgument);
}

TEST(short_and_loud_input_still_encodes) {
  // Shorter than one codec frame, and clipping: both are valid audio.
  std::vector<float> click(100, 0.0f);
  click[50] = 3.0f;
  for (AudioFormat format : {AudioFormat::kOpus, AudioFormat::kMp3, AudioFormat::kWav}) {
    CHECK(!EncodeAudio(click.data(), click.size(), 22050, format).bytes.empty());
  }
}
