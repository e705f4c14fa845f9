#include "runtime/pronunciation_scorer.h"

#include <algorithm>
#include <array>
#include <string>
#include <utility>

#include "common/engine_error.h"
#include "runtime/file_bytes.h"
#include "runtime/ort_session.h"

namespace speakai {
namespace {

constexpr std::array<const char*, 2> kInputNames{"features", "phones"};
constexpr std::array<const char*, 3> kOutputNames{"phone_scores", "word_scores", "utterance_scores"};

[[noreturn]] void Invalid(const std::string& path, const std::string& message) {
  throw EngineError(ErrorCode::kModelInvalid, "scorer " + path + ": " + message);
}

void CheckNames(const std::string& path, const Ort::Session& session) {
  const std::vector<std::string> inputs = ort::IoNames(session, true);
  if (inputs != std::vector<std::string>(kInputNames.begin(), kInputNames.end())) {
    Invalid(path, "expected the inputs \"features\" and \"phones\"");
  }
  const std::vector<std::string> outputs = ort::IoNames(session, false);
  for (const char* name : kOutputNames) {
    if (std::find(outputs.begin(), outputs.end(), name) == outputs.end()) {
      Invalid(path, std::string("no output named \"") + name + "\"");
    }
  }
}

// Copies a [1, ...] float output of `expected` values.
std::vector<float> OutputValues(Ort::Value& value, size_t expected, const char* name) {
  const size_t count = value.GetTensorTypeAndShapeInfo().GetElementCount();
  if (count != expected) {
    throw EngineError(ErrorCode::kModelRunFailed, std::string("scorer: ") + name + " has " + std::to_string(count) +
                                                      " values, expected " + std::to_string(expected));
  }
  const float* data = value.GetTensorData<float>();
  return std::vector<float>(data, data + count);
}

}  // namespace

struct PronunciationScorer::Session {
  Ort::Session session;
  Ort::MemoryInfo cpu = Ort::MemoryInfo::CreateCpu(OrtArenaAllocator, OrtMemTypeDefault);
};

PronunciationScorer::PronunciationScorer(int32_t inputDim, std::unique_ptr<Session> session)
    : inputDim_(inputDim), session_(std::move(session)) {}

PronunciationScorer::~PronunciationScorer() = default;

std::shared_ptr<const PronunciationScorer> PronunciationScorer::Load(const ScorerManifest& manifest,
                                                                     int32_t numPhones, int intraOpThreads) {
  const std::string& path = manifest.modelPath;
  if (manifest.inputDim != ScorerInputDim(numPhones)) {
    Invalid(path, "input_dim is " + std::to_string(manifest.inputDim) + ", this engine builds " +
                      std::to_string(ScorerInputDim(numPhones)) + " values per phone");
  }
  const std::vector<uint8_t> bytes = ReadVerifiedModelFile(path, manifest.sha256, manifest.bytes);
  try {
    Ort::Session session(ort::Env(), bytes.data(), bytes.size(), ort::SessionOptions(intraOpThreads));
    CheckNames(path, session);
    auto owned = std::make_unique<Session>(Session{std::move(session)});
    return std::shared_ptr<const PronunciationScorer>(new PronunciationScorer(manifest.inputDim, std::move(owned)));
  } catch (const Ort::Exception& e) {
    Invalid(path, e.what());
  }
}

LearnedScores PronunciationScorer::Run(const ScorerInput& input, const std::vector<int32_t>& phones) const {
  const size_t count = phones.size();
  if (count == 0 || input.dim != inputDim_ || input.rows.size() != count * static_cast<size_t>(inputDim_)) {
    throw EngineError(ErrorCode::kInvalidArgument, "scorer: input must hold phones x " + std::to_string(inputDim_) +
                                                       " values, at least one phone");
  }
  const std::array<int64_t, 3> featureShape{1, static_cast<int64_t>(count), inputDim_};
  const std::array<int64_t, 2> phoneShape{1, static_cast<int64_t>(count)};
  std::vector<int64_t> phoneIds(phones.begin(), phones.end());
  try {
    std::array<Ort::Value, 2> inputs{
        // ONNX Runtime only reads inputs: the const_cast lends it our buffer without a copy.
        Ort::Value::CreateTensor<float>(session_->cpu, const_cast<float*>(input.rows.data()), input.rows.size(),
                                        featureShape.data(), featureShape.size()),
        Ort::Value::CreateTensor<int64_t>(session_->cpu, phoneIds.data(), phoneIds.size(), phoneShape.data(),
                                          phoneShape.size())};
    std::vector<Ort::Value> outputs = session_->session.Run(Ort::RunOptions{nullptr}, kInputNames.data(),
                                                            inputs.data(), inputs.size(), kOutputNames.data(),
                                                            kOutputNames.size());
    LearnedScores scores;
    scores.phone = OutputValues(outputs[0], count, kOutputNames[0]);
    scores.word = OutputValues(outputs[1], count * kWordAspects, kOutputNames[1]);
    const std::vector<float> utterance = OutputValues(outputs[2], kUtteranceAspects, kOutputNames[2]);
    std::copy(utterance.begin(), utterance.end(), scores.utterance.begin());
    return scores;
  } catch (const Ort::Exception& e) {
    throw EngineError(ErrorCode::kModelRunFailed, std::string("scorer run failed: ") + e.what());
  }
}

}  // namespace speakai
