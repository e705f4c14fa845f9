#include <cfloat>
#include <cmath>
#include <random>
#include <vector>

#include "features/fbank.h"
#include "features/mel_banks.h"
#include "harness.h"

using namespace speakai;

namespace {

const double kLogFloor = std::log(static_cast<double>(FLT_EPSILON));

// Straight-from-the-definition reference (native/FEATURES.md): direct DFT and
// mel weights computed inline, sharing no code with the implementation.
std::vector<double> ReferenceFrame(const float* samples) {
  const size_t n = 400, nfft = 512, bins = 80;
  std::vector<double> x(n);
  double mean = 0.0;
  for (size_t i = 0; i < n; ++i) mean += x[i] = 32768.0 * samples[i];
  mean /= n;
  for (double& v : x) v -= mean;
  std::vector<double> emphasized(n);
  emphasized[0] = x[0] - 0.97 * x[0];
  for (size_t i = 1; i < n; ++i) emphasized[i] = x[i] - 0.97 * x[i - 1];
  for (size_t i = 0; i < n; ++i) {
    emphasized[i] *= std::pow(0.5 - 0.5 * std::cos(2.0 * M_PI * i / (n - 1)), 0.85);
  }
  std::vector<double> power(nfft / 2 + 1);
  for (size_t k = 0; k <= nfft / 2; ++k) {
    double re = 0.0, im = 0.0;
    for (size_t t = 0; t < n; ++t) {
      const double angle = 2.0 * M_PI * static_cast<double>(k * t % nfft) / nfft;
      re += emphasized[t] * std::cos(angle);
      im -= emphasized[t] * std::sin(angle);
    }
    power[k] = re * re + im * im;
  }
  auto mel = [](double hz) { return 1127.0 * std::log(1.0 + hz / 700.0); };
  const double lo = mel(20.0), delta = (mel(7600.0) - lo) / (bins + 1);
  std::vector<double> out(bins);
  for (size_t b = 0; b < bins; ++b) {
    const double left = lo + b * delta, center = lo + (b + 1) * delta, right = lo + (b + 2) * delta;
    double energy = 0.0;
    for (size_t i = 0; i < nfft / 2; ++i) {
      const double m = mel(16000.0 / nfft * i);
      if (m > left && m < right) {
        energy += power[i] * (m <= center ? (m - left) / (center - left) : (right - m) / (right - center));
      }
    }
    out[b] = std::log(std::max(energy, static_cast<double>(FLT_EPSILON)));
  }
  return out;
}

std::vector<float> Noise(size_t n, double amplitude, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> dist(-amplitude, amplitude);
  std::vector<float> x(n);
  for (float& v : x) v = static_cast<float>(dist(rng));
  return x;
}

std::vector<float> Sine(size_t n, double hz, double amplitude) {
  std::vector<float> x(n);
  for (size_t i = 0; i < n; ++i) x[i] = static_cast<float>(amplitude * std::sin(2 * M_PI * hz * i / 16000.0));
  return x;
}

}  // namespace

TEST(frame_count_uses_snip_edges) {
  CHECK(NumFbankFrames(0) == 0);
  CHECK(NumFbankFrames(399) == 0);
  CHECK(NumFbankFrames(400) == 1);
  CHECK(NumFbankFrames(559) == 1);
  CHECK(NumFbankFrames(560) == 2);
  CHECK(NumFbankFrames(16000) == 98);
  const Fbank f = ComputeFbank(nullptr, 0);
  CHECK(f.frames == 0 && f.data.empty() && f.dims == 80);
}

TEST(povey_window_shape) {
  const std::vector<double> w = PoveyWindow(400);
  CHECK(w.size() == 400);
  CHECK_NEAR(w[0], 0.0, 1e-12);
  CHECK_NEAR(w[399], 0.0, 1e-12);
  for (size_t i = 0; i < 200; ++i) CHECK_NEAR(w[i], w[399 - i], 1e-12);
  CHECK(w[199] > 0.9999 && w[199] <= 1.0);
  CHECK_NEAR(w[100], std::pow(0.5 - 0.5 * std::cos(2 * M_PI * 100 / 399), 0.85), 1e-15);
}

TEST(mel_banks_follow_kaldi_layout) {
  CHECK_NEAR(MelBanks::MelScale(700.0), 1127.0 * std::log(2.0), 1e-9);
  const MelBanks banks(80, 512, 16000, 20, 7600);
  CHECK(banks.numBins() == 80);
  size_t previousOffset = 0;
  for (size_t b = 0; b < banks.numBins(); ++b) {
    CHECK(banks.offset(b) >= previousOffset);
    previousOffset = banks.offset(b);
    double peak = 0.0;
    for (double w : banks.weights(b)) {
      CHECK(w >= 0.0 && w <= 1.0);
      peak = std::max(peak, w);
    }
    CHECK(peak > 0.0);
    // Nothing above 7600 Hz (bin 243.2) and never the Nyquist bin 256.
    CHECK(banks.offset(b) + banks.weights(b).size() <= 244);
  }
  CHECK(banks.offset(0) >= 1);  // 0 Hz is below the 20 Hz edge
}

TEST(matches_direct_definition) {
  const std::vector<float> x = Noise(400 + 160 * 9, 0.3, 11);
  const Fbank f = ComputeFbank(x.data(), x.size());
  CHECK(f.frames == 10);
  double worst = 0.0;
  for (size_t t = 0; t < f.frames; ++t) {
    const std::vector<double> expected = ReferenceFrame(x.data() + t * 160);
    for (size_t b = 0; b < 80; ++b) worst = std::max(worst, std::fabs(f.data[t * 80 + b] - expected[b]));
  }
  CHECK_NEAR(worst, 0.0, 1e-4);
}

TEST(silence_and_dc_hit_the_log_floor) {
  for (float level : {0.0f, 0.25f}) {
    const std::vector<float> x(1600, level);
    const Fbank f = ComputeFbank(x.data(), x.size());
    for (float v : f.data) CHECK_NEAR(v, kLogFloor, 1e-6);
  }
}

TEST(sine_peaks_in_the_nearest_mel_bin) {
  const std::vector<float> x = Sine(4000, 1000.0, 0.5);
  const Fbank f = ComputeFbank(x.data(), x.size());
  size_t best = 0;
  for (size_t b = 1; b < 80; ++b) if (f.data[b] > f.data[best]) best = b;
  // Centre of filter b, back in Hz: b + 1 steps above mel(20 Hz).
  const double lo = MelBanks::MelScale(20), delta = (MelBanks::MelScale(7600) - lo) / 81;
  const double centreHz = 700.0 * (std::exp((lo + (best + 1) * delta) / 1127.0) - 1.0);
  CHECK(std::fabs(centreHz - 1000.0) < 60.0);
}

TEST(doubling_amplitude_adds_log4) {
  const std::vector<float> x = Noise(2000, 0.1, 5);
  std::vector<float> louder(x);
  for (float& v : louder) v *= 2.0f;
  const Fbank a = ComputeFbank(x.data(), x.size());
  const Fbank b = ComputeFbank(louder.data(), louder.size());
  for (size_t i = 0; i < a.data.size(); ++i) CHECK_NEAR(b.data[i] - a.data[i], std::log(4.0), 1e-4);
}
