#pragma once

#include <cstdint>
#include <vector>

#include "align/decoding_graph.h"
#include "align/log_posteriors.h"

namespace speakai {

constexpr double kFrameShiftMs = 10.0;

// A phone occurrence on the frame axis: frames [startFrame, endFrame).
struct PhoneSegment {
  int32_t phone = 0;
  int32_t word = -1;           // expected-word index; -1: silence, or any phone-loop phone
  int32_t pronunciation = -1;  // index into that word's pronunciations; -1 outside words
  int32_t startFrame = 0;
  int32_t endFrame = 0;
  double startMs = 0.0;
  double endMs = 0.0;
  float meanLogPosterior = 0.0f;  // mean over the segment of log p(phone | frame)
  float minLogPosterior = 0.0f;   // its worst frame
};

// Time of the boundary before frame `boundary` (0..numFrames). Frame t covers
// 10t .. 10t+25 ms (native/FEATURES.md), centred on 10t+12.5 ms; a boundary
// between two frames is put midway between their centres (10t+7.5 ms); the
// utterance edges are the first sample (0) and the end of the last frame.
double FrameBoundaryMs(int32_t boundary, int32_t numFrames);

// Splits a decoded state sequence into one segment per run of a graph unit.
std::vector<PhoneSegment> SegmentPath(const DecodingGraph& graph, const std::vector<int32_t>& states,
                                      const LogPosteriorMatrix& posteriors);

}  // namespace speakai
