#include <napi.h>

#include "addon/exports.h"

namespace {

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  using namespace speakai::addon;
  exports.Set("decodeAudio", Napi::Function::New(env, DecodeAudio, "decodeAudio"));
  exports.Set("computeFeatures", Napi::Function::New(env, ComputeFeatures, "computeFeatures"));
  exports.Set("textToPhonemes", Napi::Function::New(env, TextToPhonemes, "textToPhonemes"));
  exports.Set("synthesize", Napi::Function::New(env, Synthesize, "synthesize"));
  exports.Set("synthesisVersion", Napi::Function::New(env, SynthesisVersion, "synthesisVersion"));
  exports.Set("listLanguages", Napi::Function::New(env, ListLanguages, "listLanguages"));
  exports.Set("onnxRuntimeVersion", Napi::Function::New(env, OnnxRuntimeVersion, "onnxRuntimeVersion"));
  exports.Set("loadModel", Napi::Function::New(env, LoadModel, "loadModel"));
  exports.Set("runModel", Napi::Function::New(env, RunModel, "runModel"));
  exports.Set("modelInfo", Napi::Function::New(env, ModelInfo, "modelInfo"));
  exports.Set("analyze", Napi::Function::New(env, Analyze, "analyze"));
  return exports;
}

}  // namespace

NODE_API_MODULE(speakai_native, Init)
