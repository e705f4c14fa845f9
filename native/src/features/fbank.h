#pragma once

#include <cstddef>
#include <vector>

namespace speakai {

// Kaldi-compatible 80-dim log-mel filterbank for 16 kHz audio. The exact
// definition, which the Python training recipe must reproduce, is in
// native/FEATURES.md; constants here and there must agree.
namespace fbank {
constexpr size_t kFrameLength = 400;  // 25 ms
constexpr size_t kFrameShift = 160;   // 10 ms
constexpr size_t kFftSize = 512;
constexpr size_t kNumMelBins = 80;
constexpr double kLowHz = 20.0;
constexpr double kHighHz = 7600.0;
constexpr double kPreemphasis = 0.97;
constexpr double kPoveyPower = 0.85;
// Kaldi reads 16-bit PCM as integers; scaling [-1, 1] floats by 32768 puts
// our energies, and thus the log floor, on the same scale as Kaldi's.
constexpr double kWaveformScale = 32768.0;
}  // namespace fbank

struct Fbank {
  std::vector<float> data;  // row-major, frames x dims
  size_t frames = 0;
  size_t dims = fbank::kNumMelBins;
};

// snip-edges framing: 1 + (n - 400) / 160 frames when n >= 400, else 0.
size_t NumFbankFrames(size_t numSamples);

// Kaldi's Povey window: (0.5 - 0.5 cos(2 pi n / (N - 1)))^0.85.
std::vector<double> PoveyWindow(size_t length);

// samples: 16 kHz mono float32 in [-1, 1].
Fbank ComputeFbank(const float* samples, size_t numSamples);

}  // namespace speakai
