// noise/facade.hpp - the cb:: names in the `noise` configuration: the std types, with a
// schedule-noise point (noise/injector.hpp) before every synchronisation operation and every
// cb::shared<T> access. Included by casebook/sync.hpp when CASEBOOK_FACADE_NOISE is defined;
// case code never includes it.
//
// Each wrapper keeps the std type's behaviour and contract; only the timing changes. The RAII
// lock types (lock_guard, unique_lock, scoped_lock, shared_lock) stay the std templates, which
// call the wrappers' lock() and unlock(). condition_variable is std::condition_variable_any
// underneath, because std::condition_variable accepts std::unique_lock<std::mutex> only.
#pragma once

#include <atomic>
#include <barrier>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <latch>
#include <mutex>
#include <shared_mutex>
#include <stop_token>
#include <thread>
#include <type_traits>
#include <utility>

#include "casebook/noise/injector.hpp"

namespace cb {

using std::lock_guard;
using std::memory_order_acq_rel;
using std::memory_order_acquire;
using std::memory_order_relaxed;
using std::memory_order_release;
using std::memory_order_seq_cst;
using std::once_flag;
using std::scoped_lock;
using std::shared_lock;
using std::unique_lock;

// A lock type with a noise point before each acquisition and after each release (a release is
// where a waiting thread could take over).
template <class Base>
class noisy_lock : private Base {
 public:
  void lock() {
    noise::point();
    Base::lock();
  }
  bool try_lock() {
    noise::point();
    return Base::try_lock();
  }
  void unlock() {
    Base::unlock();
    noise::point();
  }
};

using mutex = noisy_lock<std::mutex>;
using recursive_mutex = noisy_lock<std::recursive_mutex>;

class shared_mutex : private std::shared_mutex {
 public:
  void lock() {
    noise::point();
    std::shared_mutex::lock();
  }
  bool try_lock() {
    noise::point();
    return std::shared_mutex::try_lock();
  }
  void unlock() {
    std::shared_mutex::unlock();
    noise::point();
  }
  void lock_shared() {
    noise::point();
    std::shared_mutex::lock_shared();
  }
  bool try_lock_shared() {
    noise::point();
    return std::shared_mutex::try_lock_shared();
  }
  void unlock_shared() {
    std::shared_mutex::unlock_shared();
    noise::point();
  }
};

class condition_variable {
 public:
  template <class Lock>
  void wait(Lock& lock) {
    noise::point();
    cv_.wait(lock);
  }
  template <class Lock, class Predicate>
  void wait(Lock& lock, Predicate ready) {
    noise::point();
    cv_.wait(lock, std::move(ready));
  }
  template <class Lock, class Rep, class Period>
  std::cv_status wait_for(Lock& lock, const std::chrono::duration<Rep, Period>& timeout) {
    noise::point();
    return cv_.wait_for(lock, timeout);
  }
  template <class Lock, class Rep, class Period, class Predicate>
  bool wait_for(Lock& lock, const std::chrono::duration<Rep, Period>& timeout, Predicate ready) {
    noise::point();
    return cv_.wait_for(lock, timeout, std::move(ready));
  }
  template <class Lock, class Clock, class Duration>
  std::cv_status wait_until(Lock& lock, const std::chrono::time_point<Clock, Duration>& deadline) {
    noise::point();
    return cv_.wait_until(lock, deadline);
  }
  template <class Lock, class Clock, class Duration, class Predicate>
  bool wait_until(Lock& lock, const std::chrono::time_point<Clock, Duration>& deadline,
                  Predicate ready) {
    noise::point();
    return cv_.wait_until(lock, deadline, std::move(ready));
  }
  void notify_one() noexcept {
    noise::point();
    cv_.notify_one();
  }
  void notify_all() noexcept {
    noise::point();
    cv_.notify_all();
  }

 private:
  std::condition_variable_any cv_;
};

// Threads: the ordinal is taken in the creating thread, so creation order, not start order,
// decides which noise stream a thread draws from.
class thread : public std::thread {
 public:
  thread() noexcept = default;
  template <class F, class... Args,
            class = std::enable_if_t<!std::is_same_v<std::decay_t<F>, thread>>>
  explicit thread(F&& f, Args&&... args)
      : std::thread(&thread::start<std::decay_t<F>, std::decay_t<Args>...>,
                    noise::next_thread_ordinal(), std::forward<F>(f), std::forward<Args>(args)...) {
  }

 private:
  template <class F, class... Args>
  static void start(std::uint64_t ordinal, F f, Args... args) {
    noise::enter_thread(ordinal);
    std::invoke(std::move(f), std::move(args)...);
  }
};

class jthread : public std::jthread {
 public:
  jthread() noexcept = default;
  template <class F, class... Args,
            class = std::enable_if_t<!std::is_same_v<std::decay_t<F>, jthread>>>
  explicit jthread(F&& f, Args&&... args)
      : std::jthread(&jthread::start<std::decay_t<F>, std::decay_t<Args>...>,
                     noise::next_thread_ordinal(), std::forward<F>(f),
                     std::forward<Args>(args)...) {}

 private:
  template <class F, class... Args>
  static void start(std::stop_token stop, std::uint64_t ordinal, F f, Args... args) {
    noise::enter_thread(ordinal);
    if constexpr (std::is_invocable_v<F, std::stop_token, Args...>) {
      std::invoke(std::move(f), std::move(stop), std::move(args)...);
    } else {
      std::invoke(std::move(f), std::move(args)...);
    }
  }
};

template <class T>
class atomic : public std::atomic<T> {
 public:
  using std::atomic<T>::atomic;
  using std::atomic<T>::operator=;
  // The two-order overloads stay std's (without noise); the one-order forms below replace
  // theirs.
  using std::atomic<T>::compare_exchange_weak;
  using std::atomic<T>::compare_exchange_strong;

  T load(std::memory_order order = std::memory_order_seq_cst) const noexcept {
    noise::point();
    return std::atomic<T>::load(order);
  }
  void store(T value, std::memory_order order = std::memory_order_seq_cst) noexcept {
    noise::point();
    std::atomic<T>::store(value, order);
  }
  T exchange(T value, std::memory_order order = std::memory_order_seq_cst) noexcept {
    noise::point();
    return std::atomic<T>::exchange(value, order);
  }
  bool compare_exchange_weak(T& expected, T desired,
                             std::memory_order order = std::memory_order_seq_cst) noexcept {
    noise::point();
    return std::atomic<T>::compare_exchange_weak(expected, desired, order);
  }
  bool compare_exchange_strong(T& expected, T desired,
                               std::memory_order order = std::memory_order_seq_cst) noexcept {
    noise::point();
    return std::atomic<T>::compare_exchange_strong(expected, desired, order);
  }
  // Members of a class template are instantiated only when used, so these two exist for the
  // integral and pointer atomics that have them in std.
  T fetch_add(T delta, std::memory_order order = std::memory_order_seq_cst) noexcept {
    noise::point();
    return std::atomic<T>::fetch_add(delta, order);
  }
  T fetch_sub(T delta, std::memory_order order = std::memory_order_seq_cst) noexcept {
    noise::point();
    return std::atomic<T>::fetch_sub(delta, order);
  }
  operator T() const noexcept { return load(); }
};

// std::barrier's default completion step is unnamed; this one does the same: nothing.
struct no_completion {
  void operator()() noexcept {}
};

template <class CompletionFunction = no_completion>
class barrier : public std::barrier<CompletionFunction> {
 public:
  using std::barrier<CompletionFunction>::barrier;
  void arrive_and_wait() {
    noise::point();
    std::barrier<CompletionFunction>::arrive_and_wait();
  }
  void arrive_and_drop() {
    noise::point();
    std::barrier<CompletionFunction>::arrive_and_drop();
  }
};

barrier(std::ptrdiff_t)->barrier<>;
template <class F>
barrier(std::ptrdiff_t, F) -> barrier<F>;

class latch : public std::latch {
 public:
  using std::latch::latch;
  void count_down(std::ptrdiff_t n = 1) {
    noise::point();
    std::latch::count_down(n);
  }
  void wait() const {
    noise::point();
    std::latch::wait();
  }
  void arrive_and_wait(std::ptrdiff_t n = 1) {
    noise::point();
    std::latch::arrive_and_wait(n);
  }
};

template <class Callable, class... Args>
void call_once(once_flag& flag, Callable&& f, Args&&... args) {
  noise::point();
  std::call_once(flag, std::forward<Callable>(f), std::forward<Args>(args)...);
}

namespace this_thread {
using std::this_thread::sleep_for;
using std::this_thread::yield;
}  // namespace this_thread

// Plain shared data, as in the std facade (casebook/sync.hpp), with a noise point before each
// access: the moment between a read and the write that depends on it is where it helps most.
template <class T>
class shared {
 public:
  shared() = default;
  explicit shared(T initial) : value_(initial) {}
  shared(const shared&) = delete;
  shared& operator=(const shared&) = delete;

  T read() const {
    noise::point();
    compiler_barrier();
    T v = value_;
    compiler_barrier();
    return v;
  }
  void write(T v) {
    noise::point();
    compiler_barrier();
    value_ = v;
    compiler_barrier();
  }
  T& unsafe_ref() {
    noise::point();
    return value_;
  }

 private:
  static void compiler_barrier() { asm volatile("" ::: "memory"); }
  T value_{};
};

}  // namespace cb
