// valgrind_hold_time.cpp - a mutex held across a 300 ms sleep (DRD with
// --exclusive-threshold=50: HoldtimeErr, reported at the unlock, with where it was locked).
#include <pthread.h>
#include <unistd.h>

#include <cstdio>

pthread_mutex_t global_lock = PTHREAD_MUTEX_INITIALIZER;

int main() {
  pthread_mutex_lock(&global_lock);  // LOCK-LINE
  usleep(300 * 1000);
  pthread_mutex_unlock(&global_lock);  // UNLOCK-LINE
  std::puts("done");
  return 0;
}
