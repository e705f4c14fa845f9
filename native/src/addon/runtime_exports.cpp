#include <cmath>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "addon/exports.h"
#include "addon/js_values.h"
#include "addon/model_handle.h"
#include "addon/promise_worker.h"
#include "runtime/acoustic_model.h"
#include "runtime/onnx_runtime.h"

namespace speakai::addon {

namespace {

// Marks the Externals that loadModel returns, so that runModel and modelInfo
// refuse any other External (another addon's pointer would be read as ours).
constexpr napi_type_tag kModelTag = {0x9b1c5e0a7d3f4a21ULL, 0x8e6d2c4b1a0f9e37ULL};

// The handle owns one reference to the model; a running runModel holds
// another, so collecting the handle mid-run is harmless.
Napi::Value WrapModel(Napi::Env env, ModelPtr& model) {
  auto handle = Napi::External<ModelPtr>::New(env, new ModelPtr(std::move(model)),
                                               [](Napi::Env, ModelPtr* owned) { delete owned; });
  handle.TypeTag(&kModelTag);
  return handle;
}

size_t FramesArg(const Napi::CallbackInfo& info, size_t index) {
  const Napi::Value value = info[index];
  const double frames = value.IsNumber() ? value.As<Napi::Number>().DoubleValue() : -1.0;
  if (!(frames >= 0 && frames <= 1e9 && frames == std::floor(frames))) {
    ThrowInvalidArgument(info.Env(), "frames must be a non-negative integer");
  }
  return static_cast<size_t>(frames);
}

Napi::Value ParseJson(Napi::Env env, const std::string& json) {
  Napi::Object parser = env.Global().Get("JSON").As<Napi::Object>();
  return parser.Get("parse").As<Napi::Function>().Call(parser, {Napi::String::New(env, json)});
}

}  // namespace

const ModelPtr& ModelArg(const Napi::CallbackInfo& info, size_t index) {
  const Napi::Value value = info[index];
  if (!value.IsExternal() || !value.As<Napi::External<ModelPtr>>().CheckTypeTag(&kModelTag)) {
    ThrowInvalidArgument(info.Env(), "model must be a handle returned by loadModel");
  }
  return *value.As<Napi::External<ModelPtr>>().Data();
}

// onnxRuntimeVersion() -> string. Synchronous: a constant lookup.
Napi::Value OnnxRuntimeVersion(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), speakai::OnnxRuntimeVersion());
}

// loadModel(manifestPath: string, options: {intraOpThreads?, device?}) -> Promise<handle>
// Reading, hashing and session creation run on the pool; the options are
// validated there too, by AcousticModel::Load.
Napi::Value LoadModel(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string manifestPath = StringArg(info, 0, "manifestPath");
  const Napi::Object options = OptionsArg(info, 1);
  const int intraOpThreads = IntegerOption(options, "intraOpThreads", ModelOptions{}.intraOpThreads);
  std::string device = StringOption(options, "device", DeviceName(ModelOptions{}.device));
  return PromiseWorker<ModelPtr>::Start(
      env, "speakai.loadModel",
      [manifestPath = std::move(manifestPath), intraOpThreads, device = std::move(device)] {
        return AcousticModel::Load(manifestPath, ModelOptions{intraOpThreads, ParseDevice(device)});
      },
      WrapModel);
}

// runModel(model, features: Float32Array /* frames x 80 */, frames: number)
//   -> Promise<{data: Float32Array /* frames x phones */, frames, phones}>
Napi::Value RunModel(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ModelPtr model = ModelArg(info, 0);
  if (!info[1].IsTypedArray() || info[1].As<Napi::TypedArray>().TypedArrayType() != napi_float32_array) {
    ThrowInvalidArgument(env, "features must be a Float32Array");
  }
  const auto features = info[1].As<Napi::Float32Array>();
  std::vector<float> input(features.Data(), features.Data() + features.ElementLength());
  const size_t frames = FramesArg(info, 2);
  return PromiseWorker<Posteriors>::Start(
      env, "speakai.runModel",
      [model = std::move(model), input = std::move(input), frames] { return model->Run(input, frames); },
      [](Napi::Env env, Posteriors& posteriors) -> Napi::Value {
        Napi::Object result = Napi::Object::New(env);
        result.Set("data", ToFloat32Array(env, posteriors.data));
        result.Set("frames", static_cast<double>(posteriors.frames));
        result.Set("phones", static_cast<double>(posteriors.phones));
        return result;
      });
}

// modelInfo(model) -> {inventory, settings, device, intraOpThreads, sha256, parameters}.
// Synchronous: it only reads what Load kept.
Napi::Value ModelInfo(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const AcousticModel& model = *ModelArg(info, 0);
  const ModelManifest& manifest = model.manifest();
  Napi::Array inventory = Napi::Array::New(env, manifest.inventory.size());
  for (size_t i = 0; i < manifest.inventory.size(); ++i) inventory.Set(static_cast<uint32_t>(i), manifest.inventory[i]);
  Napi::Object result = Napi::Object::New(env);
  result.Set("inventory", inventory);
  result.Set("settings", ParseJson(env, manifest.featureSettings));
  result.Set("device", DeviceName(model.device()));
  result.Set("intraOpThreads", model.intraOpThreads());
  result.Set("modelPath", manifest.modelPath);
  result.Set("sha256", manifest.sha256);
  result.Set("parameters", manifest.parameters < 0 ? env.Null()
                                                  : Napi::Number::New(env, static_cast<double>(manifest.parameters)));
  return result;
}

}  // namespace speakai::addon
