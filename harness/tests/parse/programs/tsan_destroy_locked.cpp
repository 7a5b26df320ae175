// tsan_destroy_locked.cpp - a mutex is destroyed while held (TSan: destroy of a locked mutex).
#include <pthread.h>

#include <cstdio>

int main() {
  pthread_mutex_t m;
  pthread_mutex_init(&m, nullptr);
  pthread_mutex_lock(&m);
  pthread_mutex_destroy(&m);  // RACE-LINE
  std::puts("destroyed a held mutex");
  return 0;
}
