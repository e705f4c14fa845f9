#include "align/log_posteriors.h"

#include <algorithm>
#include <cmath>

#include "common/engine_error.h"

namespace speakai {

void ValidateLogPosteriors(const LogPosteriorMatrix& posteriors) {
  if (posteriors.numFrames < 0 || posteriors.numPhones < 1) {
    throw EngineError(ErrorCode::kInvalidArgument, "log posteriors: bad shape");
  }
  if (posteriors.numFrames > 0 && posteriors.data == nullptr) {
    throw EngineError(ErrorCode::kInvalidArgument, "log posteriors: no data");
  }
  const size_t count = static_cast<size_t>(posteriors.numFrames) * static_cast<size_t>(posteriors.numPhones);
  for (size_t i = 0; i < count; ++i) {
    const float value = posteriors.data[i];
    if (std::isnan(value) || value == INFINITY) {
      throw EngineError(ErrorCode::kInvalidArgument, "log posteriors: NaN or +inf value");
    }
  }
}

float BestLogPosterior(const LogPosteriorMatrix& posteriors, int32_t frame) {
  const float* row = posteriors.Row(frame);
  return *std::max_element(row, row + posteriors.numPhones);
}

}  // namespace speakai
