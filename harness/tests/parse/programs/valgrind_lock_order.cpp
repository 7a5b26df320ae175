// valgrind_lock_order.cpp - two mutexes taken in opposite orders (Helgrind: LockOrder). The
// threads run one after the other, so the program never actually deadlocks. The marked lines
// are inlined into std::thread's frames: Valgrind shows them only when it can read the
// build's DWARF (see cmake/configurations.cmake).
#include <mutex>
#include <thread>

std::mutex first;
std::mutex second;

int main() {
  std::thread one([] {
    std::lock_guard<std::mutex> a(first);
    std::lock_guard<std::mutex> b(second);  // FIRST-ORDER
  });
  one.join();
  std::thread two([] {
    std::lock_guard<std::mutex> b(second);
    std::lock_guard<std::mutex> a(first);  // RACE-LINE
  });
  two.join();
  return 0;
}
