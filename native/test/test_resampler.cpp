#include <cmath>
#include <cstdint>
#include <vector>

#include "audio/resampler.h"
#include "harness.h"

using speakai::Resampler;

namespace {

std::vector<float> ResampleMono(const std::vector<int16_t>& in, int inRate, int outRate) {
  AVChannelLayout mono = AV_CHANNEL_LAYOUT_MONO;
  Resampler resampler(mono, AV_SAMPLE_FMT_S16, inRate, outRate);
  std::vector<float> out;
  const auto* data = reinterpret_cast<const uint8_t*>(in.data());
  resampler.Convert(&data, static_cast<int>(in.size()), out);
  resampler.Flush(out);
  return out;
}

size_t ArgMaxAbs(const std::vector<float>& x) {
  size_t best = 0;
  for (size_t i = 1; i < x.size(); ++i) if (std::fabs(x[i]) > std::fabs(x[best])) best = i;
  return best;
}

}  // namespace

// Synthesized phone times are converted from espeak's 22050 Hz clock; that is
// only right if resampling neither delays nor advances the signal.
TEST(resampling_preserves_time) {
  std::vector<int16_t> in(22050, 0);
  in[2205] = 20000;  // 100 ms
  const std::vector<float> out = ResampleMono(in, 22050, 16000);
  CHECK(std::labs(static_cast<long>(out.size()) - 16000) <= 1);
  CHECK(std::labs(static_cast<long>(ArgMaxAbs(out)) - 1600) <= 1);
}

TEST(s16_scales_to_unit_float) {
  const std::vector<float> out = ResampleMono(std::vector<int16_t>(1600, 16384), 16000, 16000);
  CHECK(out.size() == 1600);
  CHECK_NEAR(out[800], 0.5, 1e-6);
}

TEST(stereo_is_averaged) {
  AVChannelLayout stereo = AV_CHANNEL_LAYOUT_STEREO;
  Resampler resampler(stereo, AV_SAMPLE_FMT_FLTP, 16000, 16000);
  std::vector<float> left(1000, 0.8f), right(1000, 0.2f), out;
  const uint8_t* planes[] = {reinterpret_cast<const uint8_t*>(left.data()),
                             reinterpret_cast<const uint8_t*>(right.data())};
  resampler.Convert(planes, 1000, out);
  resampler.Flush(out);
  CHECK(out.size() == 1000);
  CHECK_NEAR(out[500], 0.5, 1e-6);
}

TEST(accepts_only_matching_frames) {
  AVChannelLayout mono = AV_CHANNEL_LAYOUT_MONO;
  Resampler resampler(mono, AV_SAMPLE_FMT_S16, 22050, 16000);
  speakai::av::FramePtr frame(av_frame_alloc());
  frame->format = AV_SAMPLE_FMT_S16;
  frame->sample_rate = 22050;
  av_channel_layout_default(&frame->ch_layout, 1);
  CHECK(resampler.Accepts(*frame));
  frame->sample_rate = 44100;
  CHECK(!resampler.Accepts(*frame));
  frame->sample_rate = 22050;
  av_channel_layout_uninit(&frame->ch_layout);
  av_channel_layout_default(&frame->ch_layout, 2);
  CHECK(!resampler.Accepts(*frame));
}
