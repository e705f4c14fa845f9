#pragma once

#include <cstddef>
#include <cstdint>

namespace speakai {

// Per-frame log posteriors of the acoustic model, row-major
// numFrames x numPhones (10 ms frames, phone order of models/manifest.json).
// A view: the caller owns the data and keeps it alive while it is used.
struct LogPosteriorMatrix {
  const float* data = nullptr;
  int32_t numFrames = 0;
  int32_t numPhones = 0;

  const float* Row(int32_t frame) const {
    return data + static_cast<size_t>(frame) * static_cast<size_t>(numPhones);
  }
  float At(int32_t frame, int32_t phone) const { return Row(frame)[phone]; }
};

// Throws INVALID_ARGUMENT unless the shape is usable and every value is a log
// probability (NaN or +inf would silently poison every max in the decoder).
void ValidateLogPosteriors(const LogPosteriorMatrix& posteriors);

// max over phones of the log posterior of `frame`.
float BestLogPosterior(const LogPosteriorMatrix& posteriors, int32_t frame);

}  // namespace speakai
