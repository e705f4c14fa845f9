#include "scoring/gop.h"

#include "common/engine_error.h"

namespace speakai {

namespace {

void ValidateSegment(const LogPosteriorMatrix& posteriors, const PhoneSegment& segment) {
  if (segment.startFrame < 0 || segment.endFrame <= segment.startFrame || segment.endFrame > posteriors.numFrames ||
      segment.phone < 0 || segment.phone >= posteriors.numPhones) {
    throw EngineError(ErrorCode::kInvalidArgument, "GOP: segment outside the posteriors or bad phone id");
  }
}

// Mean over the segment of every phone's log posterior, and of the per-frame best.
void SegmentMeans(const LogPosteriorMatrix& posteriors, const PhoneSegment& segment, std::vector<double>* phoneMeans,
                  double* bestMean) {
  phoneMeans->assign(static_cast<size_t>(posteriors.numPhones), 0.0);
  double best = 0.0;
  for (int32_t t = segment.startFrame; t < segment.endFrame; ++t) {
    const float* row = posteriors.Row(t);
    for (int32_t q = 0; q < posteriors.numPhones; ++q) (*phoneMeans)[static_cast<size_t>(q)] += row[q];
    best += BestLogPosterior(posteriors, t);
  }
  const double frames = segment.endFrame - segment.startFrame;
  for (double& mean : *phoneMeans) mean /= frames;
  *bestMean = best / frames;
}

}  // namespace

PhoneGop ComputePhoneGop(const LogPosteriorMatrix& posteriors, const PhoneSegment& segment,
                         const GopCalibration& calibration) {
  ValidateSegment(posteriors, segment);
  std::vector<double> means;
  double bestMean = 0.0;
  SegmentMeans(posteriors, segment, &means, &bestMean);

  PhoneGop gop;
  gop.segment = segment;
  gop.durationFrames = segment.endFrame - segment.startFrame;
  gop.lpp = means[static_cast<size_t>(segment.phone)];
  gop.lpr = gop.lpp - bestMean;
  for (int32_t q = 0; q < posteriors.numPhones; ++q) {
    if (q == segment.phone) continue;
    if (gop.saidAs < 0 || means[static_cast<size_t>(q)] > gop.saidAsLpp) {
      gop.saidAs = q;
      gop.saidAsLpp = means[static_cast<size_t>(q)];
    }
  }
  gop.score = GopScore(gop.lpr, calibration);
  gop.features = {static_cast<float>(gop.lpp), static_cast<float>(gop.lpr), static_cast<float>(gop.durationFrames)};
  gop.features.insert(gop.features.end(), means.begin(), means.end());
  return gop;
}

std::vector<PhoneGop> ComputeGop(const LogPosteriorMatrix& posteriors, const std::vector<PhoneSegment>& segments,
                                 const GopCalibration& calibration) {
  ValidateLogPosteriors(posteriors);
  std::vector<PhoneGop> gops;
  for (const PhoneSegment& segment : segments) {
    if (segment.word >= 0) gops.push_back(ComputePhoneGop(posteriors, segment, calibration));
  }
  return gops;
}

}  // namespace speakai
