// tsan_thread_leak.cpp - a joinable thread is never joined (TSan: thread leak).
#include <pthread.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <string>

namespace {
std::atomic<long> idle_tid{0};

void* idle(void*) {
  idle_tid.store(syscall(SYS_gettid));
  return nullptr;
}
}  // namespace

int main() {
  pthread_t t;
  pthread_create(&t, nullptr, idle, nullptr);  // RACE-LINE
  // TSan reports only finished, unjoined threads: wait until the thread's task is gone (its
  // TSan bookkeeping ends before that), without joining it.
  while (idle_tid.load() == 0) usleep(1000);
  const std::string task = "/proc/self/task/" + std::to_string(idle_tid.load());
  for (int i = 0; i < 10000 && access(task.c_str(), F_OK) == 0; ++i) usleep(1000);
  std::puts("leaving without join");
  return 0;
}
