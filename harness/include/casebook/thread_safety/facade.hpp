// thread_safety/facade.hpp - the cb:: locks in the `thread-safety` configuration: thin wrappers
// over the std types that carry Clang's capability attributes, so -Wthread-safety can follow
// which lock each line holds. Included by casebook/sync.hpp when CASEBOOK_FACADE_THREAD_SAFETY
// is defined; case code never includes it.
//
// The configuration is compiled, never run: the thread-safety detector compiles a variant with
// -fsyntax-only against it (libstdc++'s std::mutex and std::lock_guard carry no attributes,
// so the analysis cannot see them). The wrappers still keep std's behaviour, so a program built
// against them would work; under gcc the attributes are empty and they are plain wrappers.
//
// What the analysis cannot follow: a lock moved between holders (unique_lock's move and
// release()), and a recursive_mutex taken twice by one thread (it is an ordinary capability,
// so the second lock is reported as a double lock).
#pragma once

#include <condition_variable>
#include <mutex>
#include <shared_mutex>

#include "casebook/annotations.hpp"

namespace cb {

// A lock the analysis knows: lock() acquires it, unlock() releases it.
template <class Base>
class CB_CAPABILITY("mutex") annotated_lock {
 public:
  void lock() CB_ACQUIRE() { base_.lock(); }
  bool try_lock() CB_TRY_ACQUIRE(true) { return base_.try_lock(); }
  void unlock() CB_RELEASE() { base_.unlock(); }

 private:
  Base base_;
};

using mutex = annotated_lock<std::mutex>;
using recursive_mutex = annotated_lock<std::recursive_mutex>;

class CB_CAPABILITY("mutex") shared_mutex {
 public:
  void lock() CB_ACQUIRE() { base_.lock(); }
  bool try_lock() CB_TRY_ACQUIRE(true) { return base_.try_lock(); }
  void unlock() CB_RELEASE() { base_.unlock(); }
  void lock_shared() CB_ACQUIRE_SHARED() { base_.lock_shared(); }
  bool try_lock_shared() CB_TRY_ACQUIRE_SHARED(true) { return base_.try_lock_shared(); }
  void unlock_shared() CB_RELEASE_SHARED() { base_.unlock_shared(); }

 private:
  std::shared_mutex base_;
};

// Holds m from construction to destruction (std::lock_guard).
template <class M>
class CB_SCOPED_CAPABILITY lock_guard {
 public:
  explicit lock_guard(M& m) CB_ACQUIRE(m) : m_(m) { m_.lock(); }
  lock_guard(M& m, std::adopt_lock_t) CB_REQUIRES(m) : m_(m) {}
  ~lock_guard() CB_RELEASE() { m_.unlock(); }
  lock_guard(const lock_guard&) = delete;
  lock_guard& operator=(const lock_guard&) = delete;

 private:
  M& m_;
};

// A holder that may let go and take the lock again (std::unique_lock); what
// condition_variable::wait needs. The analysis follows lock()/unlock() on it; moves it cannot.
template <class M>
class CB_SCOPED_CAPABILITY unique_lock {
 public:
  using mutex_type = M;
  explicit unique_lock(M& m) CB_ACQUIRE(m) : base_(m) {}
  unique_lock(M& m, std::defer_lock_t t) CB_EXCLUDES(m) : base_(m, t) {}
  unique_lock(M& m, std::adopt_lock_t t) CB_REQUIRES(m) : base_(m, t) {}
  ~unique_lock() CB_RELEASE() {}
  unique_lock(const unique_lock&) = delete;
  unique_lock& operator=(const unique_lock&) = delete;

  void lock() CB_ACQUIRE() { base_.lock(); }
  bool try_lock() CB_TRY_ACQUIRE(true) { return base_.try_lock(); }
  void unlock() CB_RELEASE() { base_.unlock(); }
  bool owns_lock() const noexcept { return base_.owns_lock(); }
  explicit operator bool() const noexcept { return base_.owns_lock(); }
  M* mutex() const noexcept { return base_.mutex(); }

 private:
  std::unique_lock<M> base_;
};

// Holds m shared from construction to destruction (std::shared_lock).
template <class M>
class CB_SCOPED_CAPABILITY shared_lock {
 public:
  explicit shared_lock(M& m) CB_ACQUIRE_SHARED(m) : base_(m) {}
  ~shared_lock() CB_RELEASE() {}
  shared_lock(const shared_lock&) = delete;
  shared_lock& operator=(const shared_lock&) = delete;

  void lock() CB_ACQUIRE_SHARED() { base_.lock(); }
  void unlock() CB_RELEASE() { base_.unlock(); }
  bool owns_lock() const noexcept { return base_.owns_lock(); }

 private:
  std::shared_lock<M> base_;
};

// Holds every one of its locks from construction to destruction, taken with std::scoped_lock's
// deadlock-avoidance algorithm. Clang 14 cannot expand a parameter pack inside an attribute, so
// one, two and three locks are annotated; more are taken but invisible to the analysis.
template <class... Ms>
class scoped_lock {
 public:
  explicit scoped_lock(Ms&... ms) : base_(ms...) {}
  scoped_lock(const scoped_lock&) = delete;
  scoped_lock& operator=(const scoped_lock&) = delete;

 private:
  std::scoped_lock<Ms...> base_;
};

template <class M>
class CB_SCOPED_CAPABILITY scoped_lock<M> {
 public:
  explicit scoped_lock(M& m) CB_ACQUIRE(m) : base_(m) {}
  ~scoped_lock() CB_RELEASE() {}
  scoped_lock(const scoped_lock&) = delete;
  scoped_lock& operator=(const scoped_lock&) = delete;

 private:
  std::scoped_lock<M> base_;
};

template <class M1, class M2>
class CB_SCOPED_CAPABILITY scoped_lock<M1, M2> {
 public:
  scoped_lock(M1& a, M2& b) CB_ACQUIRE(a, b) : base_(a, b) {}
  ~scoped_lock() CB_RELEASE() {}
  scoped_lock(const scoped_lock&) = delete;
  scoped_lock& operator=(const scoped_lock&) = delete;

 private:
  std::scoped_lock<M1, M2> base_;
};

template <class M1, class M2, class M3>
class CB_SCOPED_CAPABILITY scoped_lock<M1, M2, M3> {
 public:
  scoped_lock(M1& a, M2& b, M3& c) CB_ACQUIRE(a, b, c) : base_(a, b, c) {}
  ~scoped_lock() CB_RELEASE() {}
  scoped_lock(const scoped_lock&) = delete;
  scoped_lock& operator=(const scoped_lock&) = delete;

 private:
  std::scoped_lock<M1, M2, M3> base_;
};

template <class... Ms>
scoped_lock(Ms&...) -> scoped_lock<Ms...>;

// std::condition_variable waits on std::unique_lock<std::mutex> only; the _any form waits on
// the annotated holders above.
using condition_variable = std::condition_variable_any;

}  // namespace cb
