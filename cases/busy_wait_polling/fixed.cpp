// busy_wait_polling, fixed: the consumer waits on a condition variable and the producer
// notifies it after each push, so an item is picked up as soon as the consumer is scheduled.
#include <casebook/case.hpp>
#include <casebook/sync.hpp>

#include <chrono>
#include <cstdint>
#include <deque>
#include <string>

namespace {

using clock_type = std::chrono::steady_clock;

cb::outcome run(const cb::params& p) {
  const auto gap = std::chrono::microseconds(p.get("gap_us", 2000));
  cb::mutex lock;
  cb::condition_variable arrived;
  std::deque<clock_type::time_point> queue;  // guarded by lock: when each item was sent

  double total_latency_ms = 0;
  std::int64_t received = 0;
  cb::thread consumer([&] {
    while (received < p.iterations) {
      cb::unique_lock hold(lock);
      arrived.wait(hold, [&] { return !queue.empty(); });  // FIX: sleep until told
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
    arrived.notify_one();
    cb::this_thread::sleep_for(gap);
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
    .title = "the consumer waits on a condition variable the producer notifies",
    .category = "performance",
    .expectations =
        {cb::expect::notify_after_unlock("helgrind"), cb::expect::notify_after_unlock("drd"),
         cb::expect::skip("model",
                          "a performance case: the model has no time and no cores to "
                          "measure (the perf detector grades it)"),
         cb::expect::skip("property",
                          "a performance bug: every answer is right, and perf grades the cost")},
    .defaults = {.threads = 2, .iterations = 60, .extra = {{"poll_ms", 5}, {"gap_us", 2000}}},
    .run = run,
});
