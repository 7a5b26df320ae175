// lsan_leak.cpp - memory allocated and never freed (LSan: memory leak).
#include <cstdio>
#include <cstdlib>

void* volatile keep;

namespace {
[[gnu::noinline]] void lose_it() {
  keep = std::malloc(40);  // RACE-LINE
  keep = nullptr;
}
}  // namespace

int main() {
  lose_it();
  std::puts("leaked 40 bytes");
  return 0;
}
