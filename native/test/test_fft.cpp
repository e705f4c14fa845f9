#include <cmath>
#include <complex>
#include <random>
#include <stdexcept>
#include <vector>

#include "features/fft.h"
#include "harness.h"

using speakai::RealFft;
using Complex = std::complex<double>;

namespace {

std::vector<Complex> DirectDft(const std::vector<double>& x) {
  const size_t n = x.size();
  std::vector<Complex> out(n / 2 + 1);
  for (size_t k = 0; k <= n / 2; ++k) {
    Complex sum = 0.0;
    for (size_t t = 0; t < n; ++t) {
      const double angle = -2.0 * M_PI * static_cast<double>(k * t % n) / static_cast<double>(n);
      sum += x[t] * Complex(std::cos(angle), std::sin(angle));
    }
    out[k] = sum;
  }
  return out;
}

std::vector<double> RandomSignal(size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> dist(-1.0, 1.0);
  std::vector<double> x(n);
  for (double& v : x) v = dist(rng);
  return x;
}

std::vector<Complex> Fft(const std::vector<double>& x) {
  RealFft fft(x.size());
  std::vector<Complex> out(x.size() / 2 + 1);
  fft.Forward(x.data(), out.data());
  return out;
}

}  // namespace

TEST(matches_direct_dft_for_all_sizes) {
  for (size_t n = 4; n <= 2048; n *= 2) {
    const std::vector<double> x = RandomSignal(n, static_cast<unsigned>(n));
    const std::vector<Complex> expected = DirectDft(x);
    const std::vector<Complex> actual = Fft(x);
    double worst = 0.0;
    for (size_t k = 0; k < expected.size(); ++k) worst = std::max(worst, std::abs(actual[k] - expected[k]));
    CHECK_NEAR(worst, 0.0, 1e-9 * static_cast<double>(n));
  }
}

TEST(parseval_holds) {
  const size_t n = 512;
  const std::vector<double> x = RandomSignal(n, 7);
  const std::vector<Complex> X = Fft(x);
  double timeEnergy = 0.0;
  for (double v : x) timeEnergy += v * v;
  double freqEnergy = std::norm(X[0]) + std::norm(X[n / 2]);
  for (size_t k = 1; k < n / 2; ++k) freqEnergy += 2.0 * std::norm(X[k]);
  CHECK_NEAR(freqEnergy / static_cast<double>(n), timeEnergy, 1e-9 * timeEnergy);
}

TEST(impulse_has_flat_spectrum) {
  std::vector<double> x(256, 0.0);
  x[0] = 1.0;
  for (const Complex& bin : Fft(x)) {
    CHECK_NEAR(bin.real(), 1.0, 1e-12);
    CHECK_NEAR(bin.imag(), 0.0, 1e-12);
  }
}

TEST(cosine_lands_in_its_bin) {
  const size_t n = 512, k0 = 37;
  std::vector<double> x(n);
  for (size_t t = 0; t < n; ++t) x[t] = std::cos(2.0 * M_PI * k0 * t / n);
  const std::vector<Complex> X = Fft(x);
  for (size_t k = 0; k < X.size(); ++k) {
    CHECK_NEAR(std::abs(X[k]), k == k0 ? n / 2.0 : 0.0, 1e-9);
  }
}

TEST(real_input_gives_real_dc_and_nyquist) {
  const std::vector<double> x = RandomSignal(64, 3);
  const std::vector<Complex> X = Fft(x);
  CHECK_NEAR(X[0].imag(), 0.0, 1e-12);
  CHECK_NEAR(X[32].imag(), 0.0, 1e-12);
}

TEST(rejects_bad_sizes) {
  for (size_t n : {0, 2, 3, 400, 513}) {
    bool threw = false;
    try {
      RealFft fft(n);
    } catch (const std::invalid_argument&) {
      threw = true;
    }
    CHECK(threw);
  }
}
