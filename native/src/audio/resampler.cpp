#include "audio/resampler.h"

#include <string>

extern "C" {
#include <libavutil/opt.h>
}

#include "common/engine_error.h"

namespace speakai {

namespace {

// Some demuxers only know the channel count; swresample needs an ordered
// layout to build its downmix matrix.
void CopyOrderedLayout(const AVChannelLayout& src, av::ChannelLayout& dst) {
  if (src.order == AV_CHANNEL_ORDER_UNSPEC || src.nb_channels <= 0) {
    av_channel_layout_default(dst.get(), src.nb_channels > 0 ? src.nb_channels : 1);
  } else if (av_channel_layout_copy(dst.get(), &src) < 0) {
    throw EngineError(ErrorCode::kInternal, "av_channel_layout_copy failed");
  }
}

}  // namespace

Resampler::Resampler(const AVChannelLayout& inLayout, AVSampleFormat inFormat, int inRate,
                     int outRate)
    : inFormat_(inFormat), inRate_(inRate), outRate_(outRate) {
  if (inRate <= 0) throw EngineError(ErrorCode::kAudioCorrupt, "invalid sample rate");
  CopyOrderedLayout(inLayout, inLayout_);

  SwrContext* raw = nullptr;
  // Not const: FFmpeg 5.x takes the layouts by non-const pointer.
  AVChannelLayout mono = AV_CHANNEL_LAYOUT_MONO;
  int rc = swr_alloc_set_opts2(&raw, &mono, AV_SAMPLE_FMT_FLT, outRate_, inLayout_.get(),
                               inFormat, inRate, 0, nullptr);
  swr_.reset(raw);
  if (rc < 0) throw EngineError(ErrorCode::kInternal, "swr_alloc_set_opts2: " + av::ErrorString(rc));

  // Downmix by averaging the channels (0.5 L + 0.5 R) instead of swresample's
  // default -3 dB sum, which can exceed [-1, 1] for correlated channels. An
  // average is also what a training pipeline does with x.mean(axis=channels).
  av_opt_set_double(swr_.get(), "rematrix_maxval", 1.0, 0);

  rc = swr_init(swr_.get());
  if (rc < 0) {
    throw EngineError(ErrorCode::kAudioUnsupportedFormat,
                      "cannot convert this sample layout: " + av::ErrorString(rc));
  }
}

bool Resampler::Accepts(const AVFrame& frame) const {
  av::ChannelLayout layout;
  CopyOrderedLayout(frame.ch_layout, layout);
  return frame.format == inFormat_ && frame.sample_rate == inRate_ &&
         av_channel_layout_compare(layout.get(), inLayout_.get()) == 0;
}

void Resampler::Convert(const uint8_t* const* in, int inSamples, std::vector<float>& out) {
  const int capacity = swr_get_out_samples(swr_.get(), inSamples);
  if (capacity < 0) throw EngineError(ErrorCode::kInternal, "swr_get_out_samples failed");
  if (capacity == 0) return;

  const size_t start = out.size();
  out.resize(start + static_cast<size_t>(capacity));
  auto* dst = reinterpret_cast<uint8_t*>(out.data() + start);
  const int written =
      swr_convert(swr_.get(), &dst, capacity, const_cast<const uint8_t**>(in), inSamples);
  if (written < 0) {
    out.resize(start);
    throw EngineError(ErrorCode::kInternal, "swr_convert: " + av::ErrorString(written));
  }
  out.resize(start + static_cast<size_t>(written));
}

void Resampler::Flush(std::vector<float>& out) { Convert(nullptr, 0, out); }

}  // namespace speakai
