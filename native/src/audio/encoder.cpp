#include "audio/encoder.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <new>
#include <string>

extern "C" {
#include <libavutil/opt.h>
}

#include "audio/av_ptr.h"
#include "audio/libav_setup.h"
#include "audio/memory_output.h"
#include "audio/resampler.h"
#include "common/engine_error.h"

namespace speakai {

namespace {

struct FormatSpec {
  AudioFormat format;
  const char* name;
  const char* mimeType;
  const char* muxer;
  const char* encoder;  // by name: libav may also carry weaker native encoders of the same codec
  int64_t bitRate;      // 0: the codec's own (PCM)
  int fixedRate;        // 0: keep the input rate where the codec allows it
};

// Opus always runs at 48 kHz inside; handing it 48 kHz means browsers and our
// decoder see exactly the rate the header announces. 32 kbit/s mono Opus and
// 48 kbit/s MP3 are transparent for 22 kHz speech and keep a word under 10 KB.
constexpr FormatSpec kFormats[] = {
    {AudioFormat::kWav, "wav", "audio/wav", "wav", "pcm_s16le", 0, 0},
    {AudioFormat::kOpus, "opus", "audio/ogg", "ogg", "libopus", 32000, 48000},
    {AudioFormat::kMp3, "mp3", "audio/mpeg", "mp3", "libmp3lame", 48000, 0},
};

constexpr int kMinRate = 8000, kMaxRate = 192000;
constexpr double kMaxSeconds = 600;
// Frames for codecs that take any size (PCM).
constexpr int kDefaultFrameSize = 1024;

[[noreturn]] void Fail(ErrorCode code, const std::string& message) { throw EngineError(code, message); }

void Check(int rc, const char* what) {
  if (rc < 0) Fail(ErrorCode::kEncodeFailed, std::string(what) + ": " + av::ErrorString(rc));
}

const FormatSpec& SpecOf(AudioFormat format) {
  for (const FormatSpec& spec : kFormats) {
    if (spec.format == format) return spec;
  }
  Fail(ErrorCode::kInvalidArgument, "unknown audio format");
}

void CheckInput(const float* samples, size_t count, int sampleRate) {
  if (sampleRate < kMinRate || sampleRate > kMaxRate) {
    Fail(ErrorCode::kInvalidArgument, "sample rate must be between 8000 and 192000 Hz");
  }
  if (samples == nullptr || count == 0) Fail(ErrorCode::kInvalidArgument, "there are no samples to encode");
  if (static_cast<double>(count) > kMaxSeconds * sampleRate) {
    Fail(ErrorCode::kInvalidArgument, "at most 600 s of audio can be encoded at once");
  }
  if (!std::all_of(samples, samples + count, [](float s) { return std::isfinite(s); })) {
    Fail(ErrorCode::kInvalidArgument, "samples must be finite numbers");
  }
}

int PickSampleRate(const AVCodec& codec, const FormatSpec& spec, int inputRate) {
  if (spec.fixedRate > 0) return spec.fixedRate;
  const int* rates = codec.supported_samplerates;
  if (rates == nullptr) return inputRate;
  int above = 0, highest = 0;
  for (; *rates != 0; ++rates) {
    if (*rates == inputRate) return inputRate;
    if (*rates > inputRate && (above == 0 || *rates < above)) above = *rates;
    highest = std::max(highest, *rates);
  }
  return above > 0 ? above : highest;
}

// Mono, so planar and packed layouts are the same bytes.
AVSampleFormat PickSampleFormat(const AVCodec& codec) {
  for (AVSampleFormat wanted : {AV_SAMPLE_FMT_FLT, AV_SAMPLE_FMT_FLTP, AV_SAMPLE_FMT_S16, AV_SAMPLE_FMT_S16P}) {
    for (const AVSampleFormat* f = codec.sample_fmts; f != nullptr && *f != AV_SAMPLE_FMT_NONE; ++f) {
      if (*f == wanted) return wanted;
    }
  }
  Fail(ErrorCode::kEncodeFailed, std::string("no usable sample format for ") + codec.name);
}

std::vector<float> ToRate(const float* samples, size_t count, int inputRate, int outputRate) {
  if (inputRate == outputRate) return std::vector<float>(samples, samples + count);
  const AVChannelLayout mono = AV_CHANNEL_LAYOUT_MONO;
  Resampler resampler(mono, AV_SAMPLE_FMT_FLT, inputRate, outputRate);
  std::vector<float> out;
  out.reserve(static_cast<size_t>(static_cast<double>(count) * outputRate / inputRate) + 64);
  const auto* in = reinterpret_cast<const uint8_t*>(samples);
  resampler.Convert(&in, static_cast<int>(count), out);
  resampler.Flush(out);
  return out;
}

void FillFrame(AVFrame& frame, const float* samples, int count) {
  if (frame.format == AV_SAMPLE_FMT_FLT || frame.format == AV_SAMPLE_FMT_FLTP) {
    std::memcpy(frame.data[0], samples, sizeof(float) * static_cast<size_t>(count));
    return;
  }
  auto* out = reinterpret_cast<int16_t*>(frame.data[0]);
  for (int i = 0; i < count; ++i) {
    out[i] = static_cast<int16_t>(std::lround(std::clamp(samples[i], -1.0f, 1.0f) * 32767.0f));
  }
}

// One encoder feeding one muxer into memory; every libav object is owned, so
// a failure anywhere frees everything.
class EncodingSession {
 public:
  EncodingSession(const FormatSpec& spec, int inputRate) {
    if (!frame_ || !packet_) throw std::bad_alloc();
    const AVCodec* codec = avcodec_find_encoder_by_name(spec.encoder);
    if (codec == nullptr) Fail(ErrorCode::kEncodeFailed, std::string("this libav has no ") + spec.encoder + " encoder");
    OpenContainer(spec);
    OpenEncoder(*codec, spec, inputRate);
    Check(avformat_write_header(container_.get(), nullptr), "cannot write the header");
  }

  int sampleRate() const { return encoder_->sample_rate; }

  std::vector<uint8_t> Encode(const std::vector<float>& samples) {
    const int frameSize = encoder_->frame_size > 0 ? encoder_->frame_size : kDefaultFrameSize;
    const bool shortLastFrame =
        encoder_->codec->capabilities & (AV_CODEC_CAP_VARIABLE_FRAME_SIZE | AV_CODEC_CAP_SMALL_LAST_FRAME);
    std::vector<float> padded;
    for (size_t at = 0; at < samples.size(); at += static_cast<size_t>(frameSize)) {
      const int left = static_cast<int>(std::min<size_t>(frameSize, samples.size() - at));
      if (left < frameSize && !shortLastFrame) {
        padded.assign(samples.begin() + static_cast<std::ptrdiff_t>(at), samples.end());
        padded.resize(static_cast<size_t>(frameSize), 0.0f);
        SendFrame(padded.data(), frameSize, static_cast<int64_t>(at));
      } else {
        SendFrame(samples.data() + at, left, static_cast<int64_t>(at));
      }
    }
    Check(avcodec_send_frame(encoder_.get(), nullptr), "cannot flush the encoder");
    WritePackets();
    Check(av_write_trailer(container_.get()), "cannot finish the file");
    return output_.Take();
  }

 private:
  void OpenContainer(const FormatSpec& spec) {
    AVFormatContext* raw = nullptr;
    Check(avformat_alloc_output_context2(&raw, nullptr, spec.muxer, nullptr), "no muxer");
    container_.reset(raw);
    container_->pb = output_.io();
    // Same samples, same bytes: no library versions or timestamps in the file.
    container_->flags |= AVFMT_FLAG_CUSTOM_IO | AVFMT_FLAG_BITEXACT;
    // An ID3 tag would say nothing; the Xing/LAME frame (encoder delay) stays.
    if (spec.format == AudioFormat::kMp3) av_opt_set_int(container_->priv_data, "id3v2_version", 0, 0);
    stream_ = avformat_new_stream(container_.get(), nullptr);
    if (stream_ == nullptr) throw std::bad_alloc();
  }

  void OpenEncoder(const AVCodec& codec, const FormatSpec& spec, int inputRate) {
    encoder_.reset(avcodec_alloc_context3(&codec));
    if (!encoder_) throw std::bad_alloc();
    encoder_->sample_rate = PickSampleRate(codec, spec, inputRate);
    encoder_->sample_fmt = PickSampleFormat(codec);
    const AVChannelLayout mono = AV_CHANNEL_LAYOUT_MONO;
    Check(av_channel_layout_copy(&encoder_->ch_layout, &mono), "channel layout");
    encoder_->bit_rate = spec.bitRate;
    encoder_->time_base = {1, encoder_->sample_rate};
    encoder_->flags |= AV_CODEC_FLAG_BITEXACT;
    if (container_->oformat->flags & AVFMT_GLOBALHEADER) encoder_->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    Check(avcodec_open2(encoder_.get(), &codec, nullptr), "cannot open the encoder");
    Check(avcodec_parameters_from_context(stream_->codecpar, encoder_.get()), "codec parameters");
    stream_->time_base = encoder_->time_base;
  }

  void SendFrame(const float* samples, int count, int64_t pts) {
    av_frame_unref(frame_.get());
    frame_->nb_samples = count;
    frame_->format = encoder_->sample_fmt;
    frame_->sample_rate = encoder_->sample_rate;
    Check(av_channel_layout_copy(&frame_->ch_layout, &encoder_->ch_layout), "channel layout");
    Check(av_frame_get_buffer(frame_.get(), 0), "frame buffer");
    FillFrame(*frame_, samples, count);
    frame_->pts = pts;
    Check(avcodec_send_frame(encoder_.get(), frame_.get()), "cannot encode");
    WritePackets();
  }

  void WritePackets() {
    while (true) {
      const int rc = avcodec_receive_packet(encoder_.get(), packet_.get());
      if (rc == AVERROR(EAGAIN) || rc == AVERROR_EOF) return;
      Check(rc, "cannot encode");
      av_packet_rescale_ts(packet_.get(), encoder_->time_base, stream_->time_base);
      packet_->stream_index = stream_->index;
      // Takes the packet's reference, also on failure.
      Check(av_write_frame(container_.get(), packet_.get()), "cannot write audio");
    }
  }

  MemoryOutput output_;  // first: the container points into it until it is gone
  av::OutputContextPtr container_;
  AVStream* stream_ = nullptr;  // owned by container_
  av::CodecContextPtr encoder_;
  av::FramePtr frame_{av_frame_alloc()};
  av::PacketPtr packet_{av_packet_alloc()};
};

}  // namespace

AudioFormat ParseAudioFormat(const std::string& name) {
  for (const FormatSpec& spec : kFormats) {
    if (name == spec.name) return spec.format;
  }
  Fail(ErrorCode::kInvalidArgument, "format must be one of wav, opus, mp3 (got '" + name + "')");
}

const char* AudioFormatName(AudioFormat format) { return SpecOf(format).name; }
const char* AudioFormatMimeType(AudioFormat format) { return SpecOf(format).mimeType; }

EncodedAudio EncodeAudio(const float* samples, size_t count, int sampleRate, AudioFormat format) {
  CheckInput(samples, count, sampleRate);
  ConfigureLibav();
  EncodingSession session(SpecOf(format), sampleRate);
  const std::vector<float> resampled = ToRate(samples, count, sampleRate, session.sampleRate());
  return {session.Encode(resampled), session.sampleRate()};
}

}  // namespace speakai
