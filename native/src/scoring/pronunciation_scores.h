#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "align/forced_aligner.h"
#include "scoring/gop.h"
#include "scoring/phone_edits.h"

namespace speakai {

// What the learned scorer (runtime/pronunciation_scorer.h) predicts, on the
// 0..100 scale of the API (the experts' 0-2 and 0-10 scales, stretched).
// Word scores are predicted on every phone of the word and averaged, as GOPT does.
constexpr int32_t kWordAspects = 3;       // accuracy, stress, total
constexpr int32_t kUtteranceAspects = 5;  // accuracy, completeness, fluency, prosodic, total
struct LearnedScores {
  std::vector<float> phone;                         // one per expected phone
  std::vector<float> word;                          // phones x kWordAspects
  std::array<float, kUtteranceAspects> utterance{};
};

struct WordScores {
  double accuracy = 0.0;
  std::optional<double> stress;  // only the learned scorer judges stress
  std::optional<double> total;
};

struct UtteranceScores {
  double accuracy = 0.0;
  double completeness = 0.0;
  std::optional<double> fluency;  // only the learned scorer gives these three
  std::optional<double> prosodic;
  std::optional<double> total;
};

struct PronunciationScores {
  bool learned = false;
  std::vector<WordScores> words;  // one per aligned word, in order
  UtteranceScores utterance;
};

// Without a learned scorer: the calibrated GOP of each phone, a word's
// accuracy the mean of its phones', the utterance's the mean of all phones',
// completeness the share of expected phones the phone loop did not miss.
PronunciationScores ScoresFromGop(const std::vector<PhoneGop>& phones, const std::vector<WordSegment>& words,
                                  const std::vector<PhoneEdit>& edits);

// The learned scorer's predictions; also replaces each phone's score with the
// learned one (PhoneGop::score) so that every consumer sees one phone score.
PronunciationScores ScoresFromLearned(const LearnedScores& learned, std::vector<PhoneGop>& phones,
                                      const std::vector<WordSegment>& words);

}  // namespace speakai
