#include "align/emissions.h"

#include <cmath>

#include "common/engine_error.h"

namespace speakai {

EmissionTable::EmissionTable(const LogPosteriorMatrix& posteriors, const AcousticOptions& options)
    : numFrames_(posteriors.numFrames), numPhones_(static_cast<size_t>(posteriors.numPhones)) {
  scores_.resize(static_cast<size_t>(numFrames_) * numPhones_);
  for (int32_t t = 0; t < numFrames_; ++t) {
    const float* in = posteriors.Row(t);
    double* out = scores_.data() + static_cast<size_t>(t) * numPhones_;
    for (size_t p = 0; p < numPhones_; ++p) {
      const double prior = options.logPriors.empty() ? 0.0 : options.logPriors[p];
      out[p] = options.acousticScale * (in[p] - prior);
    }
  }
}

void ValidateAcousticOptions(const AcousticOptions& options, int32_t numPhones) {
  if (!(options.acousticScale > 0.0) || !std::isfinite(options.acousticScale)) {
    throw EngineError(ErrorCode::kInvalidArgument, "acoustic scale must be positive");
  }
  if (!options.logPriors.empty() && options.logPriors.size() != static_cast<size_t>(numPhones)) {
    throw EngineError(ErrorCode::kInvalidArgument, "log priors: one per phone expected");
  }
  for (float prior : options.logPriors) {
    if (!std::isfinite(prior)) throw EngineError(ErrorCode::kInvalidArgument, "log priors must be finite");
  }
}

}  // namespace speakai
