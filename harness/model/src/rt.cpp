// rt.cpp - the hooks of casebook/model/rt.hpp: forward to the running execution, or act
// directly when no exploration runs on this OS thread.
#include <stdexcept>
#include <string>

#include "casebook/model/rt.hpp"
#include "execution.hpp"

namespace cb::model::rt {
namespace {

using detail::execution;

execution* running() {
  return execution::current();
}

[[noreturn]] void outside(const char* what) {
  throw std::logic_error(std::string("casebook model: ") + what +
                         " outside an exploration (call it from cb::model::explore's body)");
}

}  // namespace

const char* op_name(op o) {
  switch (o) {
    case op::start:
      return "start";
    case op::exit:
      return "exit";
    case op::spawn:
      return "spawn";
    case op::join:
      return "join";
    case op::detach:
      return "detach";
    case op::lock:
      return "lock";
    case op::try_lock:
      return "try_lock";
    case op::unlock:
      return "unlock";
    case op::lock_shared:
      return "lock_shared";
    case op::try_lock_shared:
      return "try_lock_shared";
    case op::unlock_shared:
      return "unlock_shared";
    case op::wait:
      return "wait";
    case op::wake:
      return "wake";
    case op::timed_wake:
      return "timed_wake";
    case op::notify_one:
      return "notify_one";
    case op::notify_all:
      return "notify_all";
    case op::atomic_load:
      return "load";
    case op::atomic_store:
      return "store";
    case op::atomic_rmw:
      return "read-modify-write";
    case op::atomic_wait:
      return "wait";
    case op::atomic_notify:
      return "notify";
    case op::read:
      return "read";
    case op::write:
      return "write";
    case op::yield:
      return "yield";
    case op::sleep:
      return "sleep";
    case op::latch_count_down:
      return "count_down";
    case op::latch_wait:
      return "wait";
    case op::barrier_arrive:
      return "arrive";
    case op::barrier_wait:
      return "wait";
    case op::once_enter:
      return "call_once";
    case op::once_wait:
      return "wait";
  }
  return "?";
}

bool active() {
  return running() != nullptr;
}

int spawn(std::function<void()> body, source_loc where) {
  if (execution* e = running()) return e->spawn(std::move(body), where);
  outside("starting a thread");
}

void join(int thread, bool from_destructor, source_loc where) {
  if (execution* e = running()) return e->join(thread, from_destructor, where);
  outside("joining a thread");
}

void detach(int thread, source_loc where) {
  if (execution* e = running()) return e->detach(thread, where);
  outside("detaching a thread");
}

int self() {
  execution* e = running();
  return e != nullptr ? e->self() : -1;
}

void destroyed_joinable(int thread, source_loc where) {
  if (execution* e = running()) e->destroyed_joinable(thread, where);
}

void lock(mutex_core& m, source_loc where) {
  if (execution* e = running()) return e->lock(m, false, where);
  m.owner = -2;  // outside an exploration: no threads, nothing to wait for
  ++m.depth;
}

bool try_lock(mutex_core& m, source_loc where) {
  if (execution* e = running()) return e->try_lock(m, false, where);
  if (m.owner != -1 && m.kind != mutex_kind::recursive) return false;
  m.owner = -2;
  ++m.depth;
  return true;
}

void unlock(mutex_core& m, source_loc where) {
  if (execution* e = running()) return e->unlock(m, false, where);
  if (--m.depth <= 0) {
    m.depth = 0;
    m.owner = -1;
  }
}

void lock_shared(mutex_core& m, source_loc where) {
  if (execution* e = running()) return e->lock(m, true, where);
  ++m.readers;
}

bool try_lock_shared(mutex_core& m, source_loc where) {
  if (execution* e = running()) return e->try_lock(m, true, where);
  ++m.readers;
  return true;
}

void unlock_shared(mutex_core& m, source_loc where) {
  if (execution* e = running()) return e->unlock(m, true, where);
  --m.readers;
}

bool wait(cv_core& cv, mutex_core& m, bool timed, source_loc where) {
  if (execution* e = running()) return e->wait(cv, m, timed, where);
  outside("waiting on a condition variable");
}

void notify(cv_core& cv, bool all, source_loc where) {
  if (execution* e = running()) e->notify(cv, all, where);
}

void access(object_core& object, op kind, source_loc where) {
  if (execution* e = running()) e->access(object, kind, where);
}

void atomic_sync(object_core& object, op kind, std::memory_order order, bool changed) {
  if (execution* e = running()) e->atomic_sync(object, kind, order, changed);
}

void block_until(object_core& object, op kind, ready_fn ready, const void* arg, source_loc where) {
  if (execution* e = running()) return e->block_until(object, kind, ready, arg, where);
  if (!ready(arg)) outside("blocking");
}

void point(object_core* object, op kind, source_loc where) {
  if (execution* e = running()) e->point(object, kind, where);
}

void fail(const char* kind, const char* message, source_loc where) {
  if (execution* e = running()) e->fail(kind, message, where);
  throw std::logic_error(std::string("casebook model: ") + kind + ": " + message);
}

}  // namespace cb::model::rt
