#pragma once

// Conversions between JS arguments/results and engine types. Argument errors
// are thrown synchronously as TypeErrors with code INVALID_ARGUMENT (the TS
// wrapper's async functions turn them into rejections).

#include <napi.h>

#include <string>
#include <vector>

#include "audio/decoder.h"
#include "common/engine_error.h"

namespace speakai::addon {

Napi::Value MakeEngineError(Napi::Env env, const char* code, const std::string& message);
Napi::Promise RejectedPromise(Napi::Env env, const EngineError& error);
[[noreturn]] void ThrowInvalidArgument(Napi::Env env, const std::string& message);

std::string StringArg(const Napi::CallbackInfo& info, size_t index, const char* name);
// An options object, or an empty one when the argument is undefined.
Napi::Object OptionsArg(const Napi::CallbackInfo& info, size_t index);
double NumberOption(const Napi::Object& options, const char* key, double fallback);
int IntegerOption(const Napi::Object& options, const char* key, int fallback);
bool BoolOption(const Napi::Object& options, const char* key, bool fallback);
std::string StringOption(const Napi::Object& options, const char* key, const std::string& fallback);
// maxBytes, maxDurationSec (decodeAudio, analyze).
DecodeLimits DecodeLimitsOption(const Napi::Object& options);

Napi::Float32Array ToFloat32Array(Napi::Env env, const std::vector<float>& values);

}  // namespace speakai::addon
