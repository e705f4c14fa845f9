#pragma once

#include <cstddef>
#include <vector>

namespace speakai {

// Triangular filters equally spaced on the HTK mel scale, built exactly as
// Kaldi's MelBanks (no VTLN): filter b spans mel points b..b+2 of
// num_bins + 2 equally spaced points between mel(low) and mel(high), and is
// evaluated at FFT bins i = 0 .. fftSize/2 - 1 (Kaldi leaves out the Nyquist
// bin) with weight max(0, min(up_slope, down_slope)) computed in mel.
class MelBanks {
 public:
  MelBanks(size_t numBins, size_t fftSize, double sampleRate, double lowHz, double highHz);

  static double MelScale(double hz);  // 1127 * ln(1 + hz / 700)

  size_t numBins() const { return bins_.size(); }
  // Writes numBins() energies from a power spectrum of fftSize/2 + 1 bins.
  void Apply(const double* powerSpectrum, double* energies) const;

  // Non-zero span of filter `bin`: weights for FFT bins offset .. offset+size-1.
  size_t offset(size_t bin) const { return bins_[bin].offset; }
  const std::vector<double>& weights(size_t bin) const { return bins_[bin].weights; }

 private:
  struct Filter {
    size_t offset = 0;
    std::vector<double> weights;
  };
  std::vector<Filter> bins_;
};

}  // namespace speakai
