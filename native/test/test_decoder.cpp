// Decoder tests. In-memory WAVs cover the PCM layouts without any tool; the
// compressed containers come from scripts/native/make-audio-fixtures.sh,
// whose output directory ctest passes as the first argument.

#include <sys/resource.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include "audio/decoder.h"
#include "harness.h"

using namespace speakai;

namespace {

using Bytes = std::vector<uint8_t>;

void PutLe(Bytes& out, uint64_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<uint8_t>(value >> (8 * i)));
}

enum class Pcm { kU8, kS16, kS24, kS32, kF32 };

// A RIFF/WAVE file holding `seconds` of a 0.5-amplitude 300 Hz sine on every channel.
Bytes MakeWav(Pcm pcm, int rate, int channels, double seconds) {
  const int bytes = pcm == Pcm::kU8 ? 1 : pcm == Pcm::kS16 ? 2 : pcm == Pcm::kS24 ? 3 : 4;
  const auto frames = static_cast<uint32_t>(seconds * rate);
  const uint32_t dataSize = frames * channels * bytes;
  Bytes out;
  auto tag = [&](const char* t) { out.insert(out.end(), t, t + 4); };
  tag("RIFF");
  PutLe(out, 36 + dataSize, 4);
  tag("WAVE");
  tag("fmt ");
  PutLe(out, 16, 4);
  PutLe(out, pcm == Pcm::kF32 ? 3 : 1, 2);  // WAVE_FORMAT_IEEE_FLOAT : PCM
  PutLe(out, channels, 2);
  PutLe(out, rate, 4);
  PutLe(out, rate * channels * bytes, 4);
  PutLe(out, channels * bytes, 2);
  PutLe(out, bytes * 8, 2);
  tag("data");
  PutLe(out, dataSize, 4);
  for (uint32_t i = 0; i < frames; ++i) {
    const double x = 0.5 * std::sin(2 * M_PI * 300.0 * i / rate);
    for (int c = 0; c < channels; ++c) {
      switch (pcm) {
        case Pcm::kU8: out.push_back(static_cast<uint8_t>(std::lround(128 + 127 * x))); break;
        case Pcm::kS16: PutLe(out, static_cast<uint16_t>(std::lround(32767 * x)), 2); break;
        case Pcm::kS24: PutLe(out, static_cast<uint32_t>(std::lround(8388607 * x)), 3); break;
        case Pcm::kS32: PutLe(out, static_cast<uint32_t>(std::lround(2147483647.0 * x)), 4); break;
        case Pcm::kF32: {
          const float f = static_cast<float>(x);
          uint32_t u;
          std::memcpy(&u, &f, 4);
          PutLe(out, u, 4);
          break;
        }
      }
    }
  }
  return out;
}

Bytes ReadFixture(const std::string& name) {
  const std::string path = test::Args().at(0) + "/" + name;
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("missing fixture " + path);
  return Bytes(std::istreambuf_iterator<char>(in), {});
}

DecodedAudio Decode(const Bytes& bytes, DecodeLimits limits = {}) {
  return DecodeAudio(bytes.data(), bytes.size(), limits);
}

double Rms(const std::vector<float>& x) {
  double sum = 0.0;
  for (float v : x) sum += static_cast<double>(v) * v;
  return std::sqrt(sum / static_cast<double>(x.size()));
}

// Replaces everything after the first "mdat" box header with noise: the
// container stays valid, the coded audio does not.
Bytes ScrambleMdat(Bytes bytes) {
  const char mdat[] = "mdat";
  auto at = std::search(bytes.begin(), bytes.end(), mdat, mdat + 4);
  std::mt19937 rng(1);
  for (auto it = at + 4; it < bytes.end(); ++it) *it = static_cast<uint8_t>(rng());
  return bytes;
}

}  // namespace

TEST(wav_pcm_layouts_decode_to_16k_mono) {
  for (Pcm pcm : {Pcm::kU8, Pcm::kS16, Pcm::kS24, Pcm::kS32, Pcm::kF32}) {
    for (int rate : {8000, 16000, 44100}) {
      const DecodedAudio audio = Decode(MakeWav(pcm, rate, 2, 1.0));
      CHECK_NEAR(audio.durationMs(), 1000.0, 1.0);
      // Averaging two identical channels keeps the 0.5-amplitude sine's RMS.
      CHECK_NEAR(Rms(audio.samples), 0.5 / std::sqrt(2.0), 0.01);
    }
  }
}

TEST(every_accepted_container_decodes) {
  const double reference = Decode(ReadFixture("wav_s16le.wav")).durationMs();
  CHECK(reference > 2000.0);
  for (const char* name :
       {"webm_opus.webm", "webm_live.webm", "mp4_aac.m4a", "mp4_fragmented.m4a", "ogg_opus.ogg", "ogg_vorbis.ogg", "mp3.mp3", "flac.flac",
        "wav_u8.wav", "wav_s24le.wav", "wav_s32le.wav", "wav_f32le.wav", "wav_f64le.wav",
        "wav_stereo_48k.wav"}) {
    const DecodedAudio audio = Decode(ReadFixture(name));
    // Codec priming/padding: up to ~93 ms for AAC without an edit list.
    if (std::fabs(audio.durationMs() - reference) > 120.0) {
      test::RecordFailure(__FILE__, __LINE__, std::string(name) + " duration " +
                                                  std::to_string(audio.durationMs()));
    }
  }
}

TEST(size_and_emptiness_errors) {
  CHECK_ENGINE_ERROR(Decode(Bytes{}), ErrorCode::kAudioEmpty);
  CHECK_ENGINE_ERROR(Decode(MakeWav(Pcm::kS16, 16000, 1, 0.0)), ErrorCode::kAudioEmpty);
  DecodeLimits small;
  small.maxBytes = 1000;
  CHECK_ENGINE_ERROR(Decode(MakeWav(Pcm::kS16, 16000, 1, 1.0), small), ErrorCode::kAudioTooLarge);
  DecodeLimits invalid;
  invalid.maxDurationSec = 0;
  CHECK_ENGINE_ERROR(Decode(MakeWav(Pcm::kS16, 16000, 1, 1.0), invalid), ErrorCode::kInvalidArgument);
}

TEST(duration_limit) {
  CHECK_ENGINE_ERROR(Decode(ReadFixture("long.flac")), ErrorCode::kAudioTooLong);
  DecodeLimits oneSecond;
  oneSecond.maxDurationSec = 1.0;
  CHECK_ENGINE_ERROR(Decode(ReadFixture("webm_opus.webm"), oneSecond), ErrorCode::kAudioTooLong);
  CHECK_NEAR(Decode(MakeWav(Pcm::kS16, 16000, 1, 1.0), oneSecond).durationMs(), 1000.0, 1.0);
}

TEST(unsupported_inputs) {
  CHECK_ENGINE_ERROR(Decode(ReadFixture("random.bin")), ErrorCode::kAudioUnsupportedFormat);
  CHECK_ENGINE_ERROR(Decode(ReadFixture("aiff.aiff")), ErrorCode::kAudioUnsupportedFormat);
  CHECK_ENGINE_ERROR(Decode(ReadFixture("video_only.mp4")), ErrorCode::kAudioUnsupportedFormat);
  const std::string text = "this is not audio at all, just some text";
  CHECK_ENGINE_ERROR(Decode(Bytes(text.begin(), text.end())), ErrorCode::kAudioUnsupportedFormat);
}

// Found by fuzzing: a 460-byte WAV whose header claims 1.8 GHz kept swr_init
// busy for over 10 s and 2 GB.
TEST(sample_rate_outside_the_accepted_range) {
  auto withRate = [](uint32_t rate) {
    Bytes wav = MakeWav(Pcm::kU8, 16000, 1, 0.5);
    for (int i = 0; i < 4; ++i) wav[24 + i] = static_cast<uint8_t>(rate >> (8 * i));  // fmt sample rate
    return wav;
  };
  CHECK_ENGINE_ERROR(Decode(withRate(1818456832)), ErrorCode::kAudioUnsupportedFormat);
  CHECK_ENGINE_ERROR(Decode(withRate(999)), ErrorCode::kAudioUnsupportedFormat);
  CHECK_NEAR(Decode(MakeWav(Pcm::kS16, 384000, 1, 1.0)).durationMs(), 1000.0, 1.0);
  CHECK_NEAR(Decode(MakeWav(Pcm::kS16, 1000, 1, 1.0)).durationMs(), 1000.0, 1.0);
}

long PeakRssKb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

// Found by fuzzing: a fragmented MP4 whose 'trun' declares 50 million samples
// without per-sample fields made the mov demuxer build a 1.2 GB index.
TEST(declared_sample_counts_cannot_allocate_gigabytes) {
  Bytes m4a = ReadFixture("mp4_fragmented.m4a");
  const char trun[] = "trun";
  const auto box = std::search(m4a.begin(), m4a.end(), trun, trun + 4);
  CHECK(box != m4a.end());
  if (box == m4a.end()) return;
  const size_t at = static_cast<size_t>(box - m4a.begin()) + 4;
  for (int i = 0; i < 4; ++i) m4a[at + i] = 0;  // version 0, no flags: no per-sample fields
  for (int i = 0; i < 4; ++i) m4a[at + 4 + i] = static_cast<uint8_t>(50000000u >> (24 - 8 * i));
  const long before = PeakRssKb();
  CHECK_ENGINE_ERROR(Decode(m4a), ErrorCode::kAudioCorrupt);
  CHECK(PeakRssKb() - before < 256 * 1024);
}

TEST(corrupt_inputs) {
  CHECK_ENGINE_ERROR(Decode(ReadFixture("truncated_header.wav")), ErrorCode::kAudioCorrupt);
  CHECK_ENGINE_ERROR(Decode(ScrambleMdat(ReadFixture("mp4_aac.m4a"))), ErrorCode::kAudioCorrupt);
}

TEST(truncated_body_keeps_the_decodable_part) {
  const double full = Decode(ReadFixture("webm_opus.webm")).durationMs();
  const double half = Decode(ReadFixture("truncated_half.webm")).durationMs();
  CHECK(half > 0.3 * full && half < 0.8 * full);
}

TEST(silence_is_no_speech) {
  CHECK_ENGINE_ERROR(Decode(ReadFixture("silence.wav")), ErrorCode::kAudioNoSpeech);
  Bytes quiet = MakeWav(Pcm::kF32, 16000, 1, 1.0);
  // Scale the float samples to ~-66 dBFS: decodes, but is not speech.
  for (size_t i = 44; i + 4 <= quiet.size(); i += 4) {
    float f;
    std::memcpy(&f, &quiet[i], 4);
    f *= 0.001f;
    std::memcpy(&quiet[i], &f, 4);
  }
  CHECK_ENGINE_ERROR(Decode(quiet), ErrorCode::kAudioNoSpeech);
}
