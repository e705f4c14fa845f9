#include <cmath>
#include <vector>

#include "align/forced_aligner.h"
#include "align/phone_loop.h"
#include "harness.h"
#include "scoring/gop.h"
#include "scoring/phone_edits.h"
#include "test_align_synthetic.h"

using namespace speakai;
using namespace speakai::test;

namespace {

using Runs = std::vector<std::pair<int32_t, int32_t>>;

ExpectedWord Word(std::vector<int32_t> phones) { return {{std::move(phones)}}; }

struct Analysis {
  Alignment alignment;
  PhoneLoopResult loop;
  std::vector<PhoneGop> gop;
  std::vector<PhoneEdit> edits;
};

// What the addon's `analyze` will do once the model gives the posteriors.
Analysis Analyze(const SyntheticPosteriors& posteriors, const std::vector<ExpectedWord>& words) {
  Analysis out;
  out.alignment = AlignUtterance(posteriors.View(), words, AlignerOptions());
  out.loop = RecognizePhones(posteriors.View(), PhoneLoopOptions());
  out.gop = ComputeGop(posteriors.View(), out.alignment.phones, GopCalibration());
  out.edits = ComparePhones(out.alignment.phones, out.loop.phones, kSil);
  return out;
}

int CountEdits(const std::vector<PhoneEdit>& edits, PhoneEditKind kind) {
  int count = 0;
  for (const PhoneEdit& edit : edits) count += edit.kind == kind ? 1 : 0;
  return count;
}

const std::vector<ExpectedWord> kCatSatWords = {Word({kK, kAE, kT}), Word({kS, kAE, kT})};

}  // namespace

TEST(formulas_on_a_hand_made_matrix) {
  // 2 frames x 3 phones; segment = both frames, canonical phone 1.
  const std::vector<float> logp = {-0.5f, -1.0f, -2.0f,   // best: phone 0
                                   -3.0f, -0.2f, -1.2f};  // best: phone 1
  const LogPosteriorMatrix matrix{logp.data(), 2, 3};
  PhoneSegment segment;
  segment.phone = 1;
  segment.word = 0;
  segment.startFrame = 0;
  segment.endFrame = 2;
  const PhoneGop gop = ComputePhoneGop(matrix, segment, GopCalibration());
  CHECK_NEAR(gop.lpp, (-1.0 - 0.2) / 2, 1e-6);
  CHECK_NEAR(gop.lpr, (-1.0 - 0.2) / 2 - (-0.5 - 0.2) / 2, 1e-6);
  CHECK(gop.saidAs == 2);  // segment means: phone 0 -1.75, phone 2 -1.6
  CHECK(gop.durationFrames == 2);
  CHECK(gop.features.size() == static_cast<size_t>(GopFeatureDim(3)));
  CHECK_NEAR(gop.features[kGopFeatureLpp], gop.lpp, 1e-6);
  CHECK_NEAR(gop.features[kGopFeatureLpr], gop.lpr, 1e-6);
  CHECK_NEAR(gop.features[kGopFeatureDuration], 2.0, 0.0);
  CHECK_NEAR(gop.features[kGopFeaturePhoneMeans + 0], -1.75, 1e-6);
  CHECK_NEAR(gop.features[kGopFeaturePhoneMeans + 2], -1.6, 1e-6);
  CHECK_NEAR(gop.saidAsLpp, -1.6, 1e-6);
  CHECK_NEAR(gop.score, GopScore(gop.lpr, GopCalibration()), 1e-12);
}

TEST(calibration_is_monotonic_and_anchored) {
  const GopCalibration calibration;
  CHECK_NEAR(GopScore(0.0, calibration), 100.0, 1e-9);
  CHECK_NEAR(GopScore(-2.0, calibration), 50.0 / (1.0 / (1.0 + std::exp(-4.0))), 1e-9);
  double previous = 101.0;
  for (double lpr = 0.0; lpr >= -10.0; lpr -= 0.25) {
    const double score = GopScore(lpr, calibration);
    CHECK(score < previous && score >= 0.0);
    previous = score;
  }
  CHECK_NEAR(GopScore(0.5, calibration), 100.0, 0.0);  // clamped
  CHECK_ENGINE_ERROR(GopScore(-1.0, GopCalibration{-2.0, 0.0}), ErrorCode::kInvalidArgument);
}

TEST(correct_phones_score_high) {
  const Runs runs = {{kSil, 10}, {kK, 6}, {kAE, 9}, {kT, 5}, {kSil, 7}, {kS, 8}, {kAE, 12}, {kT, 4}, {kSil, 12}};
  const SyntheticPosteriors posteriors = MakePosteriors(Labels(runs), 8.0, 1.0);
  const Analysis analysis = Analyze(posteriors, kCatSatWords);
  CHECK(analysis.gop.size() == 6);  // silences are not scored
  for (const PhoneGop& gop : analysis.gop) {
    CHECK(gop.segment.word >= 0);
    CHECK(gop.lpr <= 0.0 && gop.lpr > -0.3);
    CHECK(gop.score > 90.0);
    CHECK(gop.lpp > gop.saidAsLpp);
    CHECK(gop.features.size() == static_cast<size_t>(GopFeatureDim(kNumPhones)));
  }
  CHECK(CountEdits(analysis.edits, PhoneEditKind::kMatch) == 6);
  CHECK(analysis.edits.size() == 6);
}

TEST(substituted_phone_gets_low_lpr_and_the_right_said_as) {
  // "cat" said as "ket": EH instead of AE.
  const Runs runs = {{kSil, 10}, {kK, 6}, {kEH, 9}, {kT, 5}, {kSil, 7}, {kS, 8}, {kAE, 12}, {kT, 4}, {kSil, 12}};
  const SyntheticPosteriors posteriors = MakePosteriors(Labels(runs), 8.0, 1.0);
  const Analysis analysis = Analyze(posteriors, kCatSatWords);
  CHECK(analysis.gop.size() == 6);
  if (analysis.gop.size() != 6) return;
  const PhoneGop& vowel = analysis.gop[1];
  CHECK(vowel.segment.phone == kAE);
  // Nothing in the audio pins an AE boundary: noise may move it by a frame.
  CHECK(std::abs(vowel.segment.startFrame - 16) <= 1 && std::abs(vowel.segment.endFrame - 25) <= 1);
  CHECK(vowel.saidAs == kEH);
  CHECK(vowel.lpr < -5.0);
  CHECK(vowel.score < 5.0);
  for (size_t i = 0; i < analysis.gop.size(); ++i) {
    if (i != 1) CHECK(analysis.gop[i].score > 80.0);  // a neighbour may hold one EH frame
  }
  CHECK(analysis.edits.size() == 6);
  if (analysis.edits.size() != 6) return;
  CHECK(analysis.edits[1].kind == PhoneEditKind::kSubstitution);
  CHECK(analysis.loop.phones[static_cast<size_t>(analysis.edits[1].recognized)].phone == kEH);
}

TEST(deletion_detected_by_the_phone_loop) {
  // "cat" said without its T ("ca sat"): the aligner must still give T three
  // frames; the phone loop does not hear it.
  const Runs runs = {{kSil, 10}, {kK, 6}, {kAE, 12}, {kSil, 7}, {kS, 8}, {kAE, 12}, {kT, 4}, {kSil, 12}};
  const SyntheticPosteriors posteriors = MakePosteriors(Labels(runs), 8.0, 1.0);
  const Analysis analysis = Analyze(posteriors, kCatSatWords);
  CHECK(analysis.alignment.status == AlignStatus::kAligned);
  CHECK(analysis.edits.size() == 6);
  CHECK(CountEdits(analysis.edits, PhoneEditKind::kDeletion) == 1);
  CHECK(CountEdits(analysis.edits, PhoneEditKind::kMatch) == 5);
  if (analysis.edits.size() != 6) return;
  CHECK(analysis.edits[2].kind == PhoneEditKind::kDeletion);
  const PhoneSegment& missing = analysis.alignment.phones[static_cast<size_t>(analysis.edits[2].expected)];
  CHECK(missing.phone == kT && missing.word == 0);
  CHECK(analysis.gop[2].score < 10.0);
}

TEST(insertion_detected_by_the_phone_loop) {
  // "sat" said "sa-m-t": an extra M the text does not have.
  const Runs runs = {{kSil, 10}, {kS, 8}, {kAE, 12}, {kM, 6}, {kT, 5}, {kSil, 10}};
  const SyntheticPosteriors posteriors = MakePosteriors(Labels(runs), 8.0, 1.0);
  const Analysis analysis = Analyze(posteriors, {Word({kS, kAE, kT})});
  CHECK(analysis.edits.size() == 4);
  CHECK(CountEdits(analysis.edits, PhoneEditKind::kInsertion) == 1);
  if (analysis.edits.size() != 4) return;
  CHECK(analysis.edits[2].kind == PhoneEditKind::kInsertion);
  CHECK(analysis.edits[2].expected == -1);
  CHECK(analysis.loop.phones[static_cast<size_t>(analysis.edits[2].recognized)].phone == kM);
}

TEST(edit_distance_prefers_substitution_over_delete_plus_insert) {
  const auto segments = [](std::vector<int32_t> phones, int32_t word) {
    std::vector<PhoneSegment> out;
    for (int32_t phone : phones) {
      PhoneSegment segment;
      segment.phone = phone;
      segment.word = word;
      out.push_back(segment);
    }
    return out;
  };
  const std::vector<PhoneEdit> edits = ComparePhones(segments({kK, kAE, kT}, 0), segments({kSil, kK, kEH, kT, kSil}, -1), kSil);
  CHECK(edits.size() == 3);
  if (edits.size() != 3) return;
  CHECK(edits[0].kind == PhoneEditKind::kMatch && edits[0].expected == 0 && edits[0].recognized == 1);
  CHECK(edits[1].kind == PhoneEditKind::kSubstitution && edits[1].recognized == 2);
  CHECK(edits[2].kind == PhoneEditKind::kMatch && edits[2].recognized == 3);
  CHECK(ComparePhones({}, segments({kSil}, -1), kSil).empty());
}

TEST(rejects_segments_outside_the_posteriors) {
  const SyntheticPosteriors posteriors = MakePosteriors(Labels({{kK, 5}}), 8.0, 1.0);
  PhoneSegment segment;
  segment.phone = kK;
  segment.word = 0;
  segment.startFrame = 3;
  segment.endFrame = 6;
  CHECK_ENGINE_ERROR(ComputePhoneGop(posteriors.View(), segment, GopCalibration()), ErrorCode::kInvalidArgument);
  segment.endFrame = 3;
  CHECK_ENGINE_ERROR(ComputePhoneGop(posteriors.View(), segment, GopCalibration()), ErrorCode::kInvalidArgument);
  segment.endFrame = 5;
  segment.phone = kNumPhones;
  CHECK_ENGINE_ERROR(ComputePhoneGop(posteriors.View(), segment, GopCalibration()), ErrorCode::kInvalidArgument);
}
