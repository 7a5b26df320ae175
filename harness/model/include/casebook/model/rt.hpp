// rt.hpp - the engine hooks that the model facade (facade.hpp) calls: internal, do not depend
// on it directly; case code uses cb:: names from casebook/sync.hpp.
//
// Every hook is one scheduling point: the calling model thread announces the operation it is
// about to perform, the scheduler decides which thread runs next, and the operation happens
// only when its thread is chosen. Exactly one model thread runs at a time, so the state below
// (the *_core structs embedded in facade objects) needs no locking of its own.
//
// Outside an exploration (static initialisers, a plain call from a test) the hooks perform the
// operation directly, without scheduling, so facade objects stay usable anywhere.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>

namespace cb::model {

// Where an operation was called from, filled in by __builtin_FILE()/__builtin_LINE() default
// arguments of the facade's methods (libstdc++ 12 under clang 14 has no std::source_location).
struct source_loc {
  const char* file = "";
  int line = 0;
};

}  // namespace cb::model

// Default arguments that capture the caller's location.
#define CASEBOOK_MODEL_HERE ::cb::model::source_loc where = {__builtin_FILE(), __builtin_LINE()}

namespace cb::model::rt {

// Identity of a facade object within one execution. Objects are numbered on first use; the
// execution counter makes objects that outlive an execution (globals) start afresh in the next.
struct object_core {
  std::uint32_t execution = 0;
  std::uint32_t id = 0;
};

enum class mutex_kind : std::uint8_t { plain, recursive, shared };

struct mutex_core : object_core {
  explicit mutex_core(mutex_kind k) : kind(k) {}
  mutex_kind kind;
  int owner = -1;   // model thread id holding it exclusively, or -1
  int depth = 0;    // recursion depth of the owner
  int readers = 0;  // shared owners (shared_mutex)
};

struct cv_core : object_core {};

// The blocking predicate of a generic wait (latch, barrier, call_once, atomic wait): the
// waiting thread is enabled when ready(arg) is true.
using ready_fn = bool (*)(const void* arg);

// Kinds of operation, as shown in traces.
enum class op : std::uint8_t {
  start,
  exit,
  spawn,
  join,
  detach,
  lock,
  try_lock,
  unlock,
  lock_shared,
  try_lock_shared,
  unlock_shared,
  wait,
  wake,
  timed_wake,
  notify_one,
  notify_all,
  atomic_load,
  atomic_store,
  atomic_rmw,
  atomic_wait,
  atomic_notify,
  read,
  write,
  yield,
  sleep,
  latch_count_down,
  latch_wait,
  barrier_arrive,
  barrier_wait,
  once_enter,
  once_wait,
};

const char* op_name(op o);

// True while a model thread of an exploration runs on this OS thread.
bool active();

// Threads. spawn returns the new thread's id; the body runs when the scheduler first picks it.
int spawn(std::function<void()> body, source_loc where);
// from_destructor: called where a throw would terminate (jthread's destructor); during the
// unwinding of a failed execution such a join then returns instead of unwinding the caller.
void join(int thread, bool from_destructor, source_loc where);
void detach(int thread, source_loc where);
int self();
// The thread object `thread` was destroyed while joinable (std::terminate in a real build).
void destroyed_joinable(int thread, source_loc where);

// Mutexes. try_lock returns whether it took the lock.
void lock(mutex_core& m, source_loc where);
bool try_lock(mutex_core& m, source_loc where);
void unlock(mutex_core& m, source_loc where);
void lock_shared(mutex_core& m, source_loc where);
bool try_lock_shared(mutex_core& m, source_loc where);
void unlock_shared(mutex_core& m, source_loc where);

// Condition variables: wait releases m, waits for a notify (or, when the exploration allows
// them, a spurious wake-up; or a timeout when `timed`), and re-acquires m. Returns false when
// the wait ended without a notify (spurious or timed out).
bool wait(cv_core& cv, mutex_core& m, bool timed, source_loc where);
void notify(cv_core& cv, bool all, source_loc where);

// A scheduling point before an access to an atomic or shared variable at `object`. For a
// shared variable it is also the access the race check sees; for an atomic it only schedules:
// the operation's happens-before effect comes from atomic_sync, once the facade knows it.
void access(object_core& object, op kind, source_loc where);

// The happens-before effect of the atomic operation the running thread just performed on
// `object`, in the same step as its access() (no scheduling point in between). `kind` is what
// the operation turned out to be: atomic_load, atomic_store or atomic_rmw (a compare-exchange
// that failed is a load, with its failure order). `order` is the memory_order it names:
// relaxed orders nothing; consume counts as acquire. Values stay sequentially consistent
// whatever the order; only the synchronisation edges depend on it (execution.cpp).
// `changed`: the operation changed the atomic's value. A store or read-modify-write that
// leaves the value as it was (a test-and-set on a set flag) changes nothing another thread
// could see: for the fair scheduler's spin detection it is a read, not a write.
void atomic_sync(object_core& object, op kind, std::memory_order order, bool changed = true);

// Blocks until ready(arg) holds (checked only by the scheduler, between steps).
void block_until(object_core& object, op kind, ready_fn ready, const void* arg, source_loc where);

// A plain scheduling point (yield, sleep, notify of an atomic, ...).
void point(object_core* object, op kind, source_loc where);

// Reports a failed assertion in the model program and ends the execution.
[[noreturn]] void fail(const char* kind, const char* message, source_loc where);

}  // namespace cb::model::rt
