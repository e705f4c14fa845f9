#include "scoring/scorer_input.h"

#include <algorithm>

namespace speakai {

namespace {

void AddLoopEvidence(const std::vector<PhoneEdit>& edits, int32_t dim, std::vector<float>& rows) {
  float insertions = 0.0f;
  for (const PhoneEdit& edit : edits) {
    if (edit.kind == PhoneEditKind::kInsertion) {
      ++insertions;
      continue;
    }
    float* row = rows.data() + static_cast<size_t>(edit.expected) * static_cast<size_t>(dim);
    const int32_t context = dim - kScorerContextDims;
    const int32_t column = edit.kind == PhoneEditKind::kMatch          ? kScorerLoopMatch
                           : edit.kind == PhoneEditKind::kSubstitution ? kScorerLoopSubstitution
                                                                       : kScorerLoopDeletion;
    row[context + column] = 1.0f;
    row[context + kScorerInsertionsBefore] = insertions;
    insertions = 0.0f;
  }
}

float PauseBeforeSeconds(const PhoneSegment& phone, const std::vector<PhoneSegment>& silences) {
  for (const PhoneSegment& silence : silences) {
    if (silence.endFrame == phone.startFrame) return static_cast<float>((silence.endMs - silence.startMs) / 1000.0);
  }
  return 0.0f;
}

}  // namespace

ScorerInput BuildScorerInput(const std::vector<PhoneGop>& phones, const std::vector<PhoneEdit>& edits,
                             const std::vector<PhoneSegment>& silences, double phonesPerSecond) {
  ScorerInput input;
  if (phones.empty()) return input;
  const int32_t gopDim = static_cast<int32_t>(phones.front().features.size());
  input.dim = gopDim + kScorerContextDims;
  input.rows.assign(phones.size() * static_cast<size_t>(input.dim), 0.0f);
  for (size_t i = 0; i < phones.size(); ++i) {
    float* row = input.rows.data() + i * static_cast<size_t>(input.dim);
    const PhoneGop& phone = phones[i];
    std::copy(phone.features.begin(), phone.features.end(), row);
    float* context = row + gopDim;
    context[kScorerPauseBefore] = PauseBeforeSeconds(phone.segment, silences);
    context[kScorerWordStart] = i == 0 || phones[i - 1].segment.word != phone.segment.word ? 1.0f : 0.0f;
    context[kScorerWordEnd] = i + 1 == phones.size() || phones[i + 1].segment.word != phone.segment.word ? 1.0f : 0.0f;
    context[kScorerPhonesPerSecond] = static_cast<float>(phonesPerSecond);
  }
  AddLoopEvidence(edits, input.dim, input.rows);
  return input;
}

}  // namespace speakai
