#include "addon/exports.h"
#include "runtime/onnx_runtime.h"

namespace speakai::addon {

// onnxRuntimeVersion() -> string. Synchronous: a constant lookup.
Napi::Value OnnxRuntimeVersion(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), speakai::OnnxRuntimeVersion());
}

}  // namespace speakai::addon
