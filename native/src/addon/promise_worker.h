#pragma once

#include <napi.h>

#include <functional>
#include <utility>

#include "addon/outcome.h"

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
    outcome_.Run(compute_);
    if (!outcome_.code.empty()) SetError(outcome_.message);
  }

  void OnOK() override { outcome_.Settle(Env(), deferred_, toJs_); }
  void OnError(const Napi::Error&) override { outcome_.Settle(Env(), deferred_, toJs_); }

  Napi::Promise::Deferred deferred_;
  Compute compute_;
  ToJs toJs_;
  Outcome<Result> outcome_;
};

}  // namespace speakai::addon
