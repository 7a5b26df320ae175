// thread_annotations.hpp - Clang thread-safety analysis attributes for the harness's own
// locked state, plus an annotated mutex to use them with.
//
// libstdc++'s std::mutex carries no capability attributes, so the analysis cannot see it;
// casebook::Mutex wraps it and says what it is. Under gcc the macros expand to nothing.
// Internal to the runner: case code uses the cb:: facade instead.
#pragma once

#include <mutex>

#if defined(__clang__)
#define CB_TSA(x) __attribute__((x))
#else
#define CB_TSA(x)
#endif

#define CB_CAPABILITY(name) CB_TSA(capability(name))
#define CB_SCOPED_CAPABILITY CB_TSA(scoped_lockable)
#define CB_GUARDED_BY(m) CB_TSA(guarded_by(m))
#define CB_REQUIRES(...) CB_TSA(requires_capability(__VA_ARGS__))
#define CB_ACQUIRE(...) CB_TSA(acquire_capability(__VA_ARGS__))
#define CB_RELEASE(...) CB_TSA(release_capability(__VA_ARGS__))
#define CB_EXCLUDES(...) CB_TSA(locks_excluded(__VA_ARGS__))

namespace casebook {

class CB_CAPABILITY("mutex") Mutex {
 public:
  void lock() CB_ACQUIRE() { m_.lock(); }
  void unlock() CB_RELEASE() { m_.unlock(); }
  // For std::condition_variable_any and friends that need the raw lockable.
  std::mutex& native() { return m_; }

 private:
  std::mutex m_;
};

// RAII holder the analysis understands (std::lock_guard is not annotated either).
class CB_SCOPED_CAPABILITY MutexLock {
 public:
  explicit MutexLock(Mutex& m) CB_ACQUIRE(m) : m_(m) { m_.lock(); }
  ~MutexLock() CB_RELEASE() { m_.unlock(); }
  MutexLock(const MutexLock&) = delete;
  MutexLock& operator=(const MutexLock&) = delete;

 private:
  Mutex& m_;
};

}  // namespace casebook
