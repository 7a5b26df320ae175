// mutex.hpp - an annotated mutex for the harness's own locked state, and its RAII holder.
//
// libstdc++'s std::mutex carries no capability attributes, so Clang's thread-safety analysis
// cannot see it; casebook::Mutex wraps it and says what it is. The annotations are the case
// API's (casebook/annotations.hpp, one set of CB_ macros for cases and harness); harness targets
// turn them on under clang with CASEBOOK_ANNOTATE_HARNESS. Internal to the runner: case code
// uses the cb:: facade instead.
#pragma once

#include <mutex>

#include "casebook/annotations.hpp"

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
