#include "analysis/analyze.h"

#include <chrono>
#include <utility>

#include "features/fbank.h"
#include "runtime/pronunciation_scorer.h"

namespace speakai {

namespace {

class Stopwatch {
 public:
  // ms since the previous call (or construction).
  double Lap() {
    const auto now = std::chrono::steady_clock::now();
    const double ms = std::chrono::duration<double, std::milli>(now - last_).count();
    last_ = now;
    return ms;
  }

 private:
  std::chrono::steady_clock::time_point last_ = std::chrono::steady_clock::now();
};

// Splits the aligner's segments into scored phones and silences and
// re-indexes words and edits onto the scored phones.
void FillFromAlignment(Alignment& alignment, PhoneLoopResult& loop, std::vector<PhoneGop> gop,
                       std::vector<PhoneEdit> edits, Analysis& out) {
  std::vector<int32_t> scoredIndex(alignment.phones.size(), -1);
  int32_t next = 0;
  for (size_t i = 0; i < alignment.phones.size(); ++i) {
    if (alignment.phones[i].word >= 0) {
      scoredIndex[i] = next++;
    } else {
      out.silences.push_back(alignment.phones[i]);
    }
  }
  for (WordSegment& word : alignment.words) word.firstPhone = scoredIndex[static_cast<size_t>(word.firstPhone)];
  for (PhoneEdit& edit : edits) {
    if (edit.expected >= 0) edit.expected = scoredIndex[static_cast<size_t>(edit.expected)];
  }
  out.words = std::move(alignment.words);
  out.phones = std::move(gop);
  out.recognized = std::move(loop.phones);
  out.edits = std::move(edits);
}

void Score(const AcousticModel& model, bool learnedScorer, Analysis& out) {
  out.fluency = MeasureFluency(out.phones, static_cast<int32_t>(out.words.size()), out.silences);
  out.scorerInput = BuildScorerInput(out.phones, out.edits, out.silences, out.fluency.phonesPerSecond);
  const PronunciationScorer* scorer = learnedScorer ? model.scorer() : nullptr;
  if (!scorer) {
    out.scores = ScoresFromGop(out.phones, out.words, out.edits);
    return;
  }
  std::vector<int32_t> phoneIds;
  for (const PhoneGop& phone : out.phones) phoneIds.push_back(phone.segment.phone);
  out.scores = ScoresFromLearned(scorer->Run(out.scorerInput, phoneIds), out.phones, out.words);
}

}  // namespace

void CheckAnalysisInput(const AcousticModel& model, size_t audioBytes, const std::vector<ExpectedWord>& words,
                        const DecodeLimits& limits) {
  CheckDecodeInput(audioBytes, limits);
  ValidateExpectedWords(words, static_cast<int32_t>(model.manifest().inventory.size()));
}

Analysis Analyze(const AcousticModel& model, const uint8_t* audio, size_t audioBytes,
                 const std::vector<ExpectedWord>& words, const AnalysisOptions& options) {
  // Bad words must not cost a decode and a model run.
  CheckAnalysisInput(model, audioBytes, words, options.limits);
  Analysis out;
  Stopwatch clock;

  const DecodedAudio decoded = DecodeAudio(audio, audioBytes, options.limits);
  out.durationMs = decoded.durationMs();
  out.timings.decodeMs = clock.Lap();

  const Fbank features = ComputeFbank(decoded.samples.data(), decoded.samples.size());
  out.frames = static_cast<int32_t>(features.frames);
  out.timings.featuresMs = clock.Lap();
  // Under 25 ms of audio: no frame at all, and the model refuses empty input.
  if (features.frames == 0) return out;

  const Posteriors posteriors = model.Run(features.data, features.frames);
  out.timings.modelMs = clock.Lap();

  const LogPosteriorMatrix matrix{posteriors.data.data(), static_cast<int32_t>(posteriors.frames),
                                  static_cast<int32_t>(posteriors.phones)};
  Alignment alignment = AlignUtterance(matrix, words, options.aligner);
  out.status = alignment.status;
  out.usedRetryBeam = alignment.usedRetryBeam;
  if (alignment.status != AlignStatus::kAligned) {
    out.timings.alignMs = clock.Lap();
    return out;
  }
  out.scorePerFrame = alignment.scorePerFrame;
  out.match = alignment.match;
  PhoneLoopResult loop = RecognizePhones(matrix, options.phoneLoop);
  out.timings.alignMs = clock.Lap();

  std::vector<PhoneGop> gop = ComputeGop(matrix, alignment.phones, options.calibration);
  std::vector<PhoneEdit> edits = ComparePhones(alignment.phones, loop.phones, options.aligner.graph.silencePhone);
  FillFromAlignment(alignment, loop, std::move(gop), std::move(edits), out);
  Score(model, options.learnedScorer, out);
  out.timings.scoringMs = clock.Lap();
  return out;
}

}  // namespace speakai
