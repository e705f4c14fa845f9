#include <chrono>
#include <future>
#include <thread>
#include <vector>

#include "common/serial_queue.h"
#include "harness.h"

using namespace speakai;

TEST(runs_tasks_in_order_on_one_thread_of_its_own) {
  std::vector<int> order;
  std::vector<std::thread::id> threads;
  std::promise<void> done;
  {
    SerialQueue queue;
    for (int i = 0; i < 100; ++i) {
      queue.Post([&, i] {
        order.push_back(i);
        threads.push_back(std::this_thread::get_id());
        if (i == 99) done.set_value();
      });
    }
    done.get_future().wait();
  }
  CHECK(order.size() == 100);
  for (size_t i = 0; i < order.size(); ++i) CHECK(order[i] == static_cast<int>(i));
  for (const std::thread::id& id : threads) CHECK(id == threads.front() && id != std::this_thread::get_id());
}

TEST(destructor_waits_for_the_running_task) {
  bool finished = false;
  std::promise<void> started;
  {
    SerialQueue queue;
    queue.Post([&] {
      started.set_value();
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      finished = true;
    });
    started.get_future().wait();
  }
  CHECK(finished);
}
