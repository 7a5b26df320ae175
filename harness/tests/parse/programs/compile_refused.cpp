// Not built: the compiler-diagnostics tests compile this file with -fsyntax-only and parse
// what clang and gcc say about it. Sending a type that owns a mutex through the checked
// cb::send_record must be refused by the static_assert in casebook/crossing.hpp.
#include <casebook/crossing.hpp>
#include <mutex>

struct holds_a_mutex {
  std::mutex lock;
  int value = 0;
};

bool send(int fd, const holds_a_mutex& h) {
  return cb::send_record(fd, h);  // REFUSED-HERE
}
