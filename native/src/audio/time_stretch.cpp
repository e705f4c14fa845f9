#include "audio/time_stretch.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <utility>

#include "common/engine_error.h"

namespace speakai {

namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kWindowSec = 0.020;     // about two pitch periods of a low voice
constexpr double kToleranceSec = 0.008;  // a pitch period or so: enough to find one that lines up

// Periodic Hann: at 50 % overlap the windows sum to exactly 1, so where frames
// are taken at their nominal place the input comes back unchanged.
std::vector<double> HannWindow(int length) {
  std::vector<double> window(static_cast<size_t>(length));
  for (int n = 0; n < length; ++n) window[static_cast<size_t>(n)] = 0.5 - 0.5 * std::cos(2 * kPi * n / length);
  return window;
}

// Input sample, zero outside the signal (frames at the edges reach past it).
class Signal {
 public:
  explicit Signal(const std::vector<float>& samples) : samples_(samples) {}
  double operator()(int64_t i) const {
    return i >= 0 && i < static_cast<int64_t>(samples_.size()) ? samples_[static_cast<size_t>(i)] : 0.0;
  }

 private:
  const std::vector<float>& samples_;
};

// The frame start within +-tolerance of `nominal` whose content best matches
// what naturally follows the previous frame (normalized cross-correlation).
// Ties keep the nominal place, so silence and unchanged stretches stay put.
int64_t BestMatch(const Signal& x, int64_t nominal, int64_t continuation, int length, int tolerance) {
  double targetEnergy = 0;
  for (int n = 0; n < length; ++n) targetEnergy += x(continuation + n) * x(continuation + n);
  int64_t best = nominal;
  double bestScore = -2;
  for (int step = 0; step <= 2 * tolerance; ++step) {
    // 0, -1, +1, -2, +2, ...: nearest candidates first.
    const int64_t candidate = nominal + (step % 2 == 0 ? step / 2 : -(step + 1) / 2);
    double dot = 0, energy = 0;
    for (int n = 0; n < length; ++n) {
      const double v = x(candidate + n);
      dot += v * x(continuation + n);
      energy += v * v;
    }
    const double score = energy > 0 && targetEnergy > 0 ? dot / std::sqrt(energy * targetEnergy) : 0;
    if (score > bestScore) {
      bestScore = score;
      best = candidate;
    }
  }
  return best;
}

}  // namespace

StretchMap::StretchMap(std::vector<StretchSpan> spans, size_t inputLength)
    : spans_(std::move(spans)), inputLength_(inputLength), outputLength_(inputLength) {
  size_t previousEnd = 0;
  for (const StretchSpan& span : spans_) {
    if (span.start < previousEnd || span.end <= span.start || span.end > inputLength || span.outLength == 0) {
      throw EngineError(ErrorCode::kInvalidArgument, "stretch spans must be sorted, disjoint and inside the audio");
    }
    outStarts_.push_back(span.start + outputLength_ - inputLength_);
    outputLength_ += span.outLength - (span.end - span.start);
    previousEnd = span.end;
  }
}

double StretchMap::ToOutput(double input) const {
  double shift = 0;
  for (size_t i = 0; i < spans_.size(); ++i) {
    const StretchSpan& span = spans_[i];
    if (input < static_cast<double>(span.start)) break;
    const double length = static_cast<double>(span.end - span.start);
    if (input < static_cast<double>(span.end)) {
      return static_cast<double>(outStarts_[i]) + (input - static_cast<double>(span.start)) * span.outLength / length;
    }
    shift = static_cast<double>(outStarts_[i] + span.outLength) - static_cast<double>(span.end);
  }
  return input + shift;
}

double StretchMap::ToInput(double output) const {
  double shift = 0;
  for (size_t i = 0; i < spans_.size(); ++i) {
    const StretchSpan& span = spans_[i];
    const double outStart = static_cast<double>(outStarts_[i]);
    if (output < outStart) break;
    if (output < outStart + static_cast<double>(span.outLength)) {
      return static_cast<double>(span.start) +
             (output - outStart) * static_cast<double>(span.end - span.start) / span.outLength;
    }
    shift = outStart + static_cast<double>(span.outLength) - static_cast<double>(span.end);
  }
  return output - shift;
}

bool StretchMap::TouchesSpan(double from, double to) const {
  for (size_t i = 0; i < spans_.size(); ++i) {
    const double outStart = static_cast<double>(outStarts_[i]);
    if (from < outStart + static_cast<double>(spans_[i].outLength) && to > outStart) return true;
  }
  return false;
}

std::vector<float> StretchSpans(const std::vector<float>& input, const StretchMap& map, int sampleRate) {
  if (map.inputLength() != input.size() || sampleRate <= 0) {
    throw EngineError(ErrorCode::kInvalidArgument, "the stretch map does not fit the audio");
  }
  const int hop = std::max(1, static_cast<int>(std::lround(kWindowSec * sampleRate / 2)));
  const int length = 2 * hop;
  const int tolerance = static_cast<int>(std::lround(kToleranceSec * sampleRate));
  const std::vector<double> window = HannWindow(length);
  const Signal x(input);
  const auto total = static_cast<int64_t>(map.outputLength());

  std::vector<double> out(static_cast<size_t>(total), 0.0);
  int64_t previous = 0;
  // Frames start one hop before the output so that every sample is covered by two windows.
  for (int64_t at = -hop, frame = 0; at < total; at += hop, ++frame) {
    const int64_t nominal = std::llround(map.ToInput(static_cast<double>(at + hop))) - hop;
    const bool stretched = frame > 0 && map.TouchesSpan(static_cast<double>(at), static_cast<double>(at + length));
    const int64_t chosen = stretched ? BestMatch(x, nominal, previous + hop, length, tolerance) : nominal;
    for (int n = 0; n < length; ++n) {
      const int64_t o = at + n;
      if (o >= 0 && o < total) out[static_cast<size_t>(o)] += window[static_cast<size_t>(n)] * x(chosen + n);
    }
    previous = chosen;
  }
  return std::vector<float>(out.begin(), out.end());
}

}  // namespace speakai
