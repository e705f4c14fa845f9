#pragma once

#include <onnxruntime_cxx_api.h>

#include <string>
#include <vector>

// ONNX Runtime plumbing for AcousticModel and PronunciationScorer: the process's one Ort::Env, the
// session options every model uses, and the CUDA execution provider.
namespace speakai::ort {

Ort::Env& Env();

Ort::SessionOptions SessionOptions(int intraOpThreads);

// The session's input (or output) names, in order.
std::vector<std::string> IoNames(const Ort::Session& session, bool inputs);

// Appends the CUDA execution provider to `options`. Returns "" when it was
// appended, else why not (this build has no CUDA support, or ONNX Runtime
// could not load its CUDA provider).
std::string AppendCuda(Ort::SessionOptions& options);

}  // namespace speakai::ort
