#pragma once

#include <onnxruntime_cxx_api.h>

#include <string>

// ONNX Runtime plumbing for AcousticModel: the process's one Ort::Env, the
// session options every model uses, and the CUDA execution provider.
namespace speakai::ort {

Ort::Env& Env();

Ort::SessionOptions SessionOptions(int intraOpThreads);

// Appends the CUDA execution provider to `options`. Returns "" when it was
// appended, else why not (this build has no CUDA support, or ONNX Runtime
// could not load its CUDA provider).
std::string AppendCuda(Ort::SessionOptions& options);

}  // namespace speakai::ort
