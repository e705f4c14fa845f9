#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace speakai {

// One worker thread that runs posted tasks in order. For work on a library
// that allows one caller at a time: callers queue here instead of each
// holding a thread while it waits for the library's lock.
class SerialQueue {
 public:
  SerialQueue();
  // Lets the running task finish, drops the queued ones, joins the thread.
  ~SerialQueue();
  SerialQueue(const SerialQueue&) = delete;
  SerialQueue& operator=(const SerialQueue&) = delete;

  // `task` must not throw: nothing above the worker thread could catch it.
  void Post(std::function<void()> task);

 private:
  void Run();

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> tasks_;
  bool stopping_ = false;
  std::thread thread_;  // last: starts once the members above exist
};

}  // namespace speakai
