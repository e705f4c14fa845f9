#include "audio/decoder.h"

#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>
#include <new>
#include <string>

#include "audio/av_ptr.h"
#include "audio/libav_setup.h"
#include "audio/memory_input.h"
#include "audio/resampler.h"
#include "audio/speech_activity.h"
#include "common/constants.h"
#include "common/engine_error.h"

// Error mapping:
//   AUDIO_EMPTY               zero bytes, or a valid file that decodes to no samples
//   AUDIO_TOO_LARGE           more than limits.maxBytes
//   AUDIO_UNSUPPORTED_FORMAT  unknown or non-allowlisted container, no audio
//                             stream, no decoder for the codec, or a sample
//                             rate outside kMinInputRate..kMaxInputRate
//   AUDIO_CORRUPT             container recognized but its header or packets
//                             cannot be read/decoded
//   AUDIO_TOO_LONG            decoded audio exceeds limits.maxDurationSec
//   AUDIO_NO_SPEECH           decoded fine but holds no speech-level energy
// A file truncated inside its header is AUDIO_CORRUPT; one truncated in the
// middle of its audio decodes to what is there, as browsers and ffmpeg do.

namespace speakai {

namespace {

// Containers browsers' MediaRecorder and common apps produce. Anything else
// (playlists, image formats, exotic demuxers) is refused before a demuxer runs:
// less attack surface, and no demuxer that opens other resources.
constexpr const char* kAllowedContainers[] = {
    "matroska,webm", "mov,mp4,m4a,3gp,3g2,mj2", "ogg", "mp3", "flac", "wav",
};

// Encoder priming and padding make a clip cut at exactly the limit decode
// longer: AAC without an edit list (fragmented MP4) adds up to 2 x 1024
// samples, i.e. ~93 ms at 22.05 kHz; Opus adds its 6.5 ms pre-skip.
constexpr double kDurationToleranceSec = 0.15;

// Input sample rates accepted. The resampler's setup cost grows with the rate
// ratio: a forged 1.8 GHz WAV header (found by fuzzing) took swr_init over
// 10 s and 2 GB. Real recordings lie well inside this range.
constexpr int kMinInputRate = 1000;
constexpr int kMaxInputRate = 384000;

[[noreturn]] void Fail(ErrorCode code, const std::string& message) {
  throw EngineError(code, message);
}

bool IsAllowedContainer(const char* name) {
  for (const char* allowed : kAllowedContainers) {
    if (std::strcmp(name, allowed) == 0) return true;
  }
  return false;
}

const AVInputFormat* ProbeContainer(AVIOContext* io) {
  const AVInputFormat* format = nullptr;
  // Returns the match score. On short inputs libav accepts any score > 0, so
  // random bytes can pass as MP3; real files score 50-100.
  const int score = av_probe_input_buffer2(io, &format, "", nullptr, 0, 0);
  if (score < AVPROBE_SCORE_RETRY || format == nullptr) {
    Fail(ErrorCode::kAudioUnsupportedFormat, "unrecognized audio container");
  }
  if (!IsAllowedContainer(format->name)) {
    Fail(ErrorCode::kAudioUnsupportedFormat,
         std::string("container '") + format->name + "' is not accepted");
  }
  return format;
}

av::FormatContextPtr OpenContainer(AVIOContext* io) {
  const AVInputFormat* format = ProbeContainer(io);

  AVFormatContext* raw = avformat_alloc_context();
  if (raw == nullptr) throw std::bad_alloc();
  raw->pb = io;
  raw->flags |= AVFMT_FLAG_CUSTOM_IO;
  // avformat_open_input frees the context itself when it fails.
  int rc = avformat_open_input(&raw, nullptr, format, nullptr);
  if (rc < 0) {
    Fail(ErrorCode::kAudioCorrupt,
         std::string("cannot read ") + format->name + " header: " + av::ErrorString(rc));
  }
  av::FormatContextPtr context(raw);

  rc = avformat_find_stream_info(context.get(), nullptr);
  if (rc < 0) Fail(ErrorCode::kAudioCorrupt, "cannot read stream info: " + av::ErrorString(rc));
  return context;
}

const AVStream* FirstAudioStream(const AVFormatContext& context) {
  for (unsigned i = 0; i < context.nb_streams; ++i) {
    if (context.streams[i]->codecpar->codec_type == AVMEDIA_TYPE_AUDIO) return context.streams[i];
  }
  return nullptr;
}

// Returns the decoder for the best audio stream and keeps only that stream.
av::CodecContextPtr OpenAudioDecoder(AVFormatContext& context, int& streamIndex) {
  const AVCodec* codec = nullptr;
  streamIndex = av_find_best_stream(&context, AVMEDIA_TYPE_AUDIO, -1, -1, &codec, 0);
  if (streamIndex == AVERROR_STREAM_NOT_FOUND) {
    Fail(ErrorCode::kAudioUnsupportedFormat, "the file has no audio stream");
  }
  if (streamIndex == AVERROR_DECODER_NOT_FOUND || codec == nullptr) {
    const AVStream* audio = FirstAudioStream(context);
    const char* name = audio ? avcodec_get_name(audio->codecpar->codec_id) : "unknown";
    Fail(ErrorCode::kAudioUnsupportedFormat, std::string("no decoder for codec '") + name + "'");
  }
  if (streamIndex < 0) Fail(ErrorCode::kAudioCorrupt, av::ErrorString(streamIndex));

  for (unsigned i = 0; i < context.nb_streams; ++i) {
    if (static_cast<int>(i) != streamIndex) context.streams[i]->discard = AVDISCARD_ALL;
  }

  const AVStream* stream = context.streams[streamIndex];
  av::CodecContextPtr decoder(avcodec_alloc_context3(codec));
  if (!decoder) throw std::bad_alloc();
  int rc = avcodec_parameters_to_context(decoder.get(), stream->codecpar);
  if (rc < 0) Fail(ErrorCode::kAudioCorrupt, "bad codec parameters: " + av::ErrorString(rc));
  decoder->pkt_timebase = stream->time_base;
  rc = avcodec_open2(decoder.get(), codec, nullptr);
  if (rc < 0) {
    Fail(ErrorCode::kAudioCorrupt,
         std::string("cannot open ") + codec->name + " decoder: " + av::ErrorString(rc));
  }
  return decoder;
}

// Feeds packets to one decoder and collects resampled output, enforcing the
// duration limit as samples arrive so an over-long upload costs at most
// maxDuration of decoding.
class StreamDecoder {
 public:
  StreamDecoder(AVCodecContext& decoder, size_t maxSamples, double maxDurationSec)
      : decoder_(decoder), maxSamples_(maxSamples), maxDurationSec_(maxDurationSec) {
    if (!frame_) throw std::bad_alloc();
  }

  // A null packet drains the decoder at end of stream.
  void Send(const AVPacket* packet) {
    const int rc = avcodec_send_packet(&decoder_, packet);
    if (rc < 0 && rc != AVERROR_EOF) {
      ++badPackets_;
      lastError_ = rc;
      return;
    }
    ReceiveFrames();
  }

  std::vector<float> Finish() {
    Send(nullptr);
    if (resampler_) resampler_->Flush(samples_);
    CheckDuration();
    return std::move(samples_);
  }

  size_t badPackets() const { return badPackets_; }
  size_t goodFrames() const { return goodFrames_; }
  int lastError() const { return lastError_; }

 private:
  void ReceiveFrames() {
    while (true) {
      const int rc = avcodec_receive_frame(&decoder_, frame_.get());
      if (rc == AVERROR(EAGAIN) || rc == AVERROR_EOF) return;
      if (rc < 0) {
        ++badPackets_;
        lastError_ = rc;
        return;
      }
      Consume(*frame_);
      av_frame_unref(frame_.get());
    }
  }

  void Consume(const AVFrame& frame) {
    if (frame.nb_samples <= 0) return;
    if (!resampler_ || !resampler_->Accepts(frame)) {
      if (frame.sample_rate < kMinInputRate || frame.sample_rate > kMaxInputRate) {
        Fail(ErrorCode::kAudioUnsupportedFormat,
             "sample rate " + std::to_string(frame.sample_rate) + " Hz is outside " +
                 std::to_string(kMinInputRate) + ".." + std::to_string(kMaxInputRate) + " Hz");
      }
      if (resampler_) resampler_->Flush(samples_);
      resampler_ = std::make_unique<Resampler>(
          frame.ch_layout, static_cast<AVSampleFormat>(frame.format), frame.sample_rate,
          kSampleRate);
    }
    resampler_->Convert(frame.extended_data, frame.nb_samples, samples_);
    ++goodFrames_;
    CheckDuration();
  }

  void CheckDuration() const {
    if (samples_.size() > maxSamples_) {
      char limit[32];
      std::snprintf(limit, sizeof(limit), "%g", maxDurationSec_);
      Fail(ErrorCode::kAudioTooLong, std::string("audio is longer than ") + limit + " s");
    }
  }

  AVCodecContext& decoder_;
  const size_t maxSamples_;
  const double maxDurationSec_;
  av::FramePtr frame_{av_frame_alloc()};
  std::unique_ptr<Resampler> resampler_;
  std::vector<float> samples_;
  size_t badPackets_ = 0;
  size_t goodFrames_ = 0;
  int lastError_ = 0;
};

}  // namespace

double DecodedAudio::durationMs() const {
  return static_cast<double>(samples.size()) * 1000.0 / kSampleRate;
}

void CheckDecodeInput(size_t size, const DecodeLimits& limits) {
  if (limits.maxBytes == 0 || !(limits.maxDurationSec > 0.0) ||
      !std::isfinite(limits.maxDurationSec)) {
    Fail(ErrorCode::kInvalidArgument, "maxBytes and maxDurationSec must be positive");
  }
  if (size == 0) Fail(ErrorCode::kAudioEmpty, "the audio buffer is empty");
  if (size > limits.maxBytes) {
    Fail(ErrorCode::kAudioTooLarge, "audio is larger than " + std::to_string(limits.maxBytes) +
                                        " bytes (" + std::to_string(size) + ")");
  }
}

DecodedAudio DecodeAudio(const uint8_t* data, size_t size, const DecodeLimits& limits) {
  CheckDecodeInput(size, limits);
  ConfigureLibav();

  MemoryInput input(data, size);
  av::FormatContextPtr container = OpenContainer(input.io());
  int streamIndex = -1;
  av::CodecContextPtr decoder = OpenAudioDecoder(*container, streamIndex);

  const auto maxSamples =
      static_cast<size_t>(std::ceil((limits.maxDurationSec + kDurationToleranceSec) * kSampleRate));
  StreamDecoder stream(*decoder, maxSamples, limits.maxDurationSec);
  av::PacketPtr packet(av_packet_alloc());
  if (!packet) throw std::bad_alloc();

  // Like ffmpeg, a demuxer error ends the stream: a damaged tail still leaves
  // the audio before it usable.
  int readError = 0;
  while (true) {
    const int rc = av_read_frame(container.get(), packet.get());
    if (rc < 0) {
      if (rc != AVERROR_EOF) readError = rc;
      break;
    }
    if (packet->stream_index == streamIndex) stream.Send(packet.get());
    av_packet_unref(packet.get());
  }

  DecodedAudio audio{stream.Finish()};
  if (stream.badPackets() > stream.goodFrames()) {
    Fail(ErrorCode::kAudioCorrupt, "most audio packets failed to decode: " +
                                       av::ErrorString(stream.lastError()));
  }
  if (audio.samples.empty()) {
    if (readError != 0) Fail(ErrorCode::kAudioCorrupt, av::ErrorString(readError));
    Fail(ErrorCode::kAudioEmpty, "the file contains no audio samples");
  }
  if (!HasSpeechEnergy(audio.samples.data(), audio.samples.size(), kSampleRate)) {
    Fail(ErrorCode::kAudioNoSpeech, "the audio is silent (no speech-level energy)");
  }
  return audio;
}

}  // namespace speakai
