#include "runtime/acoustic_model.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <optional>
#include <utility>

#include "common/engine_error.h"
#include "runtime/file_bytes.h"
#include "runtime/ort_session.h"
#include "runtime/pronunciation_scorer.h"

namespace speakai {
namespace {

constexpr const char* kInputName = "features";
constexpr const char* kOutputName = "log_posteriors";
constexpr int kMaxIntraOpThreads = 64;

[[noreturn]] void Invalid(const std::string& path, const std::string& message) {
  throw EngineError(ErrorCode::kModelInvalid, "model " + path + ": " + message);
}

std::string ShapeText(const std::vector<int64_t>& shape) {
  std::string text = "[";
  for (size_t i = 0; i < shape.size(); ++i) text += (i ? ", " : "") + std::to_string(shape[i]);
  return text + "]";
}

// Checks that `name` is a float tensor [1, T, lastDim] with a dynamic T (-1);
// the batch axis may be fixed at 1 or dynamic, lastDim may be dynamic when
// `lastDimMayBeDynamic` (then Run checks it on every output).
void CheckTensor(const std::string& path, const char* name, Ort::TypeInfo info, int64_t lastDim,
                 bool lastDimMayBeDynamic) {
  if (info.GetONNXType() != ONNX_TYPE_TENSOR) Invalid(path, std::string(name) + " is not a tensor");
  const auto tensor = info.GetTensorTypeAndShapeInfo();
  if (tensor.GetElementType() != ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT) {
    Invalid(path, std::string(name) + " is not float32");
  }
  const std::vector<int64_t> shape = tensor.GetShape();
  const bool ok = shape.size() == 3 && (shape[0] == 1 || shape[0] == -1) && shape[1] == -1 &&
                  (shape[2] == lastDim || (lastDimMayBeDynamic && shape[2] == -1));
  if (!ok) {
    Invalid(path, std::string(name) + " has shape " + ShapeText(shape) + ", expected [1, T, " +
                      std::to_string(lastDim) + "] with a dynamic T (-1 is dynamic)");
  }
}

// The contract of models/README.md: one input `features` [1, T, 80], an output
// `log_posteriors` [1, T, P] with P phones in the manifest's inventory.
void CheckInterface(const std::string& path, const Ort::Session& session, size_t phones) {
  const std::vector<std::string> inputs = ort::IoNames(session, true);
  if (inputs.size() != 1 || inputs[0] != kInputName) {
    Invalid(path, "expected one input named \"features\", found " + std::to_string(inputs.size()) +
                      (inputs.empty() ? "" : " (first \"" + inputs[0] + "\")"));
  }
  CheckTensor(path, kInputName, session.GetInputTypeInfo(0), AcousticModel::kFeatureDims, false);
  const std::vector<std::string> outputs = ort::IoNames(session, false);
  const auto output = std::find(outputs.begin(), outputs.end(), kOutputName);
  if (output == outputs.end()) Invalid(path, "no output named \"log_posteriors\"");
  CheckTensor(path, kOutputName, session.GetOutputTypeInfo(output - outputs.begin()),
              static_cast<int64_t>(phones), true);
}

void LogCudaFallback(std::string reason) {
  std::replace(reason.begin(), reason.end(), '\n', ' ');
  // One write, so that the line stays whole among other threads' output.
  std::fprintf(stderr, "speakai: acoustic model on the CPU: CUDA was requested but is unavailable: %s\n",
               reason.c_str());
}

}  // namespace

struct AcousticModel::Session {
  Ort::Session session;
  Ort::MemoryInfo cpu = Ort::MemoryInfo::CreateCpu(OrtArenaAllocator, OrtMemTypeDefault);
};

const char* DeviceName(Device device) { return device == Device::kCuda ? "cuda" : "cpu"; }

Device ParseDevice(const std::string& name) {
  if (name == "cpu") return Device::kCpu;
  if (name == "cuda") return Device::kCuda;
  throw EngineError(ErrorCode::kInvalidArgument, "device must be \"cpu\" or \"cuda\", got \"" + name + "\"");
}

AcousticModel::AcousticModel(ModelManifest manifest, Device device, int intraOpThreads,
                             std::unique_ptr<Session> session, std::shared_ptr<const PronunciationScorer> scorer)
    : manifest_(std::move(manifest)),
      device_(device),
      intraOpThreads_(intraOpThreads),
      session_(std::move(session)),
      scorer_(std::move(scorer)) {}

AcousticModel::~AcousticModel() = default;

std::shared_ptr<const AcousticModel> AcousticModel::Load(const std::string& manifestPath, const ModelOptions& options) {
  if (options.intraOpThreads < 1 || options.intraOpThreads > kMaxIntraOpThreads) {
    throw EngineError(ErrorCode::kInvalidArgument,
                      "intraOpThreads must be 1.." + std::to_string(kMaxIntraOpThreads));
  }
  ModelManifest manifest = ReadManifest(manifestPath);
  const std::string& path = manifest.modelPath;
  const std::vector<uint8_t> bytes = ReadVerifiedModelFile(path, manifest.sha256, manifest.bytes);

  std::optional<Ort::Session> session;
  Device device = Device::kCpu;
  if (options.device == Device::kCuda) {
    Ort::SessionOptions cudaOptions = ort::SessionOptions(options.intraOpThreads);
    std::string whyNot = ort::AppendCuda(cudaOptions);
    if (whyNot.empty()) {
      // Without a usable GPU the provider loads but the session fails.
      try {
        session.emplace(ort::Env(), bytes.data(), bytes.size(), cudaOptions);
        device = Device::kCuda;
      } catch (const Ort::Exception& e) {
        whyNot = e.what();
      }
    }
    if (!session) LogCudaFallback(whyNot);
  }
  if (!session) {
    try {
      session.emplace(ort::Env(), bytes.data(), bytes.size(), ort::SessionOptions(options.intraOpThreads));
    } catch (const Ort::Exception& e) {
      Invalid(path, e.what());
    }
  }
  CheckInterface(path, *session, manifest.inventory.size());
  auto owned = std::make_unique<Session>(Session{std::move(*session)});
  std::shared_ptr<const PronunciationScorer> scorer;
  if (manifest.scorer) {
    scorer = PronunciationScorer::Load(*manifest.scorer, static_cast<int32_t>(manifest.inventory.size()),
                                       options.intraOpThreads);
  }
  return std::shared_ptr<const AcousticModel>(new AcousticModel(std::move(manifest), device, options.intraOpThreads,
                                                                std::move(owned), std::move(scorer)));
}

Posteriors AcousticModel::Run(const std::vector<float>& features, size_t frames) const {
  if (frames == 0 || features.size() / kFeatureDims != frames || features.size() % kFeatureDims != 0) {
    throw EngineError(ErrorCode::kInvalidArgument, "features must hold frames x " + std::to_string(kFeatureDims) +
                                                       " values, at least one frame (got " +
                                                       std::to_string(features.size()) + " values for " +
                                                       std::to_string(frames) + " frames)");
  }
  const std::array<int64_t, 3> shape{1, static_cast<int64_t>(frames), static_cast<int64_t>(kFeatureDims)};
  const size_t phones = manifest_.inventory.size();
  try {
    // ONNX Runtime only reads inputs: the const_cast lends it our buffer without a copy.
    Ort::Value input = Ort::Value::CreateTensor<float>(session_->cpu, const_cast<float*>(features.data()),
                                                       features.size(), shape.data(), shape.size());
    std::vector<Ort::Value> outputs =
        session_->session.Run(Ort::RunOptions{nullptr}, &kInputName, &input, 1, &kOutputName, 1);
    const auto info = outputs.at(0).GetTensorTypeAndShapeInfo();
    const std::vector<int64_t> outShape = info.GetShape();
    if (outShape != std::vector<int64_t>{1, static_cast<int64_t>(frames), static_cast<int64_t>(phones)}) {
      throw EngineError(ErrorCode::kModelRunFailed, "log_posteriors has shape " + ShapeText(outShape) + " for " +
                                                        std::to_string(frames) + " frames and " +
                                                        std::to_string(phones) + " phones");
    }
    const float* data = outputs[0].GetTensorData<float>();
    return Posteriors{std::vector<float>(data, data + frames * phones), frames, phones};
  } catch (const Ort::Exception& e) {
    throw EngineError(ErrorCode::kModelRunFailed, std::string("model run failed: ") + e.what());
  }
}

}  // namespace speakai
