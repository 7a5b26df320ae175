// valgrind_race_then_block.cpp - races like valgrind_data_race, prints "raced", then blocks
// forever: the test kills Valgrind from outside, as the runner does at a timeout, and reads
// the cut-off XML.
#include <unistd.h>

#include <cstdio>
#include <thread>

long counter = 0;

namespace {
[[gnu::noinline]] void bump_once() {
  counter = counter + 1;  // RACE-LINE
}
}  // namespace

int main() {
  std::thread a([] {
    for (int i = 0; i < 100; ++i) bump_once();
  });
  std::thread b([] {
    for (int i = 0; i < 100; ++i) bump_once();
  });
  a.join();
  b.join();
  std::printf("raced counter=%ld\n", counter);
  std::fflush(stdout);
  for (;;) pause();
}
