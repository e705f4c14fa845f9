#include "align/segments.h"

#include <algorithm>

namespace speakai {

namespace {

constexpr double kFrameLengthMs = 25.0;

PhoneSegment MakeSegment(const PhoneUnit& unit, int32_t start, int32_t end, const LogPosteriorMatrix& posteriors) {
  PhoneSegment segment;
  segment.phone = unit.phone;
  segment.word = unit.word;
  segment.pronunciation = unit.pronunciation;
  segment.startFrame = start;
  segment.endFrame = end;
  segment.startMs = FrameBoundaryMs(start, posteriors.numFrames);
  segment.endMs = FrameBoundaryMs(end, posteriors.numFrames);
  double sum = 0.0;
  float worst = posteriors.At(start, unit.phone);
  for (int32_t t = start; t < end; ++t) {
    const float value = posteriors.At(t, unit.phone);
    sum += value;
    worst = std::min(worst, value);
  }
  segment.meanLogPosterior = static_cast<float>(sum / (end - start));
  segment.minLogPosterior = worst;
  return segment;
}

}  // namespace

double FrameBoundaryMs(int32_t boundary, int32_t numFrames) {
  if (boundary <= 0) return 0.0;
  if (boundary >= numFrames) return kFrameShiftMs * (numFrames - 1) + kFrameLengthMs;
  return kFrameShiftMs * boundary + (kFrameLengthMs - kFrameShiftMs) / 2.0;
}

std::vector<PhoneSegment> SegmentPath(const DecodingGraph& graph, const std::vector<int32_t>& states,
                                      const LogPosteriorMatrix& posteriors) {
  std::vector<PhoneSegment> segments;
  const int32_t numFrames = static_cast<int32_t>(states.size());
  int32_t start = 0;
  for (int32_t t = 1; t <= numFrames; ++t) {
    const int32_t unit = graph.stateUnit[static_cast<size_t>(states[static_cast<size_t>(start)])];
    if (t < numFrames && graph.stateUnit[static_cast<size_t>(states[static_cast<size_t>(t)])] == unit) continue;
    segments.push_back(MakeSegment(graph.units[static_cast<size_t>(unit)], start, t, posteriors));
    start = t;
  }
  return segments;
}

}  // namespace speakai
