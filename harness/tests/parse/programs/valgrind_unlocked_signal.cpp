// valgrind_unlocked_signal.cpp - a condition variable signalled after its mutex was released
// (Helgrind: Misc "associated lock is not held by any thread", DRD: CondRaceErr), while a
// waiter holds that mutex's association. The waiter has a predicate, so it cannot hang.
#include <pthread.h>
#include <unistd.h>

#include <cstdio>

pthread_mutex_t mailbox_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_cond_t mailbox_changed = PTHREAD_COND_INITIALIZER;
bool has_mail = false;

namespace {
void* reader(void*) {
  pthread_mutex_lock(&mailbox_lock);
  while (!has_mail) pthread_cond_wait(&mailbox_changed, &mailbox_lock);
  pthread_mutex_unlock(&mailbox_lock);
  return nullptr;
}
}  // namespace

int main() {
  pthread_t t;
  pthread_create(&t, nullptr, reader, nullptr);
  usleep(200 * 1000);  // lets the reader wait first, so the cond var knows its mutex
  pthread_mutex_lock(&mailbox_lock);
  has_mail = true;
  pthread_mutex_unlock(&mailbox_lock);
  pthread_cond_signal(&mailbox_changed);  // SIGNAL-LINE
  pthread_join(t, nullptr);
  std::puts("done");
  return 0;
}
