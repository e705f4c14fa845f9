#pragma once

// Owning handles for libav objects. Every av* allocation in the engine goes
// through one of these so that no error path (and errors are thrown from deep
// inside decode loops) can leak.

#include <memory>
#include <string>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/channel_layout.h>
#include <libavutil/error.h>
#include <libavutil/frame.h>
#include <libavutil/mem.h>
#include <libswresample/swresample.h>
}

namespace speakai::av {

struct FormatContextDeleter {
  // Also right for custom I/O: with AVFMT_FLAG_CUSTOM_IO set, libav leaves
  // ->pb alone and the IoContext handle frees it.
  void operator()(AVFormatContext* p) const { avformat_close_input(&p); }
};

struct OutputContextDeleter {
  // Muxing contexts are freed, not closed; with AVFMT_FLAG_CUSTOM_IO ->pb is
  // the caller's, as for FormatContextDeleter.
  void operator()(AVFormatContext* p) const { avformat_free_context(p); }
};

struct IoContextDeleter {
  // libav may replace ->buffer with a bigger one, so free whatever it holds
  // now rather than the buffer we handed in.
  void operator()(AVIOContext* p) const {
    av_freep(&p->buffer);
    avio_context_free(&p);
  }
};

struct CodecContextDeleter {
  void operator()(AVCodecContext* p) const { avcodec_free_context(&p); }
};

struct FrameDeleter {
  void operator()(AVFrame* p) const { av_frame_free(&p); }
};

struct PacketDeleter {
  void operator()(AVPacket* p) const { av_packet_free(&p); }
};

struct SwrContextDeleter {
  void operator()(SwrContext* p) const { swr_free(&p); }
};

using FormatContextPtr = std::unique_ptr<AVFormatContext, FormatContextDeleter>;
using OutputContextPtr = std::unique_ptr<AVFormatContext, OutputContextDeleter>;
using IoContextPtr = std::unique_ptr<AVIOContext, IoContextDeleter>;
using CodecContextPtr = std::unique_ptr<AVCodecContext, CodecContextDeleter>;
using FramePtr = std::unique_ptr<AVFrame, FrameDeleter>;
using PacketPtr = std::unique_ptr<AVPacket, PacketDeleter>;
using SwrContextPtr = std::unique_ptr<SwrContext, SwrContextDeleter>;

// AVChannelLayout may own a heap map (custom channel orders).
class ChannelLayout {
 public:
  ChannelLayout() = default;
  ~ChannelLayout() { av_channel_layout_uninit(&layout_); }
  ChannelLayout(const ChannelLayout&) = delete;
  ChannelLayout& operator=(const ChannelLayout&) = delete;

  AVChannelLayout* get() { return &layout_; }
  const AVChannelLayout* get() const { return &layout_; }

 private:
  AVChannelLayout layout_{};
};

inline std::string ErrorString(int errnum) {
  char buf[AV_ERROR_MAX_STRING_SIZE] = {0};
  av_strerror(errnum, buf, sizeof(buf));
  return buf;
}

}  // namespace speakai::av
