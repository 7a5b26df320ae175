// io_bound.cpp - work that waits rather than computes, where threads help even on few cores:
//
//   io/copy/threads   copy 4 files of tens of MiB (in a fresh temporary folder) with a pool of
//                     1, 2 and 4 threads, 1 MiB read()/write() at a time. The files stay in the
//                     page cache (nothing is fsync'd), so this is memory copies and system
//                     calls, not the disk: it scales only as far as memory bandwidth and the
//                     kernel let it, which is why it is here, next to the sleeps.
//   io/sleep/threads  10 tasks that each sleep 100 ms, the shape of waiting on a network or a
//                     disk: 1 thread takes 1 s, 10 threads take 0.1 s, on any number of cores.
//
// Self-check: every copy is byte-for-byte its source; every sleep task ran, and no run
// finished faster than its sleeps allow.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "common.hpp"

namespace cbb = casebook::bench;
namespace fs = std::filesystem;

namespace {

constexpr int kFiles = 4;
constexpr cbb::sizes kFileMiB{.tiny = 1, .small = 8, .full = 32};
constexpr cbb::sizes kSleepMs{.tiny = 2, .small = 20, .full = 100};
constexpr int kSleepTasks = 10;
constexpr std::size_t kBuffer = 1 << 20;

// Runs task(i) for i in [0, tasks) on a pool of k threads that take the next index as they
// finish: the smallest pool that shows what more threads buy.
template <class Task>
void pool(int k, int tasks, Task task) {
  std::atomic<int> next{0};
  cbb::run_threads(k, [&](int) {
    for (int i; (i = next.fetch_add(1)) < tasks;) task(i);
  });
}

// A temporary folder holding kFiles source files of `mib` MiB each, made once per size and
// removed when the program ends (the benchmark function runs several times per size).
class scratch {
 public:
  explicit scratch(std::int64_t mib) : bytes_(mib << 20) {
    std::string pattern = (fs::temp_directory_path() / "casebook-bench-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) return;
    dir_ = pattern;
    std::string block(kBuffer, '\0');
    for (int f = 0; f < kFiles; ++f) {
      for (std::size_t i = 0; i < block.size(); ++i)
        block[i] = static_cast<char>((i * 131 + static_cast<std::size_t>(f) * 7) & 0xff);
      std::FILE* out = std::fopen(source(f).c_str(), "wb");
      if (out == nullptr) return;
      for (std::int64_t done = 0; done < bytes_; done += static_cast<std::int64_t>(kBuffer))
        std::fwrite(block.data(), 1, block.size(), out);
      std::fclose(out);
    }
    ok_ = true;
  }
  ~scratch() {
    std::error_code ignored;
    if (!dir_.empty()) fs::remove_all(dir_, ignored);
  }
  scratch(const scratch&) = delete;
  scratch& operator=(const scratch&) = delete;

  bool ok() const { return ok_; }
  std::int64_t bytes() const { return bytes_; }
  fs::path source(int f) const { return dir_ / ("source-" + std::to_string(f)); }
  fs::path copy(int f) const { return dir_ / ("copy-" + std::to_string(f)); }

 private:
  std::int64_t bytes_;
  fs::path dir_;
  bool ok_ = false;
};

const scratch& files_of(std::int64_t mib) {
  static std::map<std::int64_t, std::unique_ptr<scratch>> made;
  auto& slot = made[mib];
  if (!slot) slot = std::make_unique<scratch>(mib);
  return *slot;
}

bool copy_one(const fs::path& from, const fs::path& to) {
  const int in = ::open(from.c_str(), O_RDONLY | O_CLOEXEC);
  const int out = ::open(to.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  bool ok = in >= 0 && out >= 0;
  std::vector<char> buffer(kBuffer);
  while (ok) {
    const ssize_t n = ::read(in, buffer.data(), buffer.size());
    if (n <= 0) {
      ok = n == 0;
      break;
    }
    for (ssize_t done = 0; ok && done < n;) {
      const ssize_t w = ::write(out, buffer.data() + done, static_cast<std::size_t>(n - done));
      ok = w > 0;
      done += w;
    }
  }
  if (in >= 0) ::close(in);
  if (out >= 0) ::close(out);
  return ok;
}

bool same_bytes(const fs::path& a, const fs::path& b) {
  std::FILE* fa = std::fopen(a.c_str(), "rb");
  std::FILE* fb = std::fopen(b.c_str(), "rb");
  bool same = fa != nullptr && fb != nullptr;
  std::vector<char> x(kBuffer), y(kBuffer);
  while (same) {
    const std::size_t na = std::fread(x.data(), 1, x.size(), fa);
    const std::size_t nb = std::fread(y.data(), 1, y.size(), fb);
    same =
        na == nb && std::equal(x.begin(), x.begin() + static_cast<std::ptrdiff_t>(na), y.begin());
    if (na == 0) break;
  }
  if (fa != nullptr) std::fclose(fa);
  if (fb != nullptr) std::fclose(fb);
  return same;
}

void copy_files(benchmark::State& state) {
  const int k = static_cast<int>(state.range(0));
  const scratch& files = files_of(state.range(1));
  if (!files.ok()) return state.SkipWithError("could not create the temporary files");
  std::atomic<bool> ok{true};
  for (auto _ : state)
    pool(k, kFiles, [&](int f) {
      if (!copy_one(files.source(f), files.copy(f))) ok = false;
    });
  cbb::report(state, k, kFiles);
  state.SetBytesProcessed(state.iterations() * kFiles * files.bytes());
  if (!ok) return state.SkipWithError("a copy failed");
  for (int f = 0; f < kFiles; ++f)
    if (!same_bytes(files.source(f), files.copy(f)))
      return state.SkipWithError("a copy differs from its source");
}

void sleep_tasks(benchmark::State& state) {
  const int k = static_cast<int>(state.range(0));
  const auto nap = std::chrono::milliseconds(state.range(1));
  std::atomic<int> ran{0};
  auto shortest = std::chrono::steady_clock::duration::max();
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    pool(k, kSleepTasks, [&](int) {
      std::this_thread::sleep_for(nap);
      ++ran;
    });
    shortest = std::min(shortest, std::chrono::steady_clock::now() - start);
  }
  cbb::report(state, k, kSleepTasks);
  const int rounds = (kSleepTasks + k - 1) / k;  // a thread sleeps this many times in a row
  if (ran != kSleepTasks * state.iterations())
    state.SkipWithError("a sleep task did not run");
  else if (shortest < rounds * nap)
    state.SkipWithError("a run finished before its sleeps could have");
}

void copy_args(benchmark::internal::Benchmark* b) {
  b->ArgNames({"workers", "mib"});
  for (const auto mib : cbb::selected(kFileMiB))
    for (const int k : {1, 2, 4}) b->Args({k, mib});
}
void sleep_args(benchmark::internal::Benchmark* b) {
  b->ArgNames({"workers", "ms"});
  for (const auto ms : cbb::selected(kSleepMs))
    for (const int k : {1, 10}) b->Args({k, ms});
}

}  // namespace

BENCHMARK(copy_files)
    ->Name("io/copy/threads")
    ->Apply(copy_args)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();
BENCHMARK(sleep_tasks)
    ->Name("io/sleep/threads")
    ->Apply(sleep_args)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();
