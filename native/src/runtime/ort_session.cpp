#include "runtime/ort_session.h"

#include <memory>

namespace speakai::ort {

Ort::Env& Env() {
  // Never destroyed: sessions owned by JS objects may be finalised after
  // static destructors have run at process exit, and a session must not
  // outlive its Env. Logging only fatal errors: every failure reaches us as
  // an exception, reported once as an EngineError (or the CUDA fallback
  // line); ONNX Runtime's own log would print it a second time.
  static Ort::Env* env = new Ort::Env(ORT_LOGGING_LEVEL_FATAL, "speakai");
  return *env;
}

Ort::SessionOptions SessionOptions(int intraOpThreads) {
  Ort::SessionOptions options;
  options.SetIntraOpNumThreads(intraOpThreads);
  options.SetInterOpNumThreads(1);  // the model is one chain of layers: nothing to run side by side
  options.SetExecutionMode(ExecutionMode::ORT_SEQUENTIAL);
  options.SetGraphOptimizationLevel(GraphOptimizationLevel::ORT_ENABLE_ALL);
  // Spinning intra-op threads would burn the cores that concurrent requests need.
  options.AddConfigEntry("session.intra_op.allow_spinning", "0");
  return options;
}

std::string AppendCuda(Ort::SessionOptions& options) {
#if SPEAKAI_CUDA
  try {
    const OrtApi& api = Ort::GetApi();
    OrtCUDAProviderOptionsV2* raw = nullptr;
    Ort::ThrowOnError(api.CreateCUDAProviderOptions(&raw));
    std::unique_ptr<OrtCUDAProviderOptionsV2, decltype(api.ReleaseCUDAProviderOptions)> cuda(
        raw, api.ReleaseCUDAProviderOptions);
    options.AppendExecutionProvider_CUDA_V2(*cuda);
    return "";
  } catch (const Ort::Exception& e) {
    return std::string("ONNX Runtime could not load its CUDA provider (libonnxruntime_providers_shared.so and "
                       "libonnxruntime_providers_cuda.so next to libonnxruntime, with CUDA and cuDNN): ") +
           e.what();
  }
#else
  (void)options;
  return "this build has no CUDA support (configure with -DSPEAKAI_CUDA=ON)";
#endif
}

std::vector<std::string> IoNames(const Ort::Session& session, bool inputs) {
  Ort::AllocatorWithDefaultOptions allocator;
  std::vector<std::string> names;
  const size_t count = inputs ? session.GetInputCount() : session.GetOutputCount();
  for (size_t i = 0; i < count; ++i) {
    names.emplace_back(inputs ? session.GetInputNameAllocated(i, allocator).get()
                              : session.GetOutputNameAllocated(i, allocator).get());
  }
  return names;
}

}  // namespace speakai::ort
