// sync.hpp - the cb:: synchronisation facade that case code is written against.
//
// In the real builds (plain, tsan, asan) every name here IS the std type, so the sanitizers
// see exactly the std code a reader would write. The `noise` build wraps the same std types
// with seeded schedule noise (casebook/noise/facade.hpp); the controlled scheduler
// (harness/model/) provides the same names as scheduling points. Case code does not change
// between them.
// The `thread-safety` configuration (CASEBOOK_FACADE_THREAD_SAFETY, compiled only for Clang's
// -Wthread-safety analysis) keeps the std names but makes the locks annotated wrappers
// (casebook/thread_safety/facade.hpp). casebook/annotations.hpp holds the CB_GUARDED_BY family
// a case uses to say which lock guards which data.
// The only non-std name is cb::shared<T>, a plain variable whose every read and write is
// explicit, so a reader sees each access that can race and a scheduler can interleave them.
#pragma once

#include "casebook/annotations.hpp"

// Under the controlled scheduler (the `model` configuration) the same names come from the
// model facade, which makes every operation a scheduling point; see harness/model/.
#if defined(CASEBOOK_FACADE_MODEL)
#include <casebook/model/facade.hpp>
#elif defined(CASEBOOK_FACADE_NOISE)
// The `noise` configuration: the same std types with seeded schedule noise at every
// synchronisation operation and shared access (see casebook/noise/facade.hpp).
#include "casebook/noise/facade.hpp"
#else

#include <atomic>
#include <barrier>
#include <chrono>
#include <condition_variable>
#include <latch>
#include <mutex>
#include <shared_mutex>
#include <thread>

#if defined(CASEBOOK_FACADE_THREAD_SAFETY)
// mutex, recursive_mutex, shared_mutex, their holders and condition_variable, annotated.
#include "casebook/thread_safety/facade.hpp"
#endif

namespace cb {

#if !defined(CASEBOOK_FACADE_THREAD_SAFETY)
using std::condition_variable;
using std::lock_guard;
using std::mutex;
using std::recursive_mutex;
using std::scoped_lock;
using std::shared_lock;
using std::shared_mutex;
using std::unique_lock;
#endif
using std::barrier;
using std::call_once;
using std::jthread;
using std::latch;
using std::once_flag;
using std::thread;
template <class T>
using atomic = std::atomic<T>;
using std::memory_order_acq_rel;
using std::memory_order_acquire;
using std::memory_order_relaxed;
using std::memory_order_release;
using std::memory_order_seq_cst;

namespace this_thread {
using std::this_thread::sleep_for;
using std::this_thread::yield;
}  // namespace this_thread

// Plain shared data: NOT synchronised. Each read() and write() is one ordinary memory access.
//
// The empty asm statements emit no instruction. They stop the optimiser from fusing a loop of
// read/write pairs into a single update (which would shrink the race window the case is
// about to nothing in the plain build) without adding any ordering between threads: two
// threads calling write() concurrently still race, and TSan still sees a plain access.
template <class T>
class shared {
 public:
  shared() = default;
  explicit shared(T initial) : value_(initial) {}
  shared(const shared&) = delete;
  shared& operator=(const shared&) = delete;

  T read() const {
    compiler_barrier();
    T v = value_;
    compiler_barrier();
    return v;
  }
  void write(T v) {
    compiler_barrier();
    value_ = v;
    compiler_barrier();
  }
  // Direct access for containers and structs the case mutates in place (still unsynchronised).
  T& unsafe_ref() { return value_; }

 private:
  static void compiler_barrier() { asm volatile("" ::: "memory"); }
  T value_{};
};

}  // namespace cb

#endif  // CASEBOOK_FACADE_MODEL, CASEBOOK_FACADE_NOISE
