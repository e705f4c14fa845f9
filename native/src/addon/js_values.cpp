#include "addon/js_values.h"

#include <cmath>
#include <cstring>

namespace speakai::addon {

Napi::Value MakeEngineError(Napi::Env env, const char* code, const std::string& message) {
  Napi::Error error = Napi::Error::New(env, message);
  error.Set("code", Napi::String::New(env, code));
  return error.Value();
}

Napi::Promise RejectedPromise(Napi::Env env, const EngineError& error) {
  auto deferred = Napi::Promise::Deferred::New(env);
  deferred.Reject(MakeEngineError(env, error.codeName(), error.what()));
  return deferred.Promise();
}

void ThrowInvalidArgument(Napi::Env env, const std::string& message) {
  Napi::TypeError error = Napi::TypeError::New(env, message);
  error.Set("code", Napi::String::New(env, ErrorCodeName(ErrorCode::kInvalidArgument)));
  throw error;
}

std::string StringArg(const Napi::CallbackInfo& info, size_t index, const char* name) {
  if (!info[index].IsString()) ThrowInvalidArgument(info.Env(), std::string(name) + " must be a string");
  return info[index].As<Napi::String>().Utf8Value();
}

Napi::Object OptionsArg(const Napi::CallbackInfo& info, size_t index) {
  if (info[index].IsUndefined()) return Napi::Object::New(info.Env());
  if (!info[index].IsObject()) ThrowInvalidArgument(info.Env(), "options must be an object");
  return info[index].As<Napi::Object>();
}

double NumberOption(const Napi::Object& options, const char* key, double fallback) {
  const Napi::Value value = options.Get(key);
  if (value.IsUndefined()) return fallback;
  if (!value.IsNumber() || !std::isfinite(value.As<Napi::Number>().DoubleValue())) {
    ThrowInvalidArgument(options.Env(), std::string(key) + " must be a finite number");
  }
  return value.As<Napi::Number>().DoubleValue();
}

int IntegerOption(const Napi::Object& options, const char* key, int fallback) {
  const double value = NumberOption(options, key, fallback);
  if (value != std::floor(value) || std::fabs(value) > 1e9) {
    ThrowInvalidArgument(options.Env(), std::string(key) + " must be an integer");
  }
  return static_cast<int>(value);
}

bool BoolOption(const Napi::Object& options, const char* key, bool fallback) {
  const Napi::Value value = options.Get(key);
  if (value.IsUndefined()) return fallback;
  if (!value.IsBoolean()) ThrowInvalidArgument(options.Env(), std::string(key) + " must be a boolean");
  return value.As<Napi::Boolean>().Value();
}

std::string StringOption(const Napi::Object& options, const char* key, const std::string& fallback) {
  const Napi::Value value = options.Get(key);
  if (value.IsUndefined()) return fallback;
  if (!value.IsString()) ThrowInvalidArgument(options.Env(), std::string(key) + " must be a string");
  return value.As<Napi::String>().Utf8Value();
}

DecodeLimits DecodeLimitsOption(const Napi::Object& options) {
  DecodeLimits limits;
  const double maxBytes = NumberOption(options, "maxBytes", static_cast<double>(limits.maxBytes));
  if (maxBytes < 1 || maxBytes > 1e12 || maxBytes != std::floor(maxBytes)) {
    ThrowInvalidArgument(options.Env(), "maxBytes must be a positive integer");
  }
  limits.maxBytes = static_cast<size_t>(maxBytes);
  limits.maxDurationSec = NumberOption(options, "maxDurationSec", limits.maxDurationSec);
  if (limits.maxDurationSec <= 0) ThrowInvalidArgument(options.Env(), "maxDurationSec must be positive");
  return limits;
}

Napi::Float32Array ToFloat32Array(Napi::Env env, const std::vector<float>& values) {
  Napi::Float32Array array = Napi::Float32Array::New(env, values.size());
  if (!values.empty()) std::memcpy(array.Data(), values.data(), values.size() * sizeof(float));
  return array;
}

}  // namespace speakai::addon
