// busy_wait_polling, broken: a consumer waits for work by polling. When the queue is empty it
// sleeps for a fixed interval and looks again, so an item that arrives just after a look sits
// there until the next one: on average half an interval of added latency, for every item.
// Every answer is right; the program is just slow to react.
#include <casebook/case.hpp>
#include <casebook/sync.hpp>

#include <chrono>
#include <cstdint>
#include <deque>
#include <string>

namespace {

using clock_type = std::chrono::steady_clock;

cb::outcome run(const cb::params& p) {
  const auto poll = std::chrono::milliseconds(p.get("poll_ms", 5));
  const auto gap = std::chrono::microseconds(p.get("gap_us", 2000));
  cb::mutex lock;
  std::deque<clock_type::time_point> queue;  // guarded by lock: when each item was sent

  double total_latency_ms = 0;
  std::int64_t received = 0;
  cb::thread consumer([&] {
    while (received < p.iterations) {
      cb::unique_lock hold(lock);
      if (queue.empty()) {
        hold.unlock();
        cb::this_thread::sleep_for(poll);  // casebook-bug: nobody tells us when an item arrives
        continue;
      }
      const auto sent = queue.front();
      queue.pop_front();
      total_latency_ms +=
          std::chrono::duration<double, std::milli>(clock_type::now() - sent).count();
      ++received;
    }
  });
  for (std::int64_t i = 0; i < p.iterations; ++i) {
    {
      cb::lock_guard hold(lock);
      queue.push_back(clock_type::now());
    }
    cb::this_thread::sleep_for(gap);  // items trickle in, as requests do
  }
  consumer.join();

  const double mean = total_latency_ms / static_cast<double>(received);
  cb::outcome o = cb::outcome::equal("every item delivered", received, p.iterations);
  o.metrics["latency_ms"] = mean;
  o.note = "mean delivery latency " + std::to_string(mean) + " ms";
  return o;
}

}  // namespace

CASEBOOK_VARIANT({
    .title = "a consumer polls an empty queue with sleep() instead of waiting to be told",
    .category = "performance",
    .expectations = {cb::expect::skip("model",
                                      "a performance case: the model has no time and no cores to "
                                      "measure (the perf detector grades it)"),
                     cb::expect::finds("perf", {"slowdown"}),
                     cb::expect::skip(
                         "property",
                         "a performance bug: every answer is right, and perf grades the cost")},
    .defaults = {.threads = 2, .iterations = 60, .extra = {{"poll_ms", 5}, {"gap_us", 2000}}},
    .perf_ratio = 3,
    .perf_metric = "latency_ms",
    .run = run,
});
