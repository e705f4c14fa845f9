#pragma once

#include <cstdint>
#include <vector>

#include "align/emissions.h"
#include "align/hmm_topology.h"
#include "align/log_posteriors.h"
#include "align/segments.h"
#include "align/text_match.h"
#include "align/utterance_graph.h"

namespace speakai {

struct AlignerOptions {
  HmmTopology topology;
  AcousticOptions acoustics;
  UtteranceGraphOptions graph;
  // Kaldi's steps/align_si.sh: --beam 10 --retry-beam 40, in units of the
  // scaled score (acoustic scale 0.1: beam 10 is 100 nats of raw evidence).
  double beam = 10.0;
  double retryBeam = 40.0;  // <= beam: no retry
  double mismatchThreshold = kDefaultMismatchThreshold;
};

enum class AlignStatus {
  kAligned,
  kTooFewFrames,       // fewer frames than the shortest path needs (topology.numStates per phone)
  kNoPathWithinBeam,   // the retry beam too lost every path to the end of the text
};

const char* AlignStatusName(AlignStatus status);

struct WordSegment {
  int32_t word = 0;           // index into the expected words
  int32_t pronunciation = 0;  // the pronunciation the aligner chose
  int32_t firstPhone = 0;     // its phones are Alignment::phones[firstPhone, firstPhone + numPhones)
  int32_t numPhones = 0;
  int32_t startFrame = 0;
  int32_t endFrame = 0;
  double startMs = 0.0;
  double endMs = 0.0;
  float meanLogPosterior = 0.0f;  // over the word's frames, each against its aligned phone
};

struct Alignment {
  AlignStatus status = AlignStatus::kTooFewFrames;
  bool usedRetryBeam = false;
  // The fields below are filled only when status == kAligned.
  std::vector<PhoneSegment> phones;  // every frame, optional silences included (word == -1)
  std::vector<WordSegment> words;    // one per expected word, in order
  double totalScore = 0.0;           // the path's scaled log score (acoustics, transitions, silence choices)
  double scorePerFrame = 0.0;
  TextMatch match;
};

// Viterbi forced alignment of `posteriors` to `words` (each with alternative
// pronunciations, optional silence around and between them): first with
// options.beam, again with options.retryBeam if no path reached the end.
// A failed alignment is a status, not an exception; throws TEXT_EMPTY and
// INVALID_ARGUMENT for unusable input (see the Validate* functions).
Alignment AlignUtterance(const LogPosteriorMatrix& posteriors, const std::vector<ExpectedWord>& words,
                         const AlignerOptions& options);

}  // namespace speakai
