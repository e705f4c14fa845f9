#include "scoring/pronunciation_scores.h"

#include <algorithm>

#include "common/engine_error.h"

namespace speakai {

namespace {

// Mean of value(i) over the word's phones.
template <typename Value>
double WordMean(const WordSegment& word, Value value) {
  double sum = 0.0;
  for (int32_t i = word.firstPhone; i < word.firstPhone + word.numPhones; ++i) sum += value(static_cast<size_t>(i));
  return word.numPhones > 0 ? sum / word.numPhones : 0.0;
}

double MeanPhoneScore(const std::vector<PhoneGop>& phones) {
  double sum = 0.0;
  for (const PhoneGop& phone : phones) sum += phone.score;
  return phones.empty() ? 0.0 : sum / static_cast<double>(phones.size());
}

}  // namespace

PronunciationScores ScoresFromGop(const std::vector<PhoneGop>& phones, const std::vector<WordSegment>& words,
                                  const std::vector<PhoneEdit>& edits) {
  PronunciationScores scores;
  for (const WordSegment& word : words) {
    scores.words.push_back({WordMean(word, [&](size_t i) { return phones[i].score; }), std::nullopt, std::nullopt});
  }
  scores.utterance.accuracy = MeanPhoneScore(phones);
  const auto deletions = std::count_if(edits.begin(), edits.end(),
                                       [](const PhoneEdit& edit) { return edit.kind == PhoneEditKind::kDeletion; });
  if (!phones.empty()) {
    scores.utterance.completeness = 100.0 * (1.0 - static_cast<double>(deletions) / static_cast<double>(phones.size()));
  }
  return scores;
}

PronunciationScores ScoresFromLearned(const LearnedScores& learned, std::vector<PhoneGop>& phones,
                                      const std::vector<WordSegment>& words) {
  if (learned.phone.size() != phones.size() || learned.word.size() != phones.size() * kWordAspects) {
    throw EngineError(ErrorCode::kModelRunFailed, "scorer: one score per phone expected");
  }
  const auto clamp = [](double value) { return std::clamp(value, 0.0, 100.0); };
  for (size_t i = 0; i < phones.size(); ++i) phones[i].score = clamp(learned.phone[i]);
  PronunciationScores scores;
  scores.learned = true;
  for (const WordSegment& word : words) {
    const auto aspect = [&](int32_t k) {
      return clamp(WordMean(word, [&](size_t i) { return learned.word[i * kWordAspects + static_cast<size_t>(k)]; }));
    };
    scores.words.push_back({aspect(0), aspect(1), aspect(2)});
  }
  const auto& u = learned.utterance;
  scores.utterance = {clamp(u[0]), clamp(u[1]), clamp(u[2]), clamp(u[3]), clamp(u[4])};
  return scores;
}

}  // namespace speakai
