#include "features/fbank.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <complex>

#include "common/constants.h"
#include "features/fft.h"
#include "features/mel_banks.h"

namespace speakai {

namespace {

// Per-call state: tables are cheap to build (a few microseconds) and keeping
// them local makes ComputeFbank safe to run on any number of worker threads.
class FbankComputer {
 public:
  FbankComputer()
      : window_(PoveyWindow(fbank::kFrameLength)),
        fft_(fbank::kFftSize),
        melBanks_(fbank::kNumMelBins, fbank::kFftSize, kSampleRate, fbank::kLowHz,
                  fbank::kHighHz),
        frame_(fbank::kFftSize, 0.0),
        spectrum_(fbank::kFftSize / 2 + 1),
        power_(fbank::kFftSize / 2 + 1),
        energies_(fbank::kNumMelBins) {}

  void Frame(const float* samples, float* out) {
    LoadWindowedFrame(samples);
    fft_.Forward(frame_.data(), spectrum_.data());
    for (size_t k = 0; k < power_.size(); ++k) power_[k] = std::norm(spectrum_[k]);
    melBanks_.Apply(power_.data(), energies_.data());
    for (size_t b = 0; b < energies_.size(); ++b) {
      out[b] = static_cast<float>(std::log(std::max(energies_[b], double{FLT_EPSILON})));
    }
  }

 private:
  // Kaldi's ProcessWindow order: scale, remove DC, pre-emphasize, window;
  // the tail of frame_ stays zero as FFT padding.
  void LoadWindowedFrame(const float* samples) {
    const size_t n = fbank::kFrameLength;
    double mean = 0.0;
    for (size_t i = 0; i < n; ++i) {
      frame_[i] = fbank::kWaveformScale * static_cast<double>(samples[i]);
      mean += frame_[i];
    }
    mean /= static_cast<double>(n);
    for (size_t i = 0; i < n; ++i) frame_[i] -= mean;
    // Backwards so that each step uses the un-emphasized previous sample.
    for (size_t i = n - 1; i > 0; --i) frame_[i] -= fbank::kPreemphasis * frame_[i - 1];
    frame_[0] -= fbank::kPreemphasis * frame_[0];
    for (size_t i = 0; i < n; ++i) frame_[i] *= window_[i];
  }

  std::vector<double> window_;
  RealFft fft_;
  MelBanks melBanks_;
  std::vector<double> frame_;
  std::vector<std::complex<double>> spectrum_;
  std::vector<double> power_;
  std::vector<double> energies_;
};

}  // namespace

size_t NumFbankFrames(size_t numSamples) {
  if (numSamples < fbank::kFrameLength) return 0;
  return 1 + (numSamples - fbank::kFrameLength) / fbank::kFrameShift;
}

std::vector<double> PoveyWindow(size_t length) {
  std::vector<double> window(length);
  const double a = 2.0 * M_PI / static_cast<double>(length - 1);
  for (size_t i = 0; i < length; ++i) {
    window[i] = std::pow(0.5 - 0.5 * std::cos(a * static_cast<double>(i)), fbank::kPoveyPower);
  }
  return window;
}

Fbank ComputeFbank(const float* samples, size_t numSamples) {
  Fbank result;
  result.frames = NumFbankFrames(numSamples);
  result.data.resize(result.frames * result.dims);
  if (result.frames == 0) return result;

  FbankComputer computer;
  for (size_t t = 0; t < result.frames; ++t) {
    computer.Frame(samples + t * fbank::kFrameShift, result.data.data() + t * result.dims);
  }
  return result;
}

}  // namespace speakai
