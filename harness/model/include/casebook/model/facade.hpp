// facade.hpp - the cb:: facade under the controlled scheduler: every name casebook/sync.hpp
// provides, built on the model engine (rt.hpp) instead of the OS. Included by sync.hpp when
// CASEBOOK_FACADE_MODEL is defined; case code does not include it and does not change.
//
// Every lock, unlock, wait, notify, thread start/join, atomic operation and cb::shared access
// is a scheduling point, and exactly one model thread runs at a time. Values are sequentially
// consistent (a load reads the latest store; no reordering is explored), but happens-before
// honours each atomic operation's memory_order: a relaxed flag publishes nothing, so the
// shared accesses it was meant to order race (see atomic below). Spurious condition-variable
// wake-ups happen only when the exploration allows them (options::spurious_wakeups); timed
// waits may always time out. sleep_for is a yield (time does not pass in the model), and
// thread::hardware_concurrency() is fixed at 4 so that schedules replay on any machine.
//
// scoped_lock and shared_lock are the std templates over the model mutexes; their steps show
// the caller's latest location, not the std header's. lock_guard and unique_lock are thin
// versions that record where they were constructed (unique_lock IS a std::unique_lock, so
// condition_variable::wait takes it as usual).
#pragma once

// The same std headers as the std facade includes, so case code that leans on them compiles
// in both.
#include <atomic>
#include <barrier>
#include <chrono>
#include <concepts>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <latch>
#include <mutex>
#include <shared_mutex>
#include <stop_token>
#include <thread>
#include <tuple>
#include <type_traits>
#include <utility>

#include "casebook/model/rt.hpp"

namespace cb {

using std::memory_order_acq_rel;
using std::memory_order_acquire;
using std::memory_order_relaxed;
using std::memory_order_release;
using std::memory_order_seq_cst;
using std::scoped_lock;
using std::shared_lock;

class mutex {
 public:
  mutex() = default;
  mutex(const mutex&) = delete;
  mutex& operator=(const mutex&) = delete;
  void lock(CASEBOOK_MODEL_HERE) { model::rt::lock(core_, where); }
  bool try_lock(CASEBOOK_MODEL_HERE) { return model::rt::try_lock(core_, where); }
  void unlock(CASEBOOK_MODEL_HERE) { model::rt::unlock(core_, where); }
  model::rt::mutex_core& core() { return core_; }

 private:
  model::rt::mutex_core core_{model::rt::mutex_kind::plain};
};

class recursive_mutex {
 public:
  recursive_mutex() = default;
  recursive_mutex(const recursive_mutex&) = delete;
  recursive_mutex& operator=(const recursive_mutex&) = delete;
  void lock(CASEBOOK_MODEL_HERE) { model::rt::lock(core_, where); }
  bool try_lock(CASEBOOK_MODEL_HERE) { return model::rt::try_lock(core_, where); }
  void unlock(CASEBOOK_MODEL_HERE) { model::rt::unlock(core_, where); }

 private:
  model::rt::mutex_core core_{model::rt::mutex_kind::recursive};
};

class shared_mutex {
 public:
  shared_mutex() = default;
  shared_mutex(const shared_mutex&) = delete;
  shared_mutex& operator=(const shared_mutex&) = delete;
  void lock(CASEBOOK_MODEL_HERE) { model::rt::lock(core_, where); }
  bool try_lock(CASEBOOK_MODEL_HERE) { return model::rt::try_lock(core_, where); }
  void unlock(CASEBOOK_MODEL_HERE) { model::rt::unlock(core_, where); }
  void lock_shared(CASEBOOK_MODEL_HERE) { model::rt::lock_shared(core_, where); }
  bool try_lock_shared(CASEBOOK_MODEL_HERE) { return model::rt::try_lock_shared(core_, where); }
  void unlock_shared(CASEBOOK_MODEL_HERE) { model::rt::unlock_shared(core_, where); }

 private:
  model::rt::mutex_core core_{model::rt::mutex_kind::shared};
};

namespace detail {
// Locks m, passing the call site when m is a model mutex (a case's own lockable type may wrap
// one and take no location).
template <class Mutex>
Mutex& lock_at(Mutex& m, model::source_loc where) {
  if constexpr (requires { m.lock(where); }) {
    m.lock(where);
  } else {
    m.lock();
  }
  return m;
}
}  // namespace detail

template <class Mutex>
class lock_guard {
 public:
  using mutex_type = Mutex;
  explicit lock_guard(Mutex& m, CASEBOOK_MODEL_HERE) : m_(detail::lock_at(m, where)) {}
  lock_guard(Mutex& m, std::adopt_lock_t) noexcept : m_(m) {}
  ~lock_guard() { m_.unlock(); }
  lock_guard(const lock_guard&) = delete;
  lock_guard& operator=(const lock_guard&) = delete;

 private:
  Mutex& m_;
};

template <class Mutex>
class unique_lock : public std::unique_lock<Mutex> {
  using base = std::unique_lock<Mutex>;

 public:
  unique_lock() noexcept = default;
  explicit unique_lock(Mutex& m, CASEBOOK_MODEL_HERE)
      : base(detail::lock_at(m, where), std::adopt_lock) {}
  unique_lock(Mutex& m, std::defer_lock_t t) noexcept : base(m, t) {}
  unique_lock(Mutex& m, std::try_to_lock_t t) : base(m, t) {}
  unique_lock(Mutex& m, std::adopt_lock_t t) noexcept : base(m, t) {}
  unique_lock(unique_lock&&) noexcept = default;
  unique_lock& operator=(unique_lock&&) noexcept = default;
};

class condition_variable {
 public:
  condition_variable() = default;
  condition_variable(const condition_variable&) = delete;
  condition_variable& operator=(const condition_variable&) = delete;

  void notify_one(CASEBOOK_MODEL_HERE) { model::rt::notify(core_, false, where); }
  void notify_all(CASEBOOK_MODEL_HERE) { model::rt::notify(core_, true, where); }
  void wait(std::unique_lock<mutex>& lock, CASEBOOK_MODEL_HERE) {
    model::rt::wait(core_, lock.mutex()->core(), false, where);
  }
  template <class Predicate>
  void wait(std::unique_lock<mutex>& lock, Predicate ready, CASEBOOK_MODEL_HERE) {
    while (!ready()) model::rt::wait(core_, lock.mutex()->core(), false, where);
  }
  // A timed wait may end by timeout at any point the scheduler chooses: time is not modelled.
  template <class Rep, class Period>
  std::cv_status wait_for(std::unique_lock<mutex>& lock, const std::chrono::duration<Rep, Period>&,
                          CASEBOOK_MODEL_HERE) {
    return model::rt::wait(core_, lock.mutex()->core(), true, where) ? std::cv_status::no_timeout
                                                                     : std::cv_status::timeout;
  }
  template <class Rep, class Period, class Predicate>
  bool wait_for(std::unique_lock<mutex>& lock, const std::chrono::duration<Rep, Period>&,
                Predicate ready, CASEBOOK_MODEL_HERE) {
    while (!ready()) {
      if (!model::rt::wait(core_, lock.mutex()->core(), true, where)) return ready();
    }
    return true;
  }
  template <class Clock, class Duration>
  std::cv_status wait_until(std::unique_lock<mutex>& lock,
                            const std::chrono::time_point<Clock, Duration>&, CASEBOOK_MODEL_HERE) {
    return model::rt::wait(core_, lock.mutex()->core(), true, where) ? std::cv_status::no_timeout
                                                                     : std::cv_status::timeout;
  }
  template <class Clock, class Duration, class Predicate>
  bool wait_until(std::unique_lock<mutex>& lock, const std::chrono::time_point<Clock, Duration>&,
                  Predicate ready, CASEBOOK_MODEL_HERE) {
    while (!ready()) {
      if (!model::rt::wait(core_, lock.mutex()->core(), true, where)) return ready();
    }
    return true;
  }

 private:
  model::rt::cv_core core_;
};

class thread {
 public:
  thread() noexcept = default;
  template <class F, class... Args>
  requires(!std::same_as<std::remove_cvref_t<F>, thread>) explicit thread(F&& f, Args&&... args)
      : id_(model::rt::spawn(
            [fn = std::forward<F>(f),
             tup = std::make_tuple(std::forward<Args>(args)...)]() mutable {
              std::apply(std::move(fn), std::move(tup));
            },
            {})) {}
  thread(thread&& other) noexcept : id_(std::exchange(other.id_, -1)) {}
  thread& operator=(thread&& other) noexcept {
    if (joinable()) model::rt::destroyed_joinable(id_, {});
    id_ = std::exchange(other.id_, -1);
    return *this;
  }
  ~thread() {
    if (joinable()) model::rt::destroyed_joinable(id_, {});
  }
  bool joinable() const noexcept { return id_ >= 0; }
  void join(CASEBOOK_MODEL_HERE) {
    model::rt::join(id_, false, where);
    id_ = -1;
  }
  // For jthread's destructor, which must not throw (see rt::join).
  void join_from_destructor() {
    model::rt::join(id_, true, {});
    id_ = -1;
  }
  void detach(CASEBOOK_MODEL_HERE) {
    model::rt::detach(id_, where);
    id_ = -1;
  }
  void swap(thread& other) noexcept { std::swap(id_, other.id_); }
  // Fixed, not the machine's: a case that sizes its thread count by it must replay anywhere.
  static unsigned hardware_concurrency() noexcept { return 4; }

 private:
  int id_ = -1;
};

class jthread {
 public:
  jthread() noexcept = default;
  template <class F, class... Args>
  requires(!std::same_as<std::remove_cvref_t<F>, jthread>) explicit jthread(F&& f, Args&&... args) {
    if constexpr (std::is_invocable_v<std::decay_t<F>, std::stop_token, std::decay_t<Args>...>) {
      thread_ = thread(std::forward<F>(f), stop_.get_token(), std::forward<Args>(args)...);
    } else {
      thread_ = thread(std::forward<F>(f), std::forward<Args>(args)...);
    }
  }
  jthread(jthread&&) noexcept = default;
  jthread& operator=(jthread&& other) noexcept {
    if (joinable()) {
      request_stop();
      join();
    }
    thread_ = std::move(other.thread_);
    stop_ = std::move(other.stop_);
    return *this;
  }
  ~jthread() {
    if (joinable()) {
      request_stop();
      thread_.join_from_destructor();
    }
  }
  bool joinable() const noexcept { return thread_.joinable(); }
  void join(CASEBOOK_MODEL_HERE) { thread_.join(where); }
  void detach(CASEBOOK_MODEL_HERE) { thread_.detach(where); }
  bool request_stop() noexcept { return stop_.request_stop(); }
  std::stop_source get_stop_source() noexcept { return stop_; }
  std::stop_token get_stop_token() const noexcept { return stop_.get_token(); }
  static unsigned hardware_concurrency() noexcept { return thread::hardware_concurrency(); }

 private:
  std::stop_source stop_;
  thread thread_;
};

// Atomics: every operation is one step that reads and writes the value sequentially
// consistently, then tells the engine its happens-before effect with the order it names
// (rt::atomic_sync): a relaxed operation orders nothing, an acquire load synchronises with the
// release store it reads from (or with any head of the release sequence it reads from).
template <class T>
class atomic {
  using diff = std::conditional_t<std::is_pointer_v<T>, std::ptrdiff_t, T>;
  using op = model::rt::op;

 public:
  using value_type = T;
  atomic() noexcept = default;
  constexpr atomic(T v) noexcept : value_(v) {}
  atomic(const atomic&) = delete;
  atomic& operator=(const atomic&) = delete;

  static constexpr bool is_always_lock_free = true;
  bool is_lock_free() const noexcept { return true; }

  T load(std::memory_order order = std::memory_order_seq_cst, CASEBOOK_MODEL_HERE) const {
    step(op::atomic_load, order, where);
    return value_;
  }
  void store(T v, std::memory_order order = std::memory_order_seq_cst, CASEBOOK_MODEL_HERE) {
    model::rt::access(core_, op::atomic_store, where);
    const bool changed = !(value_ == v);
    value_ = v;
    model::rt::atomic_sync(core_, op::atomic_store, order, changed);
  }
  T exchange(T v, std::memory_order order = std::memory_order_seq_cst, CASEBOOK_MODEL_HERE) {
    return rmw(order, where, [&](T) { return v; });
  }
  bool compare_exchange_strong(T& expected, T desired,
                               std::memory_order order = std::memory_order_seq_cst,
                               CASEBOOK_MODEL_HERE) {
    return cas(expected, desired, order, failure_order_of(order), where);
  }
  bool compare_exchange_strong(T& expected, T desired, std::memory_order success,
                               std::memory_order failure, CASEBOOK_MODEL_HERE) {
    return cas(expected, desired, success, failure, where);
  }
  // Never fails spuriously in the model (a weak CAS is allowed to; the model does not branch
  // on it).
  bool compare_exchange_weak(T& expected, T desired,
                             std::memory_order order = std::memory_order_seq_cst,
                             CASEBOOK_MODEL_HERE) {
    return cas(expected, desired, order, failure_order_of(order), where);
  }
  bool compare_exchange_weak(T& expected, T desired, std::memory_order success,
                             std::memory_order failure, CASEBOOK_MODEL_HERE) {
    return cas(expected, desired, success, failure, where);
  }
  T fetch_add(diff d, std::memory_order order = std::memory_order_seq_cst, CASEBOOK_MODEL_HERE) {
    return rmw(order, where, [&](T x) { return static_cast<T>(x + d); });
  }
  T fetch_sub(diff d, std::memory_order order = std::memory_order_seq_cst, CASEBOOK_MODEL_HERE) {
    return rmw(order, where, [&](T x) { return static_cast<T>(x - d); });
  }
  T fetch_and(T v, std::memory_order order = std::memory_order_seq_cst, CASEBOOK_MODEL_HERE) {
    return rmw(order, where, [&](T x) { return static_cast<T>(x & v); });
  }
  T fetch_or(T v, std::memory_order order = std::memory_order_seq_cst, CASEBOOK_MODEL_HERE) {
    return rmw(order, where, [&](T x) { return static_cast<T>(x | v); });
  }
  T fetch_xor(T v, std::memory_order order = std::memory_order_seq_cst, CASEBOOK_MODEL_HERE) {
    return rmw(order, where, [&](T x) { return static_cast<T>(x ^ v); });
  }
  // C++20 atomic waiting: blocks until the value differs from `old`.
  // Returning is a load of the changed value with `order`; notify orders nothing by itself
  // (the store before it publishes, or not, by its own order).
  void wait(T old, std::memory_order order = std::memory_order_seq_cst, CASEBOOK_MODEL_HERE) const {
    struct arg {
      const atomic* self;
      T old;
    } a{this, old};
    model::rt::block_until(
        core_, model::rt::op::atomic_wait,
        [](const void* p) {
          const auto* x = static_cast<const arg*>(p);
          return !(x->self->value_ == x->old);
        },
        &a, where);
    model::rt::atomic_sync(core_, op::atomic_load, order);
  }
  void notify_one(CASEBOOK_MODEL_HERE) {
    model::rt::point(&core_, model::rt::op::atomic_notify, where);
  }
  void notify_all(CASEBOOK_MODEL_HERE) {
    model::rt::point(&core_, model::rt::op::atomic_notify, where);
  }

  operator T() const { return load(); }
  T operator=(T v) {
    store(v);
    return v;
  }
  T operator++() { return static_cast<T>(fetch_add(1) + 1); }
  T operator++(int) { return fetch_add(1); }
  T operator--() { return static_cast<T>(fetch_sub(1) - 1); }
  T operator--(int) { return fetch_sub(1); }
  T operator+=(diff d) { return static_cast<T>(fetch_add(d) + d); }
  T operator-=(diff d) { return static_cast<T>(fetch_sub(d) - d); }
  T operator&=(T v) { return static_cast<T>(fetch_and(v) & v); }
  T operator|=(T v) { return static_cast<T>(fetch_or(v) | v); }
  T operator^=(T v) { return static_cast<T>(fetch_xor(v) ^ v); }

 private:
  void step(op kind, std::memory_order order, model::source_loc where) const {
    model::rt::access(core_, kind, where);
    model::rt::atomic_sync(core_, kind, order);
  }
  // A read-modify-write replacing the value with next(old); it tells the engine whether the
  // value changed (the fair scheduler's spin detection counts an unchanged RMW as a read).
  template <class Next>
  T rmw(std::memory_order order, model::source_loc where, Next next) {
    model::rt::access(core_, op::atomic_rmw, where);
    const T old = value_;
    value_ = next(old);
    model::rt::atomic_sync(core_, op::atomic_rmw, order, !(value_ == old));
    return old;
  }
  // The order a one-order compare-exchange uses when it fails (a failure is a load: no
  // release part).
  static constexpr std::memory_order failure_order_of(std::memory_order order) {
    return order == std::memory_order_acq_rel   ? std::memory_order_acquire
           : order == std::memory_order_release ? std::memory_order_relaxed
                                                : order;
  }
  // Success is a read-modify-write with `success`, failure a load with `failure`.
  bool cas(T& expected, T desired, std::memory_order success, std::memory_order failure,
           model::source_loc where) {
    model::rt::access(core_, op::atomic_rmw, where);
    if (value_ == expected) {
      value_ = desired;
      model::rt::atomic_sync(core_, op::atomic_rmw, success, !(expected == desired));
      return true;
    }
    expected = value_;
    model::rt::atomic_sync(core_, op::atomic_load, failure);
    return false;
  }
  mutable model::rt::object_core core_;
  T value_{};
};

namespace this_thread {
// Time does not pass in the model: sleeping is a yield that lets every other thread step first.
template <class Rep, class Period>
void sleep_for(const std::chrono::duration<Rep, Period>&, CASEBOOK_MODEL_HERE) {
  model::rt::point(nullptr, model::rt::op::sleep, where);
}
inline void yield(CASEBOOK_MODEL_HERE) {
  model::rt::point(nullptr, model::rt::op::yield, where);
}
}  // namespace this_thread

class latch {
 public:
  explicit latch(std::ptrdiff_t expected) : count_(expected) {}
  latch(const latch&) = delete;
  latch& operator=(const latch&) = delete;
  void count_down(std::ptrdiff_t n = 1, CASEBOOK_MODEL_HERE) {
    model::rt::point(&core_, model::rt::op::latch_count_down, where);
    count_ -= n;
  }
  bool try_wait() const noexcept { return count_ <= 0; }
  void wait(CASEBOOK_MODEL_HERE) const {
    model::rt::block_until(
        core_, model::rt::op::latch_wait,
        [](const void* p) { return static_cast<const latch*>(p)->count_ <= 0; }, this, where);
  }
  void arrive_and_wait(std::ptrdiff_t n = 1, CASEBOOK_MODEL_HERE) {
    count_down(n, where);
    wait(where);
  }

 private:
  mutable model::rt::object_core core_;
  std::ptrdiff_t count_;
};

namespace detail {
struct no_completion {
  void operator()() noexcept {}
};
}  // namespace detail

template <class CompletionFunction = detail::no_completion>
class barrier {
 public:
  using arrival_token = std::uint64_t;  // the phase arrived in
  explicit barrier(std::ptrdiff_t expected, CompletionFunction f = CompletionFunction())
      : expected_(expected), completion_(std::move(f)) {}
  barrier(const barrier&) = delete;
  barrier& operator=(const barrier&) = delete;

  arrival_token arrive(std::ptrdiff_t n = 1, CASEBOOK_MODEL_HERE) {
    model::rt::point(&core_, model::rt::op::barrier_arrive, where);
    const arrival_token phase = phase_;
    arrived_ += n;
    if (arrived_ >= expected_) complete();
    return phase;
  }
  void wait(arrival_token phase, CASEBOOK_MODEL_HERE) const {
    struct arg {
      const barrier* self;
      arrival_token phase;
    } a{this, phase};
    model::rt::block_until(
        core_, model::rt::op::barrier_wait,
        [](const void* p) {
          const auto* x = static_cast<const arg*>(p);
          return x->self->phase_ != x->phase;
        },
        &a, where);
  }
  void arrive_and_wait(CASEBOOK_MODEL_HERE) { wait(arrive(1, where), where); }
  void arrive_and_drop(CASEBOOK_MODEL_HERE) {
    model::rt::point(&core_, model::rt::op::barrier_arrive, where);
    --expected_;
    if (arrived_ >= expected_) complete();
  }

 private:
  void complete() {
    completion_();
    arrived_ = 0;
    ++phase_;
  }
  mutable model::rt::object_core core_;
  std::ptrdiff_t expected_;
  std::ptrdiff_t arrived_ = 0;
  arrival_token phase_ = 0;
  CompletionFunction completion_;
};

class once_flag {
 public:
  once_flag() noexcept = default;
  once_flag(const once_flag&) = delete;
  once_flag& operator=(const once_flag&) = delete;

 private:
  template <class F, class... Args>
  friend void call_once(once_flag& flag, F&& f, Args&&... args);
  mutable model::rt::object_core core_;
  int state_ = 0;  // 0 not run, 1 running, 2 done
};

template <class F, class... Args>
void call_once(once_flag& flag, F&& f, Args&&... args) {
  const model::source_loc where{};
  for (;;) {
    model::rt::point(&flag.core_, model::rt::op::once_enter, where);
    if (flag.state_ == 2) return;
    if (flag.state_ == 0) break;
    // Another thread is running the function: wait until it finishes (or throws).
    model::rt::block_until(
        flag.core_, model::rt::op::once_wait,
        [](const void* p) { return static_cast<const once_flag*>(p)->state_ != 1; }, &flag, where);
  }
  flag.state_ = 1;
  try {
    std::invoke(std::forward<F>(f), std::forward<Args>(args)...);
  } catch (...) {
    flag.state_ = 0;
    throw;
  }
  flag.state_ = 2;
}

// Plain shared data: NOT synchronised. Each read() and write() is one scheduling point, so the
// scheduler can interleave the accesses that race; unsafe_ref() counts as a write.
template <class T>
class shared {
 public:
  shared() = default;
  explicit shared(T initial) : value_(initial) {}
  shared(const shared&) = delete;
  shared& operator=(const shared&) = delete;

  T read(CASEBOOK_MODEL_HERE) const {
    model::rt::access(core_, model::rt::op::read, where);
    return value_;
  }
  void write(T v, CASEBOOK_MODEL_HERE) {
    model::rt::access(core_, model::rt::op::write, where);
    value_ = v;
  }
  T& unsafe_ref(CASEBOOK_MODEL_HERE) {
    model::rt::access(core_, model::rt::op::write, where);
    return value_;
  }

 private:
  mutable model::rt::object_core core_;
  T value_{};
};

}  // namespace cb
