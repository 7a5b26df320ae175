// gdb_blocked.cpp - a thread blocks forever on a mutex main holds (a hang for the gdb parser
// test). Prints "ready" once the thread is started, then waits to be killed.
#include <pthread.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <cstdio>

pthread_mutex_t held = PTHREAD_MUTEX_INITIALIZER;

extern "C" [[gnu::noinline]] void* casebook_blocked_waiter(void*) {
  pthread_mutex_lock(&held);  // RACE-LINE
  pthread_mutex_unlock(&held);
  return nullptr;
}

int main() {
#ifdef PR_SET_PTRACER
  // Let the test's gdb (not our parent) attach under Yama ptrace_scope=1.
  prctl(PR_SET_PTRACER, PR_SET_PTRACER_ANY, 0, 0, 0);
#endif
  pthread_mutex_lock(&held);
  pthread_t t;
  pthread_create(&t, nullptr, casebook_blocked_waiter, nullptr);
  std::puts("ready");
  std::fflush(stdout);
  for (;;) pause();
}
