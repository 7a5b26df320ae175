// valgrind_shared_ptr_release.cpp - a correct program: the main thread hands a worker a
// std::shared_ptr to a snapshot of readings and drops its own reference at once; the worker,
// the last owner, sums the readings and releases the snapshot. libstdc++ counts the references
// with atomics, and when its release finds itself the only owner (an acquire load) it resets
// the counts with plain stores and frees the snapshot. Helgrind and DRD see the acquire load
// as a plain read, so those stores "race" with the main thread's decrement: one report inside
// _M_release, in every run. harness/valgrind/casebook.supp silences it.
#include <chrono>
#include <cstdio>
#include <memory>
#include <thread>
#include <vector>

int main() {
  auto readings = std::make_shared<const std::vector<int>>(std::vector<int>{21, 19, 23, 20});
  std::thread worker([snapshot = readings] {
    // Give the main thread time to drop its reference first, so this one is the last.
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    long sum = 0;
    for (const int r : *snapshot) sum += r;
    std::printf("readings sum to %ld\n", sum);
  });
  readings.reset();
  worker.join();
  return 0;
}
