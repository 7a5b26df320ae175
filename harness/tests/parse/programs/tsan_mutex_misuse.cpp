// tsan_mutex_misuse.cpp - two pthread mutex misuses in one run (TSan reports each once):
//  - a mutex left locked by a finished thread is re-initialised and locked again by main, so
//    TSan sees a second owner while the first never unlocked ("double lock of a mutex");
//  - a mutex nobody holds is unlocked ("unlock of an unlocked mutex (or by a wrong thread)").
#include <pthread.h>

#include <cstdio>

pthread_mutex_t abandoned = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t never_locked = PTHREAD_MUTEX_INITIALIZER;

namespace {
void* lock_and_leave(void*) {
  pthread_mutex_lock(&abandoned);
  return nullptr;  // exits still holding the mutex
}
}  // namespace

int main() {
  pthread_t t;
  pthread_create(&t, nullptr, lock_and_leave, nullptr);
  pthread_join(t, nullptr);
  pthread_mutex_init(&abandoned, nullptr);  // clears the glibc lock word, not TSan's owner
  pthread_mutex_lock(&abandoned);           // DOUBLE-LOCK-LINE
  pthread_mutex_unlock(&abandoned);
  pthread_mutex_unlock(&never_locked);  // UNLOCK-LINE
  std::puts("done");
  return 0;
}
