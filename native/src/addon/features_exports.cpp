#include <vector>

#include "addon/exports.h"
#include "addon/js_values.h"
#include "addon/promise_worker.h"
#include "features/fbank.h"

namespace speakai::addon {

// computeFeatures(samples: Float32Array /* 16 kHz mono */)
//   -> Promise<{data: Float32Array /* frames x dims */, frames, dims}>
Napi::Value ComputeFeatures(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsTypedArray() || info[0].As<Napi::TypedArray>().TypedArrayType() != napi_float32_array) {
    ThrowInvalidArgument(env, "samples must be a Float32Array");
  }
  const auto samples = info[0].As<Napi::Float32Array>();
  std::vector<float> input(samples.Data(), samples.Data() + samples.ElementLength());
  return PromiseWorker<Fbank>::Start(
      env, "speakai.computeFeatures",
      [input = std::move(input)] { return ComputeFbank(input.data(), input.size()); },
      [](Napi::Env env, Fbank& fbank) -> Napi::Value {
        Napi::Object result = Napi::Object::New(env);
        result.Set("data", ToFloat32Array(env, fbank.data));
        result.Set("frames", static_cast<double>(fbank.frames));
        result.Set("dims", static_cast<double>(fbank.dims));
        return result;
      });
}

}  // namespace speakai::addon
