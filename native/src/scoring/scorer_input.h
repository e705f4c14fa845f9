#pragma once

#include <cstdint>
#include <vector>

#include "align/segments.h"
#include "scoring/gop.h"
#include "scoring/phone_edits.h"

namespace speakai {

// Per-phone input of the learned pronunciation scorer (models/README.md,
// "Scoring model"). A row is the phone's GOP features (gop.h) followed by what
// the GOP cannot see: how the free phone loop heard the phone, the pause before
// it, where it sits in its word and how fast the learner spoke. The training
// recipe reads these rows from the engine itself (models/recipe/gop_features.ts),
// so training and serving cannot drift apart.
constexpr int32_t kScorerLoopMatch = 0;         // 1 when the phone loop heard this very phone
constexpr int32_t kScorerLoopSubstitution = 1;  // 1 when it heard another phone
constexpr int32_t kScorerLoopDeletion = 2;      // 1 when it heard nothing for it
constexpr int32_t kScorerInsertionsBefore = 3;  // phones heard between the previous expected phone and this one
constexpr int32_t kScorerPauseBefore = 4;       // seconds of silence the aligner placed right before the phone
constexpr int32_t kScorerWordStart = 5;
constexpr int32_t kScorerWordEnd = 6;
constexpr int32_t kScorerPhonesPerSecond = 7;   // the utterance's articulation rate (Fluency), on every row
constexpr int32_t kScorerContextDims = 8;

inline int32_t ScorerInputDim(int32_t numPhones) { return GopFeatureDim(numPhones) + kScorerContextDims; }

// Row-major phones x dim.
struct ScorerInput {
  int32_t dim = 0;
  std::vector<float> rows;
};

// `phones` are the expected phones (one PhoneGop each, in order), `edits`
// index them as expected, `silences` are the aligner's optional silences.
ScorerInput BuildScorerInput(const std::vector<PhoneGop>& phones, const std::vector<PhoneEdit>& edits,
                             const std::vector<PhoneSegment>& silences, double phonesPerSecond);

}  // namespace speakai
