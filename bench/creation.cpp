// creation.cpp - what a worker and a message cost before any work is done:
//
//   spawn/thread    create a std::thread that does nothing, join it;
//   spawn/process   fork() a child that _exits at once, waitpid() it. Dearer: the child gets
//                   a copy of the page tables, and the kernel a whole process to set up and
//                   reap. This cost is paid per worker in every processes series.
//   ipc/pipe        a forked child sends N messages of 64 B or 4 KiB through a pipe: two
//                   copies and a system call per message on each side;
//   ipc/shm         the same through a ring in shared memory (mmap MAP_SHARED before fork),
//                   with atomic indices: one copy in, one out, and no system call at all.
//
// Self-check: the thread ran, the child exited with the status it was told to; every message
// arrives complete, in order (its first and last byte carry its number).
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <new>
#include <string>
#include <thread>

#include "common.hpp"

namespace cbb = casebook::bench;

namespace {

constexpr cbb::sizes kMessages{.tiny = 1 << 10, .small = 1 << 14, .full = 1 << 16};
constexpr std::size_t kRingSlots = 64;
constexpr std::size_t kMaxMessage = 4096;

void spawn_thread(benchmark::State& state) {
  int ran = 0;
  for (auto _ : state) {
    std::thread t([&] { ++ran; });
    t.join();
  }
  cbb::report(state, 1, 1);
  if (ran != state.iterations()) state.SkipWithError("a thread did not run");
}

void spawn_process(benchmark::State& state) {
  for (auto _ : state) {
    const pid_t pid = ::fork();
    if (pid == 0) ::_exit(42);
    int status = 0;
    if (pid < 0 || ::waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
        WEXITSTATUS(status) != 42) {
      state.SkipWithError("fork or the child failed");
      break;
    }
  }
  cbb::report(state, 1, 1);
}

// Message i: every byte is i's low byte, so the reader can check the ends cheaply.
void fill(char* message, std::size_t size, std::int64_t i) {
  std::memset(message, static_cast<int>(i & 0xff), size);
}
bool intact(const char* message, std::size_t size, std::int64_t i) {
  const char want = static_cast<char>(i & 0xff);
  return message[0] == want && message[size - 1] == want;
}

// Reads exactly size bytes (a pipe may hand a message over in pieces).
bool read_all(int fd, char* into, std::size_t size) {
  for (std::size_t done = 0; done < size;) {
    const ssize_t n = ::read(fd, into + done, size - done);
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

void ipc_pipe(benchmark::State& state) {
  const std::size_t size = static_cast<std::size_t>(state.range(0));
  const std::int64_t n = state.range(1);
  bool ok = true;
  for (auto _ : state) {
    int fd[2];
    if (::pipe(fd) != 0) {
      state.SkipWithError("pipe() failed");
      break;
    }
    const pid_t pid = ::fork();
    if (pid == 0) {
      ::close(fd[0]);
      char message[kMaxMessage];
      for (std::int64_t i = 0; i < n; ++i) {
        fill(message, size, i);
        // Messages up to PIPE_BUF (4096 B) are written whole or not at all.
        if (::write(fd[1], message, size) != static_cast<ssize_t>(size)) ::_exit(1);
      }
      ::_exit(0);
    }
    ::close(fd[1]);
    char message[kMaxMessage];
    for (std::int64_t i = 0; ok && i < n; ++i)
      ok = read_all(fd[0], message, size) && intact(message, size, i);
    ::close(fd[0]);
    int status = 0;
    ok = ok && pid > 0 && ::waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
         WEXITSTATUS(status) == 0;
    if (!ok) {
      state.SkipWithError("a message was lost or damaged in the pipe");
      break;
    }
  }
  cbb::report(state, 2, n);
  state.SetBytesProcessed(state.iterations() * n * static_cast<std::int64_t>(size));
}

// A single-producer single-consumer ring that lives in shared memory. Lock-free atomics are
// address-free, so the two processes synchronise through them as two threads would.
struct shared_ring {
  alignas(64) std::atomic<std::uint64_t> head{0};  // written by the reader only
  alignas(64) std::atomic<std::uint64_t> tail{0};  // written by the writer only
  alignas(64) char slots[kRingSlots][kMaxMessage];
};
static_assert(std::atomic<std::uint64_t>::is_always_lock_free);

void ipc_shm(benchmark::State& state) {
  const std::size_t size = static_cast<std::size_t>(state.range(0));
  const std::int64_t n = state.range(1);
  void* memory = ::mmap(nullptr, sizeof(shared_ring), PROT_READ | PROT_WRITE,
                        MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (memory == MAP_FAILED) return state.SkipWithError("mmap failed");
  bool ok = true;
  for (auto _ : state) {
    auto* ring = new (memory) shared_ring;
    const pid_t pid = ::fork();
    if (pid == 0) {
      for (std::int64_t i = 0; i < n; ++i) {
        const std::uint64_t tail = ring->tail.load(std::memory_order_relaxed);
        while (tail - ring->head.load(std::memory_order_acquire) == kRingSlots)
          std::this_thread::yield();
        fill(ring->slots[tail % kRingSlots], size, i);
        ring->tail.store(tail + 1, std::memory_order_release);
      }
      ::_exit(0);
    }
    char message[kMaxMessage];
    for (std::int64_t i = 0; ok && pid > 0 && i < n; ++i) {
      const std::uint64_t head = ring->head.load(std::memory_order_relaxed);
      while (ring->tail.load(std::memory_order_acquire) == head) std::this_thread::yield();
      std::memcpy(message, ring->slots[head % kRingSlots], size);  // copy out, as a pipe does
      ring->head.store(head + 1, std::memory_order_release);
      ok = intact(message, size, i);
    }
    int status = 0;
    ok = ok && pid > 0 && ::waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
         WEXITSTATUS(status) == 0;
    if (!ok) {
      state.SkipWithError("a message was lost or damaged in shared memory");
      break;
    }
  }
  ::munmap(memory, sizeof(shared_ring));
  cbb::report(state, 2, n);
  state.SetBytesProcessed(state.iterations() * n * static_cast<std::int64_t>(size));
}

void ipc_args(benchmark::internal::Benchmark* b) {
  b->ArgNames({"bytes", "messages"});
  for (const auto n : cbb::selected(kMessages))
    for (const std::int64_t size : {64, 4096}) b->Args({size, n});
}

}  // namespace

BENCHMARK(spawn_thread)->Name("spawn/thread")->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK(spawn_process)->Name("spawn/process")->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK(ipc_pipe)
    ->Name("ipc/pipe")
    ->Apply(ipc_args)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();
BENCHMARK(ipc_shm)
    ->Name("ipc/shm")
    ->Apply(ipc_args)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();
