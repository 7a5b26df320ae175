// valgrind_data_race.cpp - two threads increment a global without a lock (Helgrind: Race,
// DRD: ConflictingAccess). Built in the plain configuration, as Valgrind's detectors run it.
#include <cstdio>
#include <thread>

long counter = 0;

namespace {
[[gnu::noinline]] void bump_once() {
  counter = counter + 1;  // RACE-LINE
}
}  // namespace

int main() {
  // std::thread and a lambda, as the catalog's cases write it: the lambda's frame is inlined,
  // and only DWARF that Valgrind can read keeps it in the stack.
  std::thread a([] {
    for (int i = 0; i < 100; ++i) bump_once();
  });
  std::thread b([] {
    for (int i = 0; i < 100; ++i) bump_once();
  });
  a.join();
  b.join();
  std::printf("counter=%ld\n", counter);
  return 0;
}
