// Fluency, the learned scorer's input rows and the score aggregation, on hand-made segments.

#include <vector>

#include "harness.h"
#include "scoring/fluency.h"
#include "scoring/pronunciation_scores.h"
#include "scoring/scorer_input.h"

using namespace speakai;

namespace {

constexpr int32_t kPhones = 5;

PhoneSegment Segment(int32_t phone, int32_t word, int32_t startFrame, int32_t endFrame) {
  PhoneSegment segment;
  segment.phone = phone;
  segment.word = word;
  segment.startFrame = startFrame;
  segment.endFrame = endFrame;
  segment.startMs = 10.0 * startFrame;
  segment.endMs = 10.0 * endFrame;
  return segment;
}

PhoneGop Gop(int32_t phone, int32_t word, int32_t startFrame, int32_t endFrame, double score) {
  PhoneGop gop;
  gop.segment = Segment(phone, word, startFrame, endFrame);
  gop.durationFrames = endFrame - startFrame;
  gop.score = score;
  gop.features.assign(static_cast<size_t>(GopFeatureDim(kPhones)), static_cast<float>(phone));
  return gop;
}

// Word 0: phones 1 2 (frames 10-30), a 30-frame pause, word 1: phone 3 (60-70), a 10-frame gap, word 2: 4 (80-90).
// Silences: 0-10 (edge), 30-60 (pause), 70-80 (too short to be a pause), 90-100 (edge).
std::vector<PhoneGop> Phones() {
  return {Gop(1, 0, 10, 20, 80), Gop(2, 0, 20, 30, 60), Gop(3, 1, 60, 70, 40), Gop(4, 2, 80, 90, 100)};
}
std::vector<PhoneSegment> Silences() {
  return {Segment(0, -1, 0, 10), Segment(0, -1, 30, 60), Segment(0, -1, 70, 80), Segment(0, -1, 90, 100)};
}

WordSegment Word(int32_t index, int32_t firstPhone, int32_t numPhones) {
  WordSegment word;
  word.word = index;
  word.firstPhone = firstPhone;
  word.numPhones = numPhones;
  return word;
}

}  // namespace

TEST(fluency_counts_pauses_between_words_only) {
  const Fluency fluency = MeasureFluency(Phones(), 3, Silences());
  CHECK_NEAR(fluency.speakingMs, 800.0, 1e-9);   // 100 .. 900 ms
  CHECK(fluency.pauses == 1);                     // 300 ms; the edges and the 100 ms gap are not pauses
  CHECK_NEAR(fluency.pauseMs, 300.0, 1e-9);
  CHECK_NEAR(fluency.longestPauseMs, 300.0, 1e-9);
  CHECK_NEAR(fluency.articulationMs, 500.0, 1e-9);
  CHECK_NEAR(fluency.phonesPerSecond, 4 / 0.5, 1e-9);
  CHECK_NEAR(fluency.wordsPerMinute, 3 * 60.0 / 0.8, 1e-9);
  CHECK(fluency.pauseSpans.size() == 1 && fluency.pauseSpans[0].startFrame == 30);
  CHECK(MeasureFluency({}, 0, Silences()).speakingMs == 0.0);
}

TEST(scorer_rows_hold_gop_features_then_context) {
  // Expected 1 2 3 4; heard: 1, an inserted phone, 0 for 2 (substitution), nothing for 3, 4.
  const std::vector<PhoneEdit> edits = {{PhoneEditKind::kMatch, 0, 0},
                                        {PhoneEditKind::kInsertion, -1, 1},
                                        {PhoneEditKind::kSubstitution, 1, 2},
                                        {PhoneEditKind::kDeletion, 2, -1},
                                        {PhoneEditKind::kMatch, 3, 3}};
  const ScorerInput input = BuildScorerInput(Phones(), edits, Silences(), 7.5);
  CHECK(input.dim == ScorerInputDim(kPhones));
  CHECK(input.rows.size() == 4 * static_cast<size_t>(input.dim));
  const int32_t context = GopFeatureDim(kPhones);
  const auto at = [&](size_t phone, int32_t column) { return input.rows[phone * input.dim + column]; };
  CHECK(at(2, 0) == 3.0f && at(2, context - 1) == 3.0f);  // the GOP features, copied
  CHECK(at(0, context + kScorerLoopMatch) == 1.0f && at(1, context + kScorerLoopSubstitution) == 1.0f);
  CHECK(at(2, context + kScorerLoopDeletion) == 1.0f && at(3, context + kScorerLoopMatch) == 1.0f);
  CHECK(at(1, context + kScorerInsertionsBefore) == 1.0f && at(3, context + kScorerInsertionsBefore) == 0.0f);
  CHECK_NEAR(at(0, context + kScorerPauseBefore), 0.1, 1e-6);  // the leading silence
  CHECK_NEAR(at(2, context + kScorerPauseBefore), 0.3, 1e-6);
  CHECK(at(1, context + kScorerPauseBefore) == 0.0f);
  CHECK(at(0, context + kScorerWordStart) == 1.0f && at(1, context + kScorerWordStart) == 0.0f);
  CHECK(at(0, context + kScorerWordEnd) == 0.0f && at(1, context + kScorerWordEnd) == 1.0f);
  CHECK(at(2, context + kScorerWordStart) == 1.0f && at(2, context + kScorerWordEnd) == 1.0f);
  for (size_t p = 0; p < 4; ++p) CHECK(at(p, context + kScorerPhonesPerSecond) == 7.5f);
}

TEST(gop_scores_average_phones_and_count_deletions) {
  const std::vector<PhoneGop> phones = Phones();
  const std::vector<WordSegment> words = {Word(0, 0, 2), Word(1, 2, 1), Word(2, 3, 1)};
  const std::vector<PhoneEdit> edits = {{PhoneEditKind::kMatch, 0, 0},
                                        {PhoneEditKind::kMatch, 1, 1},
                                        {PhoneEditKind::kDeletion, 2, -1},
                                        {PhoneEditKind::kMatch, 3, 2}};
  const PronunciationScores scores = ScoresFromGop(phones, words, edits);
  CHECK(!scores.learned && scores.words.size() == 3);
  CHECK_NEAR(scores.words[0].accuracy, 70.0, 1e-9);
  CHECK(!scores.words[0].stress && !scores.words[0].total);
  CHECK_NEAR(scores.utterance.accuracy, 70.0, 1e-9);
  CHECK_NEAR(scores.utterance.completeness, 75.0, 1e-9);
  CHECK(!scores.utterance.fluency && !scores.utterance.prosodic && !scores.utterance.total);
}

TEST(learned_scores_are_clamped_and_replace_phone_scores) {
  std::vector<PhoneGop> phones = Phones();
  const std::vector<WordSegment> words = {Word(0, 0, 2), Word(1, 2, 1), Word(2, 3, 1)};
  LearnedScores learned;
  learned.phone = {110.0f, 50.0f, -5.0f, 70.0f};
  learned.word = {90, 20, 80, 70, 40, 60, 10, 10, 10, 30, 30, 30};
  learned.utterance = {81, 99, 105, 60, 70};
  const PronunciationScores scores = ScoresFromLearned(learned, phones, words);
  CHECK(scores.learned);
  CHECK(phones[0].score == 100.0 && phones[1].score == 50.0 && phones[2].score == 0.0 && phones[3].score == 70.0);
  CHECK_NEAR(scores.words[0].accuracy, 80.0, 1e-9);
  CHECK_NEAR(*scores.words[0].stress, 30.0, 1e-9);
  CHECK_NEAR(*scores.words[0].total, 70.0, 1e-9);
  CHECK_NEAR(*scores.words[2].total, 30.0, 1e-9);
  CHECK(scores.utterance.accuracy == 81.0 && *scores.utterance.fluency == 100.0 && *scores.utterance.total == 70.0);
  learned.phone.pop_back();
  CHECK_ENGINE_ERROR(ScoresFromLearned(learned, phones, words), ErrorCode::kModelRunFailed);
}
