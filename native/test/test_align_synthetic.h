#pragma once

// Synthetic acoustic-model output with a known truth, shared by test_align
// and test_gop: no model needed.

#include <cmath>
#include <cstdint>
#include <random>
#include <utility>
#include <vector>

#include "align/log_posteriors.h"

namespace speakai::test {

// Our inventory: SIL + 39 CMU phones (models/manifest.json order).
constexpr int32_t kNumPhones = 40;
constexpr int32_t kSil = 0;
constexpr int32_t kAA = 1, kAE = 2, kAH = 3, kB = 7, kD = 9, kEH = 11, kEY = 13, kK = 20, kM = 22, kN = 23,
                  kOW = 25, kS = 29, kT = 31, kIY = 18, kR = 28;

// (phone, frames) runs -> one truth label per frame.
inline std::vector<int32_t> Labels(const std::vector<std::pair<int32_t, int32_t>>& runs) {
  std::vector<int32_t> labels;
  for (const auto& [phone, frames] : runs) labels.insert(labels.end(), static_cast<size_t>(frames), phone);
  return labels;
}

// Boundaries (first frame of each run) of the same runs.
inline std::vector<int32_t> RunStarts(const std::vector<std::pair<int32_t, int32_t>>& runs) {
  std::vector<int32_t> starts;
  int32_t t = 0;
  for (const auto& run : runs) {
    starts.push_back(t);
    t += run.second;
  }
  return starts;
}

struct SyntheticPosteriors {
  std::vector<float> data;
  int32_t numPhones = kNumPhones;

  LogPosteriorMatrix View() const {
    return {data.data(), static_cast<int32_t>(data.size() / static_cast<size_t>(numPhones)), numPhones};
  }
};

// Each frame: log-softmax of logits that are N(0, noise) for every phone plus
// `peak` for the frame's true phone.
inline SyntheticPosteriors MakePosteriors(const std::vector<int32_t>& labels, double peak, double noise,
                                          unsigned seed = 1, int32_t numPhones = kNumPhones) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> gaussian(0.0, 1.0);
  SyntheticPosteriors out;
  out.numPhones = numPhones;
  std::vector<double> logits(static_cast<size_t>(numPhones));
  for (int32_t label : labels) {
    double total = 0.0;
    for (int32_t q = 0; q < numPhones; ++q) {
      logits[static_cast<size_t>(q)] = noise * gaussian(rng) + (q == label ? peak : 0.0);
      total += std::exp(logits[static_cast<size_t>(q)]);
    }
    for (double logit : logits) out.data.push_back(static_cast<float>(logit - std::log(total)));
  }
  return out;
}

}  // namespace speakai::test
