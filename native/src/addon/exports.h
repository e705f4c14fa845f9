#pragma once

#include <napi.h>

// One function per JS export; addon.cpp registers them.
namespace speakai::addon {

Napi::Value DecodeAudio(const Napi::CallbackInfo& info);
Napi::Value ComputeFeatures(const Napi::CallbackInfo& info);
Napi::Value TextToPhonemes(const Napi::CallbackInfo& info);
Napi::Value Synthesize(const Napi::CallbackInfo& info);
Napi::Value SynthesisVersion(const Napi::CallbackInfo& info);
Napi::Value ListLanguages(const Napi::CallbackInfo& info);
Napi::Value OnnxRuntimeVersion(const Napi::CallbackInfo& info);
Napi::Value LoadModel(const Napi::CallbackInfo& info);
Napi::Value RunModel(const Napi::CallbackInfo& info);
Napi::Value ModelInfo(const Napi::CallbackInfo& info);
Napi::Value Analyze(const Napi::CallbackInfo& info);

}  // namespace speakai::addon
