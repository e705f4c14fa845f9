#include "scoring/gop_calibration.h"

#include <algorithm>
#include <cmath>

#include "common/engine_error.h"

namespace speakai {

namespace {

double Sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

}  // namespace

double GopScore(double lpr, const GopCalibration& calibration) {
  if (!(calibration.slope > 0.0) || !std::isfinite(calibration.midpoint)) {
    throw EngineError(ErrorCode::kInvalidArgument, "GOP calibration: slope must be positive");
  }
  const double score = 100.0 * Sigmoid(calibration.slope * (lpr - calibration.midpoint)) /
                       Sigmoid(-calibration.slope * calibration.midpoint);
  return std::clamp(score, 0.0, 100.0);
}

}  // namespace speakai
