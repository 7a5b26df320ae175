// valgrind_concurrent_throw.cpp - a correct program: two threads each throw and catch their
// own first exceptions (one through a frame with a destructor, one rethrown), sharing no data.
// Helgrind still reports races inside libgcc_s's unwinder (its register-size table, set up
// once under pthread_once, whose fast path Helgrind does not see as ordering), every run:
// the false positives harness/valgrind/casebook.supp exists for. DRD reports nothing.
#include <cstdio>
#include <stdexcept>
#include <string>
#include <thread>

namespace {

// Something to destroy while the exception passes: the unwinder's cleanup path too.
struct Record {
  std::string text = "a record long enough to live on the heap";
  ~Record() { text.clear(); }
};

[[gnu::noinline]] void parse(int id) {
  Record record;
  throw std::runtime_error("bad record " + std::to_string(id));
}

[[gnu::noinline]] void parse_and_rethrow(int id) {
  try {
    parse(id);
  } catch (const std::runtime_error&) {
    throw;
  }
}

int worker(int id) {
  int caught = 0;
  for (int i = 0; i < 3; ++i) {
    try {
      parse_and_rethrow(id);
    } catch (const std::exception& e) {
      caught += e.what()[0] == 'b' ? 1 : 0;
    }
  }
  return caught;
}

}  // namespace

int main() {
  int caught_a = 0;
  int caught_b = 0;
  std::thread a([&] { caught_a = worker(1); });
  std::thread b([&] { caught_b = worker(2); });
  a.join();
  b.join();
  std::printf("caught %d\n", caught_a + caught_b);
  return caught_a + caught_b == 6 ? 0 : 1;
}
