#include <cstdint>
#include <vector>

#include "addon/exports.h"
#include "addon/js_values.h"
#include "addon/promise_worker.h"
#include "audio/decoder.h"
#include "common/constants.h"

namespace speakai::addon {

// decodeAudio(bytes: Uint8Array, {maxBytes?, maxDurationSec?})
//   -> Promise<{samples: Float32Array, sampleRate, durationMs}>
Napi::Value DecodeAudio(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsTypedArray() || info[0].As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) {
    ThrowInvalidArgument(env, "audio must be a Buffer or Uint8Array");
  }
  const DecodeLimits limits = DecodeLimitsOption(OptionsArg(info, 1));
  const auto bytes = info[0].As<Napi::Uint8Array>();
  try {
    CheckDecodeInput(bytes.ByteLength(), limits);  // before copying an oversized upload
  } catch (const EngineError& error) {
    return RejectedPromise(env, error);
  }

  std::vector<uint8_t> input(bytes.Data(), bytes.Data() + bytes.ByteLength());
  return PromiseWorker<DecodedAudio>::Start(
      env, "speakai.decodeAudio",
      [input = std::move(input), limits] { return speakai::DecodeAudio(input.data(), input.size(), limits); },
      [](Napi::Env env, DecodedAudio& audio) -> Napi::Value {
        Napi::Object result = Napi::Object::New(env);
        result.Set("samples", ToFloat32Array(env, audio.samples));
        result.Set("sampleRate", kSampleRate);
        result.Set("durationMs", audio.durationMs());
        return result;
      });
}

}  // namespace speakai::addon
