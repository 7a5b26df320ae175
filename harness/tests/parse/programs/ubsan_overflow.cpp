// ubsan_overflow.cpp - a signed addition overflows (UBSan: signed-integer-overflow).
#include <climits>
#include <cstdio>
#include <cstdlib>

namespace {
[[gnu::noinline]] int add(int a, int b) {
  return a + b;  // RACE-LINE
}
}  // namespace

int main(int argc, char**) {
  int big = INT_MAX - 1 + (argc > 5 ? 1 : 0);
  std::printf("%d\n", add(big, argc + 1));
  return 0;
}
