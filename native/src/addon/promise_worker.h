#pragma once

#include <napi.h>

#include <functional>
#include <new>
#include <string>
#include <utility>

#include "addon/js_values.h"
#include "common/engine_error.h"

namespace speakai::addon {

// Runs `compute` on the libuv thread pool and settles a Promise with
// `toJs(result)`. The contract every export follows: inputs are copied into
// the closure on the main thread, `compute` never touches N-API values, and
// any C++ exception becomes a rejected Error with a `code` property
// (EngineError's code, or INTERNAL).
template <typename Result>
class PromiseWorker : public Napi::AsyncWorker {
 public:
  using Compute = std::function<Result()>;
  using ToJs = std::function<Napi::Value(Napi::Env, Result&)>;

  static Napi::Promise Start(Napi::Env env, const char* name, Compute compute, ToJs toJs) {
    auto* worker = new PromiseWorker(env, name, std::move(compute), std::move(toJs));
    Napi::Promise promise = worker->deferred_.Promise();
    worker->Queue();  // the worker deletes itself once settled
    return promise;
  }

 private:
  PromiseWorker(Napi::Env env, const char* name, Compute compute, ToJs toJs)
      : Napi::AsyncWorker(env, name),
        deferred_(Napi::Promise::Deferred::New(env)),
        compute_(std::move(compute)),
        toJs_(std::move(toJs)) {}

  void Execute() override {
    try {
      result_ = compute_();
    } catch (const EngineError& e) {
      Fail(e.codeName(), e.what());
    } catch (const std::bad_alloc&) {
      Fail("INTERNAL", "out of memory");
    } catch (const std::exception& e) {
      Fail("INTERNAL", e.what());
    }
  }

  void OnOK() override {
    try {
      deferred_.Resolve(toJs_(Env(), result_));
    } catch (const Napi::Error& e) {
      deferred_.Reject(e.Value());
    }
  }

  void OnError(const Napi::Error& error) override {
    deferred_.Reject(MakeEngineError(Env(), code_.c_str(), error.Message()));
  }

  void Fail(const char* code, const std::string& message) {
    code_ = code;
    SetError(message);
  }

  Napi::Promise::Deferred deferred_;
  Compute compute_;
  ToJs toJs_;
  Result result_{};
  std::string code_;
};

}  // namespace speakai::addon
