#include "features/mel_banks.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace speakai {

double MelBanks::MelScale(double hz) { return 1127.0 * std::log(1.0 + hz / 700.0); }

MelBanks::MelBanks(size_t numBins, size_t fftSize, double sampleRate, double lowHz,
                   double highHz) {
  if (numBins < 3 || fftSize < 4 || fftSize % 2 != 0 || !(0.0 <= lowHz) || !(lowHz < highHz) ||
      !(highHz <= sampleRate / 2)) {
    throw std::invalid_argument("bad mel bank configuration");
  }
  const size_t numFftBins = fftSize / 2;
  const double binWidthHz = sampleRate / static_cast<double>(fftSize);
  const double melLow = MelScale(lowHz);
  const double melDelta = (MelScale(highHz) - melLow) / static_cast<double>(numBins + 1);

  bins_.resize(numBins);
  for (size_t b = 0; b < numBins; ++b) {
    const double left = melLow + static_cast<double>(b) * melDelta;
    const double center = left + melDelta;
    const double right = center + melDelta;

    std::vector<double> row(numFftBins, 0.0);
    for (size_t i = 0; i < numFftBins; ++i) {
      const double mel = MelScale(binWidthHz * static_cast<double>(i));
      const double up = (mel - left) / (center - left);
      const double down = (right - mel) / (right - center);
      row[i] = std::max(0.0, std::min(up, down));
    }
    // Keep only the non-zero span: 80 filters x ~10 bins instead of x 256.
    const auto first = std::find_if(row.begin(), row.end(), [](double w) { return w > 0.0; });
    const auto last = std::find_if(row.rbegin(), row.rend(), [](double w) { return w > 0.0; });
    if (first == row.end()) throw std::invalid_argument("empty mel filter: too many bins for fftSize");
    bins_[b].offset = static_cast<size_t>(first - row.begin());
    bins_[b].weights.assign(first, last.base());
  }
}

void MelBanks::Apply(const double* powerSpectrum, double* energies) const {
  for (size_t b = 0; b < bins_.size(); ++b) {
    const Filter& f = bins_[b];
    double sum = 0.0;
    for (size_t j = 0; j < f.weights.size(); ++j) sum += f.weights[j] * powerSpectrum[f.offset + j];
    energies[b] = sum;
  }
}

}  // namespace speakai
