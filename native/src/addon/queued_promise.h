#pragma once

#include <napi.h>

#include <functional>
#include <memory>
#include <mutex>
#include <utility>

#include "addon/outcome.h"
#include "common/serial_queue.h"

namespace speakai::addon {

// PromiseWorker's contract, but `compute` runs on `queue`'s thread instead of
// the libuv pool, and that thread hands the outcome back to the main thread
// through a thread-safe function (one per call, with no JS function: its
// call_js callback settles the Promise). A pending call keeps the event loop
// alive, as an AsyncWorker does.
template <typename Result>
class QueuedPromise {
 public:
  using Compute = std::function<Result()>;
  using ToJs = std::function<Napi::Value(Napi::Env, Result&)>;

  static Napi::Promise Start(Napi::Env env, SerialQueue& queue, const char* name, Compute compute,
                             ToJs toJs) {
    std::shared_ptr<QueuedPromise> job(new QueuedPromise(env, std::move(toJs)));
    // The finalizer owns a reference so the job outlives whichever of the
    // queue thread and the main thread lets go of it last.
    auto* finalizerRef = new std::shared_ptr<QueuedPromise>(job);
    const napi_status status = napi_create_threadsafe_function(
        env, nullptr, nullptr, Napi::String::New(env, name), 0, 1, finalizerRef, &Finalize,
        job.get(), &CallJs, &job->tsfn_);
    if (status != napi_ok) {
      delete finalizerRef;
      NAPI_THROW_IF_FAILED(env, status, Napi::Promise());
    }
    queue.Post([job, compute = std::move(compute)] {
      job->outcome_.Run(compute);
      job->Complete();
    });
    return job->deferred_.Promise();
  }

 private:
  QueuedPromise(Napi::Env env, ToJs toJs)
      : deferred_(Napi::Promise::Deferred::New(env)), toJs_(std::move(toJs)) {}

  // Queue thread. After the finalizer has run the function is gone (its env
  // was torn down while this job waited): nobody is left to tell.
  void Complete() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (tsfn_ == nullptr) return;
    napi_call_threadsafe_function(tsfn_, nullptr, napi_tsfn_nonblocking);
    napi_release_threadsafe_function(tsfn_, napi_tsfn_release);
  }

  // Main thread; env is null when the env is torn down with the call queued.
  static void CallJs(napi_env env, napi_value, void* context, void*) {
    if (env == nullptr) return;
    auto* job = static_cast<QueuedPromise*>(context);
    Napi::HandleScope scope(env);
    job->outcome_.Settle(Napi::Env(env), job->deferred_, job->toJs_);
  }

  // Main thread, once: after the last call, or at env teardown. N-API allows
  // no use of the function once this returns, hence the lock.
  static void Finalize(napi_env, void* finalizerRef, void*) {
    auto* ref = static_cast<std::shared_ptr<QueuedPromise>*>(finalizerRef);
    {
      std::lock_guard<std::mutex> lock((*ref)->mutex_);
      (*ref)->tsfn_ = nullptr;
    }
    delete ref;
  }

  Napi::Promise::Deferred deferred_;
  ToJs toJs_;
  Outcome<Result> outcome_;
  std::mutex mutex_;
  napi_threadsafe_function tsfn_ = nullptr;  // guarded by mutex_ once posted
};

}  // namespace speakai::addon
