#pragma once

#include <complex>
#include <cstddef>
#include <vector>

namespace speakai {

// Forward DFT of a real sequence whose length is a power of two:
//   X[k] = sum_n x[n] exp(-2*pi*i*k*n/N),  k = 0..N/2
// Computed as an N/2-point complex radix-2 FFT of the even/odd-packed input
// followed by the standard split step, with all twiddles precomputed in double.
// One instance per thread: Forward() uses an internal work buffer.
class RealFft {
 public:
  explicit RealFft(size_t size);  // size: power of two, >= 4

  size_t size() const { return size_; }

  // in: size() samples; out: size()/2 + 1 bins.
  void Forward(const double* in, std::complex<double>* out);

 private:
  void ComplexFftInPlace();

  size_t size_;
  size_t half_;
  std::vector<size_t> bitReverse_;                 // half_ entries
  std::vector<std::complex<double>> twiddles_;     // exp(-2*pi*i*j/half_), j < half_/2
  std::vector<std::complex<double>> splitTwiddles_;  // exp(-2*pi*i*k/size_), k <= half_
  std::vector<std::complex<double>> work_;
};

}  // namespace speakai
