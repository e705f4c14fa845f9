#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "features/fbank.h"
#include "runtime/manifest.h"

namespace speakai {

class PronunciationScorer;

enum class Device { kCpu, kCuda };

const char* DeviceName(Device device);
// "cpu" or "cuda"; INVALID_ARGUMENT otherwise.
Device ParseDevice(const std::string& name);

struct ModelOptions {
  // Threads inside one Run. 1 by default: the server parallelises across
  // requests (libuv pool), and more threads per run would compete for them.
  int intraOpThreads = 1;
  // kCuda falls back to the CPU, with one line on stderr, when this build has
  // no CUDA support (SPEAKAI_CUDA) or ONNX Runtime cannot use the GPU.
  Device device = Device::kCpu;
};

// Row-major frames x phones, natural-log posteriors over the manifest's inventory.
struct Posteriors {
  std::vector<float> data;
  size_t frames = 0;
  size_t phones = 0;
};

// The acoustic model: one ONNX Runtime session, created once from the
// manifest and shared by every request, with the learned pronunciation scorer
// when the manifest has one (they are trained as a pair on one inventory). Input `features` [1, T, 80] (raw
// log-mel, native/FEATURES.md), output `log_posteriors` [1, T, P] with P the
// inventory size.
class AcousticModel {
 public:
  static constexpr size_t kFeatureDims = fbank::kNumMelBins;

  // Reads the manifest, the model file (its sha256 checked against the
  // manifest), creates the session and checks the model's inputs and outputs
  // against the contract. Errors: MODEL_NOT_FOUND, MODEL_INVALID,
  // MODEL_CHECKSUM_MISMATCH, INVALID_ARGUMENT (options).
  static std::shared_ptr<const AcousticModel> Load(const std::string& manifestPath,
                                                   const ModelOptions& options = {});

  // features: frames x kFeatureDims, row-major. Safe to call from several
  // threads at once (ONNX Runtime's Run is, and all per-call state is local).
  // Errors: INVALID_ARGUMENT (size), MODEL_RUN_FAILED.
  Posteriors Run(const std::vector<float>& features, size_t frames) const;

  const ModelManifest& manifest() const { return manifest_; }
  // The learned scorer the manifest names (on the CPU), or null when it names none.
  const PronunciationScorer* scorer() const { return scorer_.get(); }
  Device device() const { return device_; }
  int intraOpThreads() const { return intraOpThreads_; }

  ~AcousticModel();
  AcousticModel(const AcousticModel&) = delete;
  AcousticModel& operator=(const AcousticModel&) = delete;

 private:
  struct Session;  // keeps ONNX Runtime's headers out of every includer
  AcousticModel(ModelManifest manifest, Device device, int intraOpThreads, std::unique_ptr<Session> session,
                std::shared_ptr<const PronunciationScorer> scorer);

  ModelManifest manifest_;
  Device device_;
  int intraOpThreads_;
  std::unique_ptr<Session> session_;
  std::shared_ptr<const PronunciationScorer> scorer_;
};

}  // namespace speakai
