// valgrind_unlock_foreign.cpp - a thread locks a mutex and ends; main unlocks it (Helgrind:
// UnlockForeign, DRD: MutexErr "Mutex not locked"), as unlock_wrong_thread does across two
// threads.
#include <pthread.h>

#include <cstdio>

pthread_mutex_t buffer_lock = PTHREAD_MUTEX_INITIALIZER;

namespace {
void* capture(void*) {
  pthread_mutex_lock(&buffer_lock);  // LOCK-LINE
  return nullptr;                    // leaves it locked for the encoder (main)
}
}  // namespace

int main() {
  pthread_t t;
  pthread_create(&t, nullptr, capture, nullptr);
  pthread_join(t, nullptr);
  pthread_mutex_unlock(&buffer_lock);  // UNLOCK-LINE
  std::puts("done");
  return 0;
}
