#include "runtime/onnx_runtime.h"

#include <onnxruntime_c_api.h>

namespace speakai {

std::string OnnxRuntimeVersion() { return OrtGetApiBase()->GetVersionString(); }

}  // namespace speakai
