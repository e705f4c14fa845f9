#pragma once

#include <cstdint>
#include <vector>

#include "audio/av_ptr.h"

namespace speakai {

// Converts any libav sample layout/format/rate to mono float32 at a fixed
// output rate, appending to a caller-owned vector.
class Resampler {
 public:
  Resampler(const AVChannelLayout& inLayout, AVSampleFormat inFormat, int inRate, int outRate);
  Resampler(const Resampler&) = delete;
  Resampler& operator=(const Resampler&) = delete;

  // True when frames shaped like `frame` can be fed to this instance; decoders
  // may change rate or layout mid-stream (chained Ogg, HE-AAC), and then a new
  // Resampler is needed.
  bool Accepts(const AVFrame& frame) const;

  void Convert(const uint8_t* const* in, int inSamples, std::vector<float>& out);
  // Drains the filter's delay line; call once at end of stream.
  void Flush(std::vector<float>& out);

 private:
  av::SwrContextPtr swr_;
  av::ChannelLayout inLayout_;
  AVSampleFormat inFormat_;
  int inRate_;
  int outRate_;
};

}  // namespace speakai
