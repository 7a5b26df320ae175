// asan_use_after_free.cpp - a thread writes through a pointer the main thread freed
// (ASan: heap-use-after-free).
#include <pthread.h>

namespace {
void* write_late(void* arg) {
  auto* values = static_cast<long*>(arg);
  values[1] = 42;  // RACE-LINE
  return nullptr;
}
}  // namespace

int main() {
  long* values = new long[10];
  delete[] values;
  pthread_t t;
  pthread_create(&t, nullptr, write_late, values);
  pthread_join(t, nullptr);
  return 0;
}
