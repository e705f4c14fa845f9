#pragma once

#include <cstdint>
#include <vector>

#include "align/segments.h"

namespace speakai {

enum class PhoneEditKind {
  kMatch,
  kSubstitution,  // the learner said `recognized` instead of `expected`
  kDeletion,      // an expected phone with nothing recognized for it
  kInsertion,     // a recognized phone that no expected phone accounts for
};

struct PhoneEdit {
  PhoneEditKind kind = PhoneEditKind::kMatch;
  int32_t expected = -1;    // index into the expected segments; -1 for an insertion
  int32_t recognized = -1;  // index into the recognized segments; -1 for a deletion
};

// Minimum edit distance (unit costs) between the phones of the expected words
// (the forced alignment's segments with word >= 0) and the free phone loop's
// non-silence phones, in order. Of equally cheap alignments it prefers
// matches and substitutions to deletions, deletions to insertions.
std::vector<PhoneEdit> ComparePhones(const std::vector<PhoneSegment>& expected,
                                     const std::vector<PhoneSegment>& recognized, int32_t silencePhone);

}  // namespace speakai
