// analyze's orchestration on the tiny model of scripts/native/make-model-fixture.py
// (argument: the folder it wrote; inventory SIL AA B K S, fixed weights, so the
// posteriors mean nothing: these tests check the wiring, not the scores).

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "analysis/analyze.h"
#include "common/constants.h"
#include "features/fbank.h"
#include "harness.h"
#include "runtime/pronunciation_scorer.h"

using namespace speakai;

namespace {

constexpr int32_t kPhones = 5;

std::shared_ptr<const AcousticModel> TinyModel() {
  static const auto model = AcousticModel::Load(test::Args().at(0) + "/good/manifest.json");
  return model;
}

void PutLe(std::vector<uint8_t>& out, uint32_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<uint8_t>(value >> (8 * i)));
}

// `seconds` of a 220 Hz tone (speech-level energy) as 16-bit PCM WAV at 16 kHz.
std::vector<uint8_t> ToneWav(double seconds) {
  const auto samples = static_cast<uint32_t>(seconds * kSampleRate);
  std::vector<uint8_t> wav = {'R', 'I', 'F', 'F'};
  PutLe(wav, 36 + samples * 2, 4);
  for (char c : std::string("WAVEfmt ")) wav.push_back(static_cast<uint8_t>(c));
  PutLe(wav, 16, 4);
  PutLe(wav, 1, 2);  // PCM
  PutLe(wav, 1, 2);  // mono
  PutLe(wav, kSampleRate, 4);
  PutLe(wav, kSampleRate * 2, 4);
  PutLe(wav, 2, 2);
  PutLe(wav, 16, 2);
  for (char c : std::string("data")) wav.push_back(static_cast<uint8_t>(c));
  PutLe(wav, samples * 2, 4);
  for (uint32_t i = 0; i < samples; ++i) {
    const double value = 0.3 * std::sin(2.0 * M_PI * 220.0 * i / kSampleRate);
    PutLe(wav, static_cast<uint32_t>(static_cast<int16_t>(std::lround(value * 32767))), 2);
  }
  return wav;
}

Analysis Run(const std::vector<uint8_t>& audio, const std::vector<ExpectedWord>& words,
             const AnalysisOptions& options = {}) {
  return Analyze(*TinyModel(), audio.data(), audio.size(), words, options);
}

// AA | B K | S AA, with a second, longer pronunciation for the first word.
const std::vector<ExpectedWord> kWords = {{{{1}, {1, 2}}}, {{{2, 3}}}, {{{4, 1}}}};

void CheckNoScores(const Analysis& analysis) {
  CHECK(analysis.words.empty() && analysis.phones.empty() && analysis.silences.empty());
  CHECK(analysis.recognized.empty() && analysis.edits.empty());
}

}  // namespace

TEST(aligned_result_indexes_its_own_lists) {
  const std::vector<uint8_t> audio = ToneWav(1.0);
  const Analysis analysis = Run(audio, kWords);
  CHECK(analysis.status == AlignStatus::kAligned);
  CHECK_NEAR(analysis.durationMs, 1000.0, 1.0);
  CHECK(analysis.frames == static_cast<int32_t>(NumFbankFrames(kSampleRate)));
  CHECK(analysis.timings.decodeMs > 0 && analysis.timings.modelMs > 0 && analysis.timings.alignMs > 0);
  CHECK(analysis.match.gapPerFrame >= 0.0);

  // Words in order, each owning a contiguous run of `phones` with its chosen pronunciation.
  CHECK(analysis.words.size() == kWords.size());
  int32_t nextPhone = 0;
  double lastEndMs = 0.0;
  for (size_t w = 0; w < analysis.words.size(); ++w) {
    const WordSegment& word = analysis.words[w];
    CHECK(word.word == static_cast<int32_t>(w));
    CHECK(word.firstPhone == nextPhone);
    const auto& pronunciation = kWords[w].pronunciations.at(static_cast<size_t>(word.pronunciation));
    CHECK(word.numPhones == static_cast<int32_t>(pronunciation.size()));
    CHECK(word.startMs >= lastEndMs && word.endMs > word.startMs);
    for (int32_t i = 0; i < word.numPhones; ++i) {
      const PhoneGop& gop = analysis.phones.at(static_cast<size_t>(word.firstPhone + i));
      CHECK(gop.segment.word == word.word);
      CHECK(gop.segment.phone == pronunciation[static_cast<size_t>(i)]);
      CHECK(gop.score >= 0.0 && gop.score <= 100.0 && gop.lpr <= 0.0);
      CHECK(gop.features.size() == static_cast<size_t>(GopFeatureDim(kPhones)));
    }
    nextPhone += word.numPhones;
    lastEndMs = word.endMs;
  }
  CHECK(static_cast<size_t>(nextPhone) == analysis.phones.size());

  // Phones and silences together tile the audio.
  int32_t frames = 0;
  for (const PhoneGop& gop : analysis.phones) frames += gop.durationFrames;
  for (const PhoneSegment& silence : analysis.silences) {
    CHECK(silence.phone == 0 && silence.word == -1);
    frames += silence.endFrame - silence.startFrame;
  }
  CHECK(frames == analysis.frames);

  // Every expected phone appears once in the edits; indices point into the result's lists.
  std::vector<int> seen(analysis.phones.size(), 0);
  for (const PhoneEdit& edit : analysis.edits) {
    if (edit.expected >= 0) ++seen.at(static_cast<size_t>(edit.expected));
    if (edit.recognized >= 0) CHECK(analysis.recognized.at(static_cast<size_t>(edit.recognized)).phone != 0);
  }
  for (int count : seen) CHECK(count == 1);
  CHECK(!analysis.recognized.empty() && analysis.recognized.back().endFrame == analysis.frames);
}

TEST(too_few_frames_is_a_status_without_scores) {
  // 0.2 s (the decoder wants 0.1 s of speech energy) is 18 frames; 7 words of 2+ phones need 3 each.
  const std::vector<ExpectedWord> words(7, kWords[1]);
  const Analysis analysis = Run(ToneWav(0.2), words);
  CHECK(analysis.status == AlignStatus::kTooFewFrames);
  CHECK(analysis.frames == 18);
  CHECK(analysis.timings.modelMs > 0.0);
  CheckNoScores(analysis);
}

TEST(no_path_within_beam_is_a_status_without_scores) {
  AnalysisOptions options;
  options.aligner.beam = 1e-9;  // only the best token survives each frame, and no retry
  options.aligner.retryBeam = 0.0;
  const Analysis analysis = Run(ToneWav(1.0), kWords, options);
  CHECK(analysis.status == AlignStatus::kNoPathWithinBeam);
  CHECK(!analysis.usedRetryBeam);
  CheckNoScores(analysis);
}

TEST(bad_words_are_refused_before_decoding) {
  const std::vector<uint8_t> notAudio(1000, 7);  // would be AUDIO_UNSUPPORTED_FORMAT if decoded
  CHECK_ENGINE_ERROR(Run(notAudio, {{{{1, kPhones}}}}), ErrorCode::kInvalidArgument);
  CHECK_ENGINE_ERROR(Run(notAudio, {{{{-1}}}}), ErrorCode::kInvalidArgument);
  CHECK_ENGINE_ERROR(Run(notAudio, {{{}}}), ErrorCode::kInvalidArgument);
  CHECK_ENGINE_ERROR(Run(notAudio, {}), ErrorCode::kTextEmpty);
  CHECK_ENGINE_ERROR(Run(notAudio, kWords), ErrorCode::kAudioUnsupportedFormat);
}

TEST(audio_limits_apply) {
  AnalysisOptions options;
  options.limits.maxDurationSec = 0.5;
  CHECK_ENGINE_ERROR(Run(ToneWav(1.0), kWords, options), ErrorCode::kAudioTooLong);
  options.limits = DecodeLimits{};
  options.limits.maxBytes = 100;
  CHECK_ENGINE_ERROR(Run(ToneWav(1.0), kWords, options), ErrorCode::kAudioTooLarge);
}

TEST(the_learned_scorer_gives_phone_word_and_utterance_scores) {
  // The fixture's scorer: phone = 100 + 10 * LPR, each word aspect = its phones' mean, utterance = mean phone.
  const auto model = AcousticModel::Load(test::Args().at(0) + "/scored/manifest.json");
  CHECK(model->scorer() != nullptr);
  const std::vector<uint8_t> audio = ToneWav(1.0);
  const Analysis analysis = Analyze(*model, audio.data(), audio.size(), kWords, AnalysisOptions());
  CHECK(analysis.status == AlignStatus::kAligned && analysis.scores.learned);
  CHECK(analysis.scorerInput.dim == ScorerInputDim(kPhones));
  CHECK(analysis.scorerInput.rows.size() == analysis.phones.size() * static_cast<size_t>(analysis.scorerInput.dim));
  // Word and utterance means are taken over the raw outputs, then clamped to 0..100.
  const auto raw = [&](size_t i) { return 100.0 + 10.0 * analysis.phones[i].lpr; };
  const auto clamp = [](double value) { return std::clamp(value, 0.0, 100.0); };
  double sum = 0.0;
  for (size_t i = 0; i < analysis.phones.size(); ++i) {
    CHECK_NEAR(analysis.phones[i].score, clamp(raw(i)), 1e-3);
    sum += raw(i);
  }
  CHECK(analysis.scores.words.size() == analysis.words.size());
  for (size_t w = 0; w < analysis.words.size(); ++w) {
    const WordSegment& word = analysis.words[w];
    double wordSum = 0.0;
    for (int32_t i = 0; i < word.numPhones; ++i) wordSum += raw(static_cast<size_t>(word.firstPhone + i));
    CHECK_NEAR(analysis.scores.words[w].accuracy, clamp(wordSum / word.numPhones), 1e-3);
    CHECK(analysis.scores.words[w].stress.has_value() && analysis.scores.words[w].total.has_value());
  }
  const double mean = clamp(sum / static_cast<double>(analysis.phones.size()));
  CHECK_NEAR(analysis.scores.utterance.accuracy, mean, 1e-3);
  CHECK(analysis.scores.utterance.fluency && std::fabs(*analysis.scores.utterance.fluency - mean) < 1e-3);
}

TEST(without_the_learned_scorer_the_calibrated_gop_scores) {
  const auto model = AcousticModel::Load(test::Args().at(0) + "/scored/manifest.json");
  const std::vector<uint8_t> audio = ToneWav(1.0);
  AnalysisOptions options;
  options.learnedScorer = false;
  const Analysis analysis = Analyze(*model, audio.data(), audio.size(), kWords, options);
  CHECK(!analysis.scores.learned);
  for (const PhoneGop& phone : analysis.phones) CHECK_NEAR(phone.score, GopScore(phone.lpr, GopCalibration()), 1e-9);
  CHECK(!analysis.scores.utterance.fluency && !analysis.scores.utterance.total);
  CHECK(analysis.scores.words.size() == analysis.words.size() && !analysis.scores.words[0].stress);
  // The tiny model's default (no scorer in its manifest) is the same path.
  CHECK(TinyModel()->scorer() == nullptr && !Run(audio, kWords).scores.learned);
}

TEST(a_scorer_built_for_other_inputs_is_refused) {
  CHECK_ENGINE_ERROR(AcousticModel::Load(test::Args().at(0) + "/scored_wrong_dim/manifest.json"),
                     ErrorCode::kModelInvalid);
}
