#pragma once

#include <string>

namespace speakai {

// Version of the ONNX Runtime library loaded at run time (not of the headers
// compiled against): proves the addon resolved libonnxruntime.
std::string OnnxRuntimeVersion();

}  // namespace speakai
