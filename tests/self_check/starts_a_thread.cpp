// starts_a_thread.cpp - a program marked casebook_single_threaded() that breaks its mark: with
// no argument it stays on one thread and exits 0; with "thread" it starts one, which the guard
// (cmake/single_threaded_guard.cpp) must stop (tests/self_check/guard_test.sh).
#include <cstdio>
#include <string_view>
#include <thread>

int main(int argc, char** argv) {
  if (argc > 1 && std::string_view(argv[1]) == "thread") {
    std::thread worker([] { std::puts("the thread ran: the guard did not stop it"); });
    worker.join();
  }
  return 0;
}
