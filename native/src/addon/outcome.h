#pragma once

#include <napi.h>

#include <functional>
#include <new>
#include <string>

#include "addon/js_values.h"
#include "common/engine_error.h"

namespace speakai::addon {

// What a computation off the main thread produced: its result, or the error
// code and message to reject with. Filled off the main thread, read on it.
template <typename Result>
struct Outcome {
  Result value{};
  std::string code;  // empty on success
  std::string message;

  // Any C++ exception becomes a code: EngineError's own, or INTERNAL.
  void Run(const std::function<Result()>& compute) noexcept {
    try {
      value = compute();
    } catch (const EngineError& e) {
      Fail(e.codeName(), e.what());
    } catch (const std::bad_alloc&) {
      Fail("INTERNAL", "out of memory");
    } catch (const std::exception& e) {
      Fail("INTERNAL", e.what());
    }
  }

  void Fail(const char* failureCode, const char* failureMessage) {
    code = failureCode;
    message = failureMessage;
  }

  // On the main thread: resolve with toJs(value) or reject with an Error
  // whose `code` property is `code`.
  void Settle(Napi::Env env, Napi::Promise::Deferred& deferred,
              const std::function<Napi::Value(Napi::Env, Result&)>& toJs) {
    if (!code.empty()) {
      deferred.Reject(MakeEngineError(env, code.c_str(), message));
      return;
    }
    try {
      deferred.Resolve(toJs(env, value));
    } catch (const Napi::Error& e) {
      deferred.Reject(e.Value());
    }
  }
};

}  // namespace speakai::addon
