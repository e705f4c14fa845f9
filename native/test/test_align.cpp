#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <vector>

#include "align/forced_aligner.h"
#include "align/phone_loop.h"
#include "harness.h"
#include "test_align_synthetic.h"

using namespace speakai;
using namespace speakai::test;

namespace {

using Runs = std::vector<std::pair<int32_t, int32_t>>;

ExpectedWord Word(std::vector<int32_t> phones) { return {{std::move(phones)}}; }

// Phone ids of the segments, in order.
std::vector<int32_t> PhoneIds(const std::vector<PhoneSegment>& segments) {
  std::vector<int32_t> ids;
  for (const PhoneSegment& segment : segments) ids.push_back(segment.phone);
  return ids;
}

void CheckMatchesRuns(const std::vector<PhoneSegment>& segments, const Runs& runs) {
  CHECK(segments.size() == runs.size());
  if (segments.size() != runs.size()) return;
  const std::vector<int32_t> starts = RunStarts(runs);
  for (size_t i = 0; i < runs.size(); ++i) {
    CHECK(segments[i].phone == runs[i].first);
    CHECK(segments[i].startFrame == starts[i]);
    CHECK(segments[i].endFrame == starts[i] + runs[i].second);
  }
}

// Every frame belongs to exactly one segment, in order.
void CheckCoversFrames(const std::vector<PhoneSegment>& segments, int32_t numFrames) {
  int32_t t = 0;
  for (const PhoneSegment& segment : segments) {
    CHECK(segment.startFrame == t);
    CHECK(segment.endFrame > segment.startFrame);
    t = segment.endFrame;
  }
  CHECK(t == numFrames);
}

// "cat sat" with silences: SIL K AE T SIL S AE T SIL.
const Runs kCatSat = {{kSil, 10}, {kK, 6}, {kAE, 9}, {kT, 5}, {kSil, 7},
                      {kS, 8},    {kAE, 12}, {kT, 4}, {kSil, 12}};
const std::vector<ExpectedWord> kCatSatWords = {Word({kK, kAE, kT}), Word({kS, kAE, kT})};

}  // namespace

TEST(recovers_known_boundaries_exactly) {
  const SyntheticPosteriors posteriors = MakePosteriors(Labels(kCatSat), 8.0, 1.0);
  const Alignment alignment = AlignUtterance(posteriors.View(), kCatSatWords, AlignerOptions());
  CHECK(alignment.status == AlignStatus::kAligned);
  CHECK(!alignment.usedRetryBeam);
  CheckMatchesRuns(alignment.phones, kCatSat);
  CHECK(alignment.match.matches);
  CHECK(alignment.match.gapPerFrame < 0.5);
  CHECK_NEAR(alignment.scorePerFrame * posteriors.View().numFrames, alignment.totalScore, 1e-9);
}

// Peak 4, noise 1: the true phone's posterior is only ~0.5 on a typical frame.
TEST(noisy_posteriors_boundaries_within_one_frame) {
  for (unsigned seed = 1; seed <= 20; ++seed) {
    const SyntheticPosteriors posteriors = MakePosteriors(Labels(kCatSat), 4.0, 1.0, seed);
    const Alignment alignment = AlignUtterance(posteriors.View(), kCatSatWords, AlignerOptions());
    CHECK(alignment.status == AlignStatus::kAligned);
    CHECK(alignment.phones.size() == kCatSat.size());
    if (alignment.phones.size() != kCatSat.size()) continue;
    const std::vector<int32_t> starts = RunStarts(kCatSat);
    for (size_t i = 0; i < starts.size(); ++i) CHECK(std::abs(alignment.phones[i].startFrame - starts[i]) <= 1);
  }
}

TEST(word_segments_and_times) {
  const SyntheticPosteriors posteriors = MakePosteriors(Labels(kCatSat), 8.0, 1.0);
  const Alignment alignment = AlignUtterance(posteriors.View(), kCatSatWords, AlignerOptions());
  CHECK(alignment.words.size() == 2);
  if (alignment.words.size() != 2) return;
  CHECK(alignment.words[0].word == 0 && alignment.words[1].word == 1);
  CHECK(alignment.words[0].firstPhone == 1 && alignment.words[0].numPhones == 3);
  CHECK(alignment.words[1].firstPhone == 5 && alignment.words[1].numPhones == 3);
  CHECK(alignment.words[0].startFrame == 10 && alignment.words[0].endFrame == 30);
  CHECK(alignment.words[1].startFrame == 37 && alignment.words[1].endFrame == 61);
  CHECK_NEAR(alignment.words[0].startMs, 107.5, 1e-9);
  CHECK_NEAR(alignment.words[0].endMs, 307.5, 1e-9);
  CHECK(alignment.words[0].meanLogPosterior > -0.1f);
  CHECK_NEAR(FrameBoundaryMs(0, 73), 0.0, 0.0);
  CHECK_NEAR(FrameBoundaryMs(73, 73), 745.0, 1e-9);  // end of the last frame: 10*72 + 25
}

TEST(minimum_duration_respected) {
  // The audio has a 1-frame T; the topology cannot give it fewer than numStates frames.
  const Runs runs = {{kSil, 5}, {kK, 6}, {kAE, 9}, {kT, 1}, {kSil, 6}};
  const SyntheticPosteriors posteriors = MakePosteriors(Labels(runs), 8.0, 0.5);
  for (int32_t numStates : {1, 3, 5}) {
    AlignerOptions options;
    options.topology.numStates = numStates;
    const Alignment alignment = AlignUtterance(posteriors.View(), {Word({kK, kAE, kT})}, options);
    CHECK(alignment.status == AlignStatus::kAligned);
    CheckCoversFrames(alignment.phones, posteriors.View().numFrames);
    for (const PhoneSegment& segment : alignment.phones) CHECK(segment.endFrame - segment.startFrame >= numStates);
    CHECK(alignment.phones.size() == 5);
    if (alignment.phones.size() != 5) continue;
    CHECK(alignment.phones[3].phone == kT);
    CHECK(alignment.phones[3].endFrame - alignment.phones[3].startFrame == numStates);
  }
}

TEST(optional_silences_taken_only_where_present) {
  // No leading silence, none between the words, a pause before the last word, trailing silence.
  const Runs runs = {{kK, 6}, {kAE, 9}, {kT, 5}, {kS, 8}, {kAE, 7}, {kT, 4}, {kSil, 15}, {kM, 6}, {kIY, 8}, {kSil, 9}};
  const SyntheticPosteriors posteriors = MakePosteriors(Labels(runs), 8.0, 1.0, 7);
  const std::vector<ExpectedWord> words = {Word({kK, kAE, kT}), Word({kS, kAE, kT}), Word({kM, kIY})};
  const Alignment alignment = AlignUtterance(posteriors.View(), words, AlignerOptions());
  CHECK(alignment.status == AlignStatus::kAligned);
  CheckMatchesRuns(alignment.phones, runs);
  for (const PhoneSegment& segment : alignment.phones) CHECK((segment.phone == kSil) == (segment.word < 0));
}

TEST(chooses_the_spoken_pronunciation) {
  // "tomato": T AH M EY T OW or T AH M AA T OW; "the" style length change: D AH or D IY.
  const ExpectedWord tomato = {{{kT, kAH, kM, kEY, kT, kOW}, {kT, kAH, kM, kAA, kT, kOW}}};
  const ExpectedWord shortOrLong = {{{kR, kIY, kD}, {kR, kEH}}};
  const Runs saidAA = {{kSil, 4}, {kT, 5}, {kAH, 4}, {kM, 6}, {kAA, 9}, {kT, 5}, {kOW, 10},
                       {kR, 5},   {kEH, 8}, {kSil, 5}};
  const SyntheticPosteriors posteriors = MakePosteriors(Labels(saidAA), 8.0, 1.0, 3);
  const Alignment alignment = AlignUtterance(posteriors.View(), {tomato, shortOrLong}, AlignerOptions());
  CHECK(alignment.status == AlignStatus::kAligned);
  CHECK(alignment.words.size() == 2);
  if (alignment.words.size() != 2) return;
  CHECK(alignment.words[0].pronunciation == 1);
  CHECK(alignment.words[1].pronunciation == 1);
  CHECK(alignment.words[1].numPhones == 2);
  CheckMatchesRuns(alignment.phones, saidAA);
  for (const PhoneSegment& segment : alignment.phones) {
    if (segment.word >= 0) CHECK(segment.pronunciation == alignment.words[static_cast<size_t>(segment.word)].pronunciation);
  }
}

// Silence throughout, but five phones expected: every path to the end must
// spend 15 frames on phones whose log posterior is -peak, while the best
// token rests in the leading silence. Those paths lag by 1.5 * peak (scaled).
TEST(beam_failure_then_retry_success) {
  const SyntheticPosteriors posteriors = MakePosteriors(Labels({{kSil, 40}}), 15.0, 0.0);
  const std::vector<ExpectedWord> words = {Word({kK, kAE, kT, kS, kM})};
  const Alignment alignment = AlignUtterance(posteriors.View(), words, AlignerOptions());
  CHECK(alignment.status == AlignStatus::kAligned);
  CHECK(alignment.usedRetryBeam);
  CHECK(!alignment.match.matches);

  AlignerOptions noRetry;
  noRetry.retryBeam = 0.0;
  const Alignment failed = AlignUtterance(posteriors.View(), words, noRetry);
  CHECK(failed.status == AlignStatus::kNoPathWithinBeam);
  CHECK(failed.phones.empty() && failed.words.empty());
}

TEST(failure_reported_when_even_the_retry_beam_loses_the_path) {
  const SyntheticPosteriors posteriors = MakePosteriors(Labels({{kSil, 40}}), 30.0, 0.0);
  const Alignment alignment = AlignUtterance(posteriors.View(), {Word({kK, kAE, kT, kS, kM})}, AlignerOptions());
  CHECK(alignment.status == AlignStatus::kNoPathWithinBeam);
  CHECK(alignment.usedRetryBeam);
  CHECK(alignment.phones.empty());

  AlignerOptions exact;
  exact.beam = std::numeric_limits<double>::infinity();
  CHECK(AlignUtterance(posteriors.View(), {Word({kK, kAE, kT, kS, kM})}, exact).status == AlignStatus::kAligned);
}

TEST(too_few_frames_for_the_text) {
  const SyntheticPosteriors posteriors = MakePosteriors(Labels({{kK, 14}}), 8.0, 1.0);
  const std::vector<ExpectedWord> words = {Word({kK, kAE}), {{{kT, kS, kM}, {kT, kS, kM, kIY}}}};
  const Alignment alignment = AlignUtterance(posteriors.View(), words, AlignerOptions());
  CHECK(alignment.status == AlignStatus::kTooFewFrames);
  CHECK(std::string(AlignStatusName(alignment.status)) == "TOO_FEW_FRAMES");
  CHECK(alignment.phones.empty());
  CHECK(MinimumFrames(words, HmmTopology()) == 15);

  AlignerOptions oneState;
  oneState.topology.numStates = 1;
  CHECK(AlignUtterance(posteriors.View(), words, oneState).status == AlignStatus::kAligned);
  const SyntheticPosteriors empty = MakePosteriors({}, 8.0, 1.0);
  CHECK(AlignUtterance(empty.View(), words, AlignerOptions()).status == AlignStatus::kTooFewFrames);
}

TEST(wrong_text_flagged_by_the_match_signal) {
  const SyntheticPosteriors posteriors = MakePosteriors(Labels(kCatSat), 8.0, 1.0);
  const std::vector<ExpectedWord> otherText = {Word({kM, kIY}), Word({kR, kEH, kD, kB, kOW, kN})};
  const Alignment wrong = AlignUtterance(posteriors.View(), otherText, AlignerOptions());
  CHECK(wrong.status == AlignStatus::kAligned);
  CHECK(!wrong.match.matches);
  CHECK(wrong.match.gapPerFrame > 3.0);
  CHECK_NEAR(wrong.match.gapPerFrame, wrong.match.bestLogPosteriorPerFrame - wrong.match.forcedLogPosteriorPerFrame,
             1e-12);

  const Alignment right = AlignUtterance(posteriors.View(), kCatSatWords, AlignerOptions());
  CHECK(right.match.matches);
  CHECK(right.match.gapPerFrame >= 0.0 && right.match.gapPerFrame < 0.5);
  CHECK(right.match.bestLogPosteriorPerFrame == wrong.match.bestLogPosteriorPerFrame);
}

TEST(uniform_priors_shift_the_score_only) {
  const SyntheticPosteriors posteriors = MakePosteriors(Labels(kCatSat), 4.0, 1.5, 11);
  const Alignment plain = AlignUtterance(posteriors.View(), kCatSatWords, AlignerOptions());
  AlignerOptions withPriors;
  withPriors.acoustics.logPriors.assign(kNumPhones, std::log(1.0f / kNumPhones));
  const Alignment hybrid = AlignUtterance(posteriors.View(), kCatSatWords, withPriors);
  CHECK(PhoneIds(plain.phones) == PhoneIds(hybrid.phones));
  const int32_t numFrames = posteriors.View().numFrames;
  CHECK_NEAR(hybrid.totalScore - plain.totalScore, -0.1 * numFrames * std::log(1.0f / kNumPhones), 1e-6);
}

TEST(a_large_prior_changes_the_decision) {
  // An ambiguous stretch between T and SIL: the SIL-heavy prior makes it T.
  std::vector<int32_t> labels = Labels({{kK, 6}, {kAE, 6}, {kT, 3}});
  SyntheticPosteriors posteriors = MakePosteriors(labels, 8.0, 0.0);
  std::vector<float> flat(kNumPhones, -8.0f);
  flat[kT] = -2.5f;
  flat[kSil] = -0.1f;
  for (int i = 0; i < 6; ++i) posteriors.data.insert(posteriors.data.end(), flat.begin(), flat.end());
  const Alignment plain = AlignUtterance(posteriors.View(), {Word({kK, kAE, kT})}, AlignerOptions());
  CHECK(plain.phones.back().phone == kSil);
  AlignerOptions hybrid;
  hybrid.acoustics.logPriors.assign(kNumPhones, -4.0f);
  hybrid.acoustics.logPriors[kSil] = -0.5f;
  const Alignment withPriors = AlignUtterance(posteriors.View(), {Word({kK, kAE, kT})}, hybrid);
  CHECK(withPriors.phones.back().phone == kT);
  CHECK(withPriors.phones.back().endFrame == 21);
}

TEST(rejects_unusable_input) {
  const SyntheticPosteriors posteriors = MakePosteriors(Labels(kCatSat), 8.0, 1.0);
  CHECK_ENGINE_ERROR(AlignUtterance(posteriors.View(), {}, AlignerOptions()), ErrorCode::kTextEmpty);
  CHECK_ENGINE_ERROR(AlignUtterance(posteriors.View(), {Word({kNumPhones})}, AlignerOptions()),
                     ErrorCode::kInvalidArgument);
  CHECK_ENGINE_ERROR(AlignUtterance(posteriors.View(), {Word({})}, AlignerOptions()), ErrorCode::kInvalidArgument);
  CHECK_ENGINE_ERROR(AlignUtterance(posteriors.View(), {ExpectedWord()}, AlignerOptions()),
                     ErrorCode::kInvalidArgument);
  AlignerOptions badPriors;
  badPriors.acoustics.logPriors = {0.0f};
  CHECK_ENGINE_ERROR(AlignUtterance(posteriors.View(), kCatSatWords, badPriors), ErrorCode::kInvalidArgument);
  AlignerOptions badTopology;
  badTopology.topology.selfLoopProb = 1.0;
  CHECK_ENGINE_ERROR(AlignUtterance(posteriors.View(), kCatSatWords, badTopology), ErrorCode::kInvalidArgument);
  SyntheticPosteriors poisoned = posteriors;
  poisoned.data[17] = std::numeric_limits<float>::quiet_NaN();
  CHECK_ENGINE_ERROR(AlignUtterance(poisoned.View(), kCatSatWords, AlignerOptions()), ErrorCode::kInvalidArgument);
  CHECK_ENGINE_ERROR(RecognizePhones(poisoned.View(), PhoneLoopOptions()), ErrorCode::kInvalidArgument);
}

TEST(phone_loop_recovers_the_spoken_sequence) {
  const SyntheticPosteriors posteriors = MakePosteriors(Labels(kCatSat), 8.0, 1.0);
  const PhoneLoopResult result = RecognizePhones(posteriors.View(), PhoneLoopOptions());
  CheckMatchesRuns(result.phones, kCatSat);
  for (const PhoneSegment& segment : result.phones) CHECK(segment.word == -1);
}

TEST(phone_loop_minimum_duration_and_no_short_blips) {
  // A 1-frame blip of S inside AE cannot become a phone of its own.
  const Runs runs = {{kSil, 6}, {kAE, 10}, {kS, 1}, {kAE, 10}, {kSil, 6}};
  const SyntheticPosteriors posteriors = MakePosteriors(Labels(runs), 8.0, 0.5);
  const PhoneLoopResult result = RecognizePhones(posteriors.View(), PhoneLoopOptions());
  CHECK(PhoneIds(result.phones) == (std::vector<int32_t>{kSil, kAE, kSil}));
  for (const PhoneSegment& segment : result.phones) CHECK(segment.endFrame - segment.startFrame >= 3);
  CHECK(RecognizePhones(MakePosteriors(Labels({{kAE, 2}}), 8.0, 0.5).View(), PhoneLoopOptions()).phones.empty());
}

TEST(timing_of_a_three_second_utterance) {
  // ~300 frames, 9 words, 30 phones, silences: printed, not asserted.
  Runs runs = {{kSil, 30}};
  std::vector<ExpectedWord> words;
  const std::vector<int32_t> cycle = {kK, kAE, kT, kS, kEH, kD, kM, kIY, kN, kOW, kB, kR};
  for (int w = 0; w < 9; ++w) {
    std::vector<int32_t> phones;
    for (int i = 0; i < (w % 3 == 0 ? 4 : 3); ++i) phones.push_back(cycle[static_cast<size_t>((w * 5 + i) % 12)]);
    for (int32_t phone : phones) runs.push_back({phone, 5 + (phone % 4)});
    words.push_back(Word(phones));
    if (w == 4) runs.push_back({kSil, 20});
  }
  runs.push_back({kSil, 300 - static_cast<int32_t>(Labels(runs).size())});
  const SyntheticPosteriors posteriors = MakePosteriors(Labels(runs), 5.0, 1.0);

  constexpr int kRepeats = 50;
  const auto time = [&](auto&& body) {
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < kRepeats; ++i) body();
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count() / kRepeats;
  };
  Alignment alignment;
  const double alignMs = time([&] { alignment = AlignUtterance(posteriors.View(), words, AlignerOptions()); });
  const double loopMs = time([&] { (void)RecognizePhones(posteriors.View(), PhoneLoopOptions()); });
  CHECK(alignment.status == AlignStatus::kAligned);
  CHECK(alignment.phones.size() == runs.size());
  std::printf("  timing: %d frames x %d phones, %zu phones expected: forced alignment %.3f ms, phone loop %.3f ms\n",
              posteriors.View().numFrames, kNumPhones, alignment.phones.size(), alignMs, loopMs);
}
