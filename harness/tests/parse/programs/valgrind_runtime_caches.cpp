// valgrind_runtime_caches.cpp - a correct program: two threads each format numbers into their
// own std::ostringstream and print a line with printf, sharing nothing of their own. The C++
// runtime and libc still share state behind them: the classic locale's lazily filled caches
// (ctype<char>'s widen table, numpunct's cache for floating-point output), written without a
// lock by design, and stdout's buffer, which stdio locks with its own internal lock rather than
// a pthread mutex. Helgrind and DRD report those (in libstdc++, and in DRD's mempcpy under
// libc's stdio): harness/valgrind/casebook.supp silences them.
#include <cstdio>
#include <sstream>
#include <string>
#include <thread>

namespace {

std::string format_reading(int sensor) {
  std::ostringstream out;
  out << "sensor " << sensor << ": " << 20 + sensor << " C, " << 0.5 * sensor << " V";
  return out.str();
}

void report(int sensor) {
  const std::string line = format_reading(sensor);
  std::printf("%s\n", line.c_str());
  std::fflush(stdout);
}

}  // namespace

int main() {
  std::thread a([] { report(1); });
  std::thread b([] { report(2); });
  a.join();
  b.join();
  return 0;
}
