#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "runtime/manifest.h"
#include "scoring/pronunciation_scores.h"
#include "scoring/scorer_input.h"

namespace speakai {

// The learned pronunciation scorer (models/recipe/scorer.py): a small
// transformer over the per-phone scorer input (scoring/scorer_input.h) that
// predicts the experts' phone, word and utterance scores. Inputs `features`
// [1, P, D] float and `phones` [1, P] int64 (the expected phone ids); outputs
// `phone_scores` [1, P], `word_scores` [1, P, 3] and `utterance_scores` [1, 5],
// all 0..100. Always on the CPU: it is a few thousand multiply-adds per phone,
// less than a copy to a GPU would cost.
class PronunciationScorer {
 public:
  // Checks the file against the manifest (size, sha256), input_dim against
  // ScorerInputDim(numPhones) and the session's inputs and outputs.
  // Errors: MODEL_NOT_FOUND, MODEL_INVALID, MODEL_CHECKSUM_MISMATCH.
  static std::shared_ptr<const PronunciationScorer> Load(const ScorerManifest& manifest, int32_t numPhones,
                                                         int intraOpThreads);

  // Thread-safe. Errors: INVALID_ARGUMENT (shapes), MODEL_RUN_FAILED.
  LearnedScores Run(const ScorerInput& input, const std::vector<int32_t>& phones) const;

  ~PronunciationScorer();
  PronunciationScorer(const PronunciationScorer&) = delete;
  PronunciationScorer& operator=(const PronunciationScorer&) = delete;

 private:
  struct Session;  // keeps ONNX Runtime's headers out of every includer
  PronunciationScorer(int32_t inputDim, std::unique_ptr<Session> session);

  int32_t inputDim_;
  std::unique_ptr<Session> session_;
};

}  // namespace speakai
