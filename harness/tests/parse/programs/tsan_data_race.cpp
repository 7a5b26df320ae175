// tsan_data_race.cpp - two threads increment a global without a lock (TSan: data race).
#include <pthread.h>

#include <cstdio>

long counter = 0;

namespace {
[[gnu::noinline]] void bump_once() {
  counter = counter + 1;  // RACE-LINE
}

void* bump(void*) {
  for (int i = 0; i < 100; ++i) bump_once();
  return nullptr;
}
}  // namespace

int main() {
  pthread_t a;
  pthread_t b;
  pthread_create(&a, nullptr, bump, nullptr);
  pthread_create(&b, nullptr, bump, nullptr);
  pthread_join(a, nullptr);
  pthread_join(b, nullptr);
  std::printf("counter=%ld\n", counter);
  return 0;
}
