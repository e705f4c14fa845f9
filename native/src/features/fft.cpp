#include "features/fft.h"

#include <cmath>
#include <stdexcept>

namespace speakai {

namespace {

bool IsPowerOfTwo(size_t n) { return n != 0 && (n & (n - 1)) == 0; }

std::complex<double> UnitRoot(size_t k, size_t n) {
  const double angle = -2.0 * M_PI * static_cast<double>(k) / static_cast<double>(n);
  return {std::cos(angle), std::sin(angle)};
}

}  // namespace

RealFft::RealFft(size_t size) : size_(size), half_(size / 2) {
  if (!IsPowerOfTwo(size) || size < 4) {
    throw std::invalid_argument("RealFft size must be a power of two >= 4");
  }
  size_t bits = 0;
  while ((size_t{1} << bits) < half_) ++bits;
  bitReverse_.resize(half_);
  for (size_t i = 0; i < half_; ++i) {
    size_t r = 0;
    for (size_t b = 0; b < bits; ++b) r |= ((i >> b) & 1) << (bits - 1 - b);
    bitReverse_[i] = r;
  }
  for (size_t j = 0; j < half_ / 2; ++j) twiddles_.push_back(UnitRoot(j, half_));
  for (size_t k = 0; k <= half_; ++k) splitTwiddles_.push_back(UnitRoot(k, size_));
  work_.resize(half_);
}

void RealFft::ComplexFftInPlace() {
  for (size_t i = 0; i < half_; ++i) {
    if (i < bitReverse_[i]) std::swap(work_[i], work_[bitReverse_[i]]);
  }
  for (size_t length = 2; length <= half_; length *= 2) {
    const size_t stride = half_ / length;
    for (size_t start = 0; start < half_; start += length) {
      for (size_t j = 0; j < length / 2; ++j) {
        const std::complex<double> odd = twiddles_[j * stride] * work_[start + j + length / 2];
        const std::complex<double> even = work_[start + j];
        work_[start + j] = even + odd;
        work_[start + j + length / 2] = even - odd;
      }
    }
  }
}

void RealFft::Forward(const double* in, std::complex<double>* out) {
  // z[n] = x[2n] + i*x[2n+1]; Z = FFT_{N/2}(z). Then with Z[N/2] = Z[0]:
  //   E[k] = (Z[k] + conj(Z[N/2-k])) / 2      (DFT of even samples)
  //   O[k] = (Z[k] - conj(Z[N/2-k])) / (2i)   (DFT of odd samples)
  //   X[k] = E[k] + exp(-2*pi*i*k/N) * O[k]
  for (size_t n = 0; n < half_; ++n) work_[n] = {in[2 * n], in[2 * n + 1]};
  ComplexFftInPlace();
  for (size_t k = 0; k <= half_; ++k) {
    const std::complex<double> zk = work_[k % half_];
    const std::complex<double> zm = std::conj(work_[(half_ - k) % half_]);
    const std::complex<double> even = 0.5 * (zk + zm);
    const std::complex<double> odd = std::complex<double>(0.0, -0.5) * (zk - zm);
    out[k] = even + splitTwiddles_[k] * odd;
  }
}

}  // namespace speakai
