#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "align/forced_aligner.h"
#include "align/phone_loop.h"
#include "audio/decoder.h"
#include "runtime/acoustic_model.h"
#include "scoring/gop.h"
#include "scoring/gop_calibration.h"
#include "scoring/fluency.h"
#include "scoring/phone_edits.h"
#include "scoring/pronunciation_scores.h"
#include "scoring/scorer_input.h"

namespace speakai {

// One pronunciation analysis, end to end: decode -> log-mel features ->
// acoustic model -> forced alignment + free phone loop -> GOP + phone edits ->
// fluency -> the learned scorer (or, without one, the calibrated GOP).
// The defaults are those of the parts (beam 10 / retry 40, native/ALIGNMENT.md).
struct AnalysisOptions {
  DecodeLimits limits;
  AlignerOptions aligner;
  PhoneLoopOptions phoneLoop;
  GopCalibration calibration;
  // Use the model's learned scorer when it has one; off, the calibrated GOP
  // scores (what the scorer's own evaluation compares against).
  bool learnedScorer = true;
};

// Wall time of each stage, in ms. align covers both Viterbi passes (forced
// alignment and phone loop), scoring the GOP and the phone edits.
struct StageTimings {
  double decodeMs = 0.0;
  double featuresMs = 0.0;
  double modelMs = 0.0;
  double alignMs = 0.0;
  double scoringMs = 0.0;
};

// Everything indexes this struct's own lists, so that a caller never needs
// the aligner's segment list (which interleaves the optional silences).
struct Analysis {
  double durationMs = 0.0;
  int32_t frames = 0;
  StageTimings timings;
  AlignStatus status = AlignStatus::kTooFewFrames;
  bool usedRetryBeam = false;
  double scorePerFrame = 0.0;
  TextMatch match;
  // Filled only when status == kAligned:
  std::vector<WordSegment> words;        // firstPhone/numPhones index `phones`
  std::vector<PhoneGop> phones;          // one per expected phone, in order
  std::vector<PhoneSegment> silences;    // the optional silences the aligner took
  std::vector<PhoneSegment> recognized;  // the free phone loop, silences included
  std::vector<PhoneEdit> edits;          // expected indexes `phones`, recognized indexes `recognized`
  Fluency fluency;
  ScorerInput scorerInput;               // what the learned scorer read (the recipe trains on it)
  PronunciationScores scores;            // words index `words`
};

// What Analyze checks before decoding, for callers that want to refuse a
// request before copying its audio: the limits and upload size
// (CheckDecodeInput) and the words against the model's inventory
// (TEXT_EMPTY, INVALID_ARGUMENT).
void CheckAnalysisInput(const AcousticModel& model, size_t audioBytes, const std::vector<ExpectedWord>& words,
                        const DecodeLimits& limits);

// A failed alignment is a status with empty lists, never partial scores.
// Throws AUDIO_* (decoding), TEXT_EMPTY / INVALID_ARGUMENT (words, options),
// MODEL_RUN_FAILED.
Analysis Analyze(const AcousticModel& model, const uint8_t* audio, size_t audioBytes,
                 const std::vector<ExpectedWord>& words, const AnalysisOptions& options);

}  // namespace speakai
