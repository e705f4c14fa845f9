#include "audio/speech_activity.h"

#include <cmath>

namespace speakai {

namespace {

double FrameDbfs(const float* frame, size_t length) {
  double sum = 0.0;
  for (size_t i = 0; i < length; ++i) sum += frame[i];
  const double mean = sum / static_cast<double>(length);
  double energy = 0.0;
  for (size_t i = 0; i < length; ++i) {
    const double x = frame[i] - mean;
    energy += x * x;
  }
  const double rms = std::sqrt(energy / static_cast<double>(length));
  return 20.0 * std::log10(rms + 1e-12);
}

}  // namespace

bool HasSpeechEnergy(const float* samples, size_t count, int sampleRate,
                     const SpeechActivityCriteria& criteria) {
  const auto frame = static_cast<size_t>(criteria.frameSec * sampleRate);
  const auto hop = static_cast<size_t>(criteria.hopSec * sampleRate);
  const auto needed = static_cast<size_t>(std::ceil(criteria.minActiveSec / criteria.hopSec));
  if (frame == 0 || hop == 0 || count < frame) return false;

  size_t active = 0;
  for (size_t start = 0; start + frame <= count; start += hop) {
    if (FrameDbfs(samples + start, frame) >= criteria.minFrameDbfs && ++active >= needed) {
      return true;
    }
  }
  return false;
}

}  // namespace speakai
