// execution.cpp - the scheduler core: one decision per step, model sync state, failure checks
// (see execution.hpp).
#include "execution.hpp"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <exception>
#include <string>
#include <utility>

namespace cb::model::detail {
namespace {

thread_local execution* running_execution = nullptr;
// Numbers executions process-wide, so an object used by two executions (a global) is
// recognised as new in the second.
std::atomic<std::uint32_t> execution_serials{0};

bool same_site(const source_loc& a, const source_loc& b) {
  return a.line == b.line && (a.file == b.file || std::strcmp(a.file, b.file) == 0);
}

// Operations that only read a location when they do not change it: what a spin repeats.
bool reading(rt::op kind) {
  switch (kind) {
    case rt::op::atomic_load:
    case rt::op::atomic_rmw:
    case rt::op::read:
    case rt::op::try_lock:
    case rt::op::try_lock_shared:
      return true;
    default:
      return false;
  }
}

bool system_header(const char* file) {
  return file == nullptr || file[0] == '\0' || std::strncmp(file, "/usr/", 5) == 0;
}

// Steps that may throw execution_aborted while the execution is being unwound. Releases and
// notifies may be called from destructors, where a throw would terminate the process.
bool may_throw(rt::op kind) {
  switch (kind) {
    case rt::op::unlock:
    case rt::op::unlock_shared:
    case rt::op::notify_one:
    case rt::op::notify_all:
    case rt::op::atomic_notify:
    case rt::op::detach:
    case rt::op::exit:
      return false;
    default:
      return true;
  }
}

void merge(std::vector<std::uint32_t>& into, const std::vector<std::uint32_t>& from) {
  if (into.size() < from.size()) into.resize(from.size(), 0);
  for (std::size_t i = 0; i < from.size(); ++i) into[i] = std::max(into[i], from[i]);
}

std::string base_name(const char* file) {
  std::string f = file == nullptr ? "" : file;
  return f;
}

}  // namespace

execution* execution::current() {
  return running_execution;
}

execution::execution(const options& opts, strategy& s)
    : opts_(opts),
      strategy_(s),
      serial_(++execution_serials),
      spurious_left_(opts.spurious_wakeups) {
  out_.object_labels.emplace_back("");  // object number 0 is "none"
  object_clock_.emplace_back();
  locations_.emplace_back();
  cv_waiters_.emplace_back();
  versions_.emplace_back(0);
}

execution::~execution() = default;

std::string execution::thread_label(int id) const {
  return id == 0 ? "thread 0 (main)" : "thread " + std::to_string(id);
}

std::uint32_t execution::object_number(rt::object_core& o, const char* kind) {
  if (o.execution == serial_ && o.id != 0) return o.id;
  o.execution = serial_;
  o.id = static_cast<std::uint32_t>(out_.object_labels.size());
  auto it = std::find_if(class_counts_.begin(), class_counts_.end(),
                         [&](const auto& p) { return std::strcmp(p.first, kind) == 0; });
  if (it == class_counts_.end()) {
    class_counts_.emplace_back(kind, 0);
    it = class_counts_.end() - 1;
  }
  out_.object_labels.push_back(std::string(kind) + "#" + std::to_string(++it->second));
  object_clock_.emplace_back();
  locations_.emplace_back();
  cv_waiters_.emplace_back();
  versions_.emplace_back(0);
  return o.id;
}

void execution::reset_if_new(rt::mutex_core& m) {
  if (m.execution != serial_) {
    m.owner = -1;
    m.depth = 0;
    m.readers = 0;
  }
}

execution_outcome execution::run(const std::function<void()>& body) {
  running_execution = this;
  out_.steps.reserve(256);
  out_.decisions.reserve(256);
  auto main = std::make_unique<model_thread>();
  main->id = 0;
  main->body = [&body] { body(); };
  main->context = std::make_unique<fiber>(&execution::thread_entry, opts_.stack_size);
  main->clock.assign(1, 1);
  threads_.push_back(std::move(main));
  current_ = 0;
  fiber::switch_to(host_, *threads_[0]->context);
  // Back on the host: every thread finished, or a failure stopped the execution.
  unwind_all();
  running_execution = nullptr;
  out_.threads = static_cast<int>(threads_.size());
  for (auto& t : threads_) {
    t->context.reset();  // returns the stack to the pool (abandoned frames are leaked)
    try {
      t->body = nullptr;
    } catch (...) {
    }
  }
  return std::move(out_);
}

void execution::unwind_all() {
  for (std::size_t i = 0; i < threads_.size(); ++i) {
    model_thread& t = *threads_[i];
    if (t.finished || t.abandoned) continue;
    if (t.pending == rt::op::start) {  // never ran: nothing to unwind
      t.finished = true;
      continue;
    }
    current_ = static_cast<int>(i);
    fiber::switch_to(host_, *t.context);
  }
}

void execution::thread_entry() {
  fiber::started();
  execution& e = *running_execution;
  model_thread& t = e.me();
  if (!e.aborting_) {
    try {
      t.body();
    } catch (const execution_aborted&) {
    } catch (const std::exception& ex) {
      e.abort_execution("uncaught-exception",
                        e.thread_label(t.id) + " ended with an uncaught exception: " + ex.what(),
                        {});
    } catch (...) {
      e.abort_execution("uncaught-exception",
                        e.thread_label(t.id) + " ended with an uncaught exception", {});
    }
  }
  e.finish_thread();
}

void execution::finish_thread() {
  model_thread& t = me();
  if (!aborting_) {
    try {
      announce(rt::op::exit, nullptr, t.last_user);
    } catch (const execution_aborted&) {
    }
  }
  t.finished = true;
  if (!aborting_ && t.id == 0) {
    std::vector<std::string> details;
    for (auto& other : threads_) {
      if (!other->finished) {
        details.push_back(thread_label(other->id) + (other->detached ? " (detached)" : "") +
                          " still running: " + doing(*other));
      }
    }
    if (!details.empty()) {
      // Recorded while this thread still counts as current, then straight to the host.
      abort_execution("unjoined-thread",
                      "the main thread returned while " + std::to_string(details.size()) +
                          " thread(s) it started were still running (never joined)",
                      std::move(details));
    }
  }
  if (aborting_) leave_to_host(true);
  decide();  // switches away for good; the host ends the execution when nobody is left
  leave_to_host(true);
}

void execution::leave_to_host(bool exiting) {
  fiber::switch_to(*threads_[static_cast<std::size_t>(current_)]->context, host_, exiting);
}

void execution::abort_execution(const std::string& kind, const std::string& message,
                                std::vector<std::string> details) {
  if (!out_.failed && !out_.inconclusive) {
    out_.failed = true;
    out_.what.kind = kind;
    out_.what.message = message;
    out_.what.details = std::move(details);
  }
  aborting_ = true;
}

bool execution::aborted_here(bool throwing) {
  if (!aborting_) return false;
  model_thread& t = me();
  if (t.abort_budget == 0) {
    t.abandoned = true;
    leave_to_host(true);
  }
  --t.abort_budget;
  // Never from a destructor: one running during unwinding (uncaught_exceptions) or one that
  // asked not to (a jthread joining in its destructor) would terminate the process.
  if (throwing && !no_throw_ && std::uncaught_exceptions() == 0) throw execution_aborted{};
  return true;
}

// ---- scheduling ----

void execution::announce(rt::op kind, rt::object_core* object, source_loc where) {
  model_thread& t = me();
  if (!system_header(where.file)) {
    t.last_user = where;
  } else {
    where = t.last_user;  // a std template (lock_guard, ...) called us: show its caller
  }
  t.pending = kind;
  t.object = object;
  t.where = where;
  if (kind == rt::op::yield || kind == rt::op::sleep) t.yield_mark = out_.steps.size();
  // About to re-read memory nobody has written since it last read it from here: a spin
  // iteration, held back like a yield until the others have stepped.
  // So is taking a lock in the middle of a spin (a poll under a mutex): held at the read
  // alone, the poller would be held only while it owns the lock, where nobody else can run.
  t.spin_pending = reading(kind)
                       ? rereads_unchanged(t)
                       : (kind == rt::op::lock || kind == rt::op::lock_shared) && in_spin(t);
  if (t.spin_pending) t.yield_mark = out_.steps.size();
  decide();
  if (aborted_here(may_throw(kind))) return;
  t.spin_pending = false;
  // Chosen: what the step does to the spin state. Reads and writes are told by their hooks
  // once their effect is known (note_access); a yield or the thread's own lock/unlock changes
  // nothing it waits for (a poll under a lock is still a spin); anything else is progress.
  switch (kind) {
    case rt::op::yield:
    case rt::op::sleep:
    case rt::op::lock:
    case rt::op::unlock:
    case rt::op::lock_shared:
    case rt::op::unlock_shared:
    case rt::op::atomic_store:
    case rt::op::write:
      break;
    default:
      if (!reading(kind)) progress(t);
  }
}

// ---- fairness: spin detection ----

bool execution::rereads_unchanged(const model_thread& t) const {
  if (t.object == nullptr || t.object->execution != serial_ || t.object->id == 0) return false;
  const std::uint32_t id = t.object->id;
  return std::any_of(t.seen.begin(), t.seen.end(), [&](const model_thread::seen_read& r) {
    return r.object == id && r.version == versions_[id] && same_site(r.where, t.where);
  });
}

void execution::progress(model_thread& t) {
  t.seen.clear();
  t.rereads = 0;
  t.spin_object = 0;
}

void execution::note_access(std::uint32_t object, bool changed) {
  model_thread& t = me();
  if (changed) {
    ++versions_[object];
    progress(t);
    return;
  }
  for (const auto& r : t.seen) {
    if (r.object != object || !same_site(r.where, t.where)) continue;
    if (r.version == versions_[object]) {
      ++t.rereads;
      t.spin_object = object;
      t.spin_where = t.where;
      return;
    }
    progress(t);  // written since it last looked: what it waited for may have happened
    break;
  }
  t.seen.push_back({object, versions_[object], t.where});
}

bool execution::in_spin(const model_thread& t) const {
  return t.rereads > 0 &&
         std::all_of(t.seen.begin(), t.seen.end(), [&](const model_thread::seen_read& r) {
           return r.version == versions_[r.object];
         });
}

bool execution::holds_back(const model_thread& t) const {
  if (t.pending == rt::op::yield || t.pending == rt::op::sleep) return true;
  if (!t.spin_pending) return false;
  return reading(t.pending) ? rereads_unchanged(t) : in_spin(t);
}

bool execution::livelock_evidence(std::vector<std::string>& details) const {
  bool any = false;
  std::vector<std::string> blocked;
  for (const auto& p : threads_) {
    const model_thread& t = *p;
    if (t.finished) continue;
    if (!can_run(t)) {
      blocked.push_back(thread_label(t.id) + " blocked in " + doing(t));
      continue;
    }
    any = true;
    if (!in_spin(t) || !holds_back(t)) return false;
    std::string line = thread_label(t.id) + " spins re-reading " +
                       out_.object_labels[t.spin_object] + " at " + base_name(t.spin_where.file) +
                       ":" + std::to_string(t.spin_where.line) + " (" + std::to_string(t.rereads) +
                       " re-reads of unchanged memory";
    if (t.seen.size() > 1) {
      line += "; it reads";
      for (const auto& r : t.seen) {
        line += " " + out_.object_labels[r.object] + "@" + base_name(r.where.file) + ":" +
                std::to_string(r.where.line);
      }
    }
    line += ")";
    if (!t.held.empty()) {
      line += ", holding";
      for (auto id : t.held) line += " " + out_.object_labels[id];
    }
    details.push_back(std::move(line));
  }
  details.insert(details.end(), blocked.begin(), blocked.end());
  return any;
}

bool execution::spinners_wait_for_deadlock() {
  const std::string cycle = wait_cycle();  // first: cheaper, and rarely there
  if (cycle.empty()) return false;
  std::vector<std::string> details;
  if (!livelock_evidence(details)) return false;
  // The spinners wait for threads that wait for each other: the deadlock is the bug, the spin
  // only what it looks like from outside. A wait-for cycle never resolves, so this needs no
  // step bound.
  details.push_back("wait-for cycle: " + cycle);
  abort_execution("deadlock",
                  "threads are deadlocked: " + cycle +
                      "; every other thread that can run spins waiting for them",
                  std::move(details));
  return true;
}

void execution::step_bound_reached() {
  if (spinners_wait_for_deadlock()) return;
  std::vector<std::string> details;
  if (livelock_evidence(details)) {
    abort_execution("livelock",
                    "every thread that can run spins re-reading memory that no thread writes (" +
                        std::to_string(out_.steps.size()) +
                        " steps): none can release another, a livelock (not a deadlock)",
                    std::move(details));
  } else {
    // Threads still make progress (write, lock, notify...) or the spin is not provably
    // stuck: the bound says nothing about the program. Not a failure; counted by explore().
    out_.inconclusive = true;
    aborting_ = true;
  }
}

bool execution::can_run(const model_thread& t) const {
  if (t.finished) return false;
  switch (t.pending) {
    case rt::op::lock:
      return (t.mutex->owner == -1 && t.mutex->readers == 0) ||
             (t.mutex->kind == rt::mutex_kind::recursive && t.mutex->owner == t.id);
    case rt::op::lock_shared:
      return t.mutex->owner == -1;
    case rt::op::join:
      return threads_[static_cast<std::size_t>(t.target)]->finished;
    case rt::op::wake:
      return (t.notified || t.timed) && t.mutex->owner == -1 && t.mutex->readers == 0;
    case rt::op::latch_wait:
    case rt::op::barrier_wait:
    case rt::op::once_wait:
    case rt::op::atomic_wait:
      return t.ready(t.ready_arg);
    default:
      return true;
  }
}

void execution::compute_enabled() {
  enabled_.clear();
  spurious_candidates_.clear();
  for (auto& p : threads_) {
    const model_thread& t = *p;
    if (!can_run(t)) continue;
    if (holds_back(t)) {
      // A fair yield: the yielding (or spinning) thread waits until every other thread that
      // can run has taken a step since, so spinning threads cannot starve the one they wait
      // for. Other yielders count too: two threads spinning on each other's flags must take
      // turns, or the default (non-preemptive) schedule runs one of them into the step
      // bound. When everybody holds everybody back, the fallback below lets them all go.
      const bool held = std::any_of(threads_.begin(), threads_.end(), [&](const auto& u) {
        return u.get() != &t && can_run(*u) && u->last_step <= t.yield_mark;
      });
      if (held) continue;
    }
    enabled_.push_back(t.id);
  }
  if (enabled_.empty()) {
    // Only yielders that hold each other back: let them all go.
    for (auto& p : threads_) {
      if (can_run(*p)) enabled_.push_back(p->id);
    }
  }
  // Every thread that can run yields or spins (held back or not: a lone spinner has nobody
  // to wait for), the condition under which a wait-for cycle among the others is final.
  all_held_ = !enabled_.empty() &&
              std::all_of(threads_.begin(), threads_.end(),
                          [&](const auto& p) { return !can_run(*p) || holds_back(*p); });
  if (spurious_left_ > 0 && !enabled_.empty()) {
    // A spurious wake-up is offered only while some thread can run for real, so it never
    // hides a deadlock or a lost wake-up.
    for (auto& p : threads_) {
      const model_thread& t = *p;
      if (!t.finished && t.pending == rt::op::wake && !t.notified && !t.timed &&
          t.mutex->owner == -1 && t.mutex->readers == 0) {
        spurious_candidates_.push_back(t.id);
        enabled_.push_back(t.id);
      }
    }
    std::sort(enabled_.begin(), enabled_.end());
  }
}

void execution::decide() {
  model_thread& cur = me();
  if (out_.steps.size() >= opts_.max_steps) {
    step_bound_reached();
    leave_to_host(cur.finished);
    return;
  }
  compute_enabled();
  if (all_held_ && spinners_wait_for_deadlock()) {
    leave_to_host(cur.finished);
    return;
  }
  if (enabled_.empty()) {
    bool all_done =
        std::all_of(threads_.begin(), threads_.end(), [](const auto& t) { return t->finished; });
    if (!all_done) blocked_failure();
    leave_to_host(cur.finished);
    return;
  }
  const bool cur_enabled =
      !cur.finished && std::find(enabled_.begin(), enabled_.end(), cur.id) != enabled_.end();
  decision_point d{out_.decisions.size(),
                   &enabled_,
                   cur.finished ? -1 : cur.id,
                   cur_enabled,
                   static_cast<int>(out_.preemptions),
                   static_cast<int>(threads_.size())};
  int next = strategy_.pick(d);
  if (std::find(enabled_.begin(), enabled_.end(), next) == enabled_.end()) {
    next = default_choice(d);
  }
  model_thread& n = *threads_[static_cast<std::size_t>(next)];
  const bool preempted = cur_enabled && next != cur.id;
  if (preempted) ++out_.preemptions;
  if (n.pending == rt::op::wake && !n.notified && !n.timed) --spurious_left_;
  out_.decisions.push_back(next);
  n.last_step = out_.steps.size() + 1;
  executed_step s;
  s.thread = next;
  s.kind = n.pending;
  s.object = n.object != nullptr ? n.object->id : 0;
  s.target = n.target;
  s.file = n.where.file;
  s.line = n.where.line;
  s.preemption = preempted;
  s.by_default = next == default_choice(d);
  out_.steps.push_back(s);
  if (next != cur.id) switch_to(next);
}

void execution::switch_to(int next) {
  model_thread& from = me();
  current_ = next;
  fiber::switch_to(*from.context, *threads_[static_cast<std::size_t>(next)]->context,
                   from.finished);
  // Resumed: whoever switched here set current_ to this thread.
}

std::string execution::doing(const model_thread& t) const {
  std::string what = rt::op_name(t.pending);
  if (t.object != nullptr && t.object->id < out_.object_labels.size() && t.object->id != 0) {
    what += " " + out_.object_labels[t.object->id];
  }
  if (t.pending == rt::op::join) what += " " + thread_label(t.target);
  what += " at " + base_name(t.where.file) + ":" + std::to_string(t.where.line);
  if (!t.held.empty()) {
    what += ", holding";
    for (auto id : t.held) what += " " + out_.object_labels[id];
  }
  return what;
}

std::string execution::wait_cycle() const {
  // The wait-for graph: a thread waiting for a mutex waits for its owner, a joiner for the
  // joined thread. A cycle in it is the deadlock.
  auto waits_for = [&](const model_thread& t, std::string& via) -> int {
    if ((t.pending == rt::op::lock || t.pending == rt::op::lock_shared) && t.mutex->owner >= 0) {
      via = out_.object_labels[t.mutex->id];
      return t.mutex->owner;
    }
    if (t.pending == rt::op::join) {
      via = "join";
      return t.target;
    }
    return -1;
  };
  std::string cycle_text;
  for (auto& start : threads_) {
    if (start->finished || !cycle_text.empty()) continue;
    std::vector<int> path;
    int at = start->id;
    while (at >= 0 && std::find(path.begin(), path.end(), at) == path.end()) {
      path.push_back(at);
      std::string via;
      at = waits_for(*threads_[static_cast<std::size_t>(at)], via);
    }
    if (at >= 0) {  // came back to a thread on the path: a cycle from `at`
      int x = at;
      do {
        std::string via;
        int y = waits_for(*threads_[static_cast<std::size_t>(x)], via);
        cycle_text += thread_label(x) + " waits for " + via + " held by ";
        x = y;
      } while (x != at);
      cycle_text += thread_label(at);
    }
  }
  return cycle_text;
}

void execution::blocked_failure() {
  std::vector<std::string> details;
  bool on_lock = false, on_cv = false;
  for (auto& t : threads_) {
    if (t->finished) continue;
    details.push_back(thread_label(t->id) + " blocked in " + doing(*t));
    if (t->pending == rt::op::lock || t->pending == rt::op::lock_shared) on_lock = true;
    if (t->pending == rt::op::wake) on_cv = true;
  }
  const std::string cycle_text = wait_cycle();
  if (!cycle_text.empty()) details.push_back("wait-for cycle: " + cycle_text);
  if (on_cv && !on_lock) {
    abort_execution("lost-wakeup",
                    "every live thread is blocked and the ones waiting on condition variables "
                    "will never be notified (lost wake-up)",
                    std::move(details));
  } else {
    abort_execution(
        "deadlock",
        "every live thread is blocked" + (cycle_text.empty() ? std::string() : ": " + cycle_text),
        std::move(details));
  }
}

// ---- vector clocks: which shared accesses race ----

void execution::acquire_clock(std::uint32_t object) {
  merge(me().clock, object_clock_[object]);
}

void execution::release_clock(std::uint32_t object) {
  model_thread& t = me();
  merge(object_clock_[object], t.clock);
  if (t.clock.size() <= static_cast<std::size_t>(t.id)) t.clock.resize(t.id + 1, 0);
  ++t.clock[static_cast<std::size_t>(t.id)];
}

void execution::release_store_clock(std::uint32_t object) {
  object_clock_[object].clear();
  release_clock(object);
}

std::size_t execution::check_race(std::uint32_t object, bool write) {
  model_thread& t = me();
  location& loc = locations_[object];
  const std::size_t step = out_.steps.size() - 1;
  auto concurrent = [&](const access_record& a) {
    if (a.thread < 0 || a.thread == t.id) return false;
    const auto u = static_cast<std::size_t>(a.thread);
    return a.clock > (u < t.clock.size() ? t.clock[u] : 0);
  };
  std::size_t earlier = no_race;
  auto mark = [&](const access_record& a) {
    out_.steps[a.step].racy = true;
    out_.steps[step].racy = true;
    if (earlier == no_race) earlier = a.step;
  };
  if (concurrent(loc.last_write)) mark(loc.last_write);
  if (write) {
    for (const auto& r : loc.reads) {
      if (concurrent(r)) mark(r);
    }
  }
  const auto self = static_cast<std::size_t>(t.id);
  if (t.clock.size() <= self) t.clock.resize(self + 1, 0);
  access_record rec{t.id, t.clock[self], step};
  if (write) {
    loc.last_write = rec;
  } else {
    if (loc.reads.size() <= self) loc.reads.resize(self + 1);
    loc.reads[self] = rec;
  }
  return earlier;
}

void execution::race_failure(std::size_t earlier) {
  const std::size_t later = out_.steps.size() - 1;
  auto describe = [&](std::size_t i) {
    const executed_step& s = out_.steps[i];
    trace_step a;
    a.step = i;
    a.thread = s.thread;
    a.operation = std::string(rt::op_name(s.kind)) + " " + out_.object_labels[s.object];
    a.file = base_name(s.file);
    a.line = s.line;
    a.racy = true;
    a.preemption = s.preemption;
    return a;
  };
  std::vector<trace_step> accesses{describe(later), describe(earlier)};
  auto text = [&](const trace_step& a) {
    return thread_label(a.thread) + " " + a.operation + " at " + a.file + ":" +
           std::to_string(a.line);
  };
  const std::string object = out_.object_labels[out_.steps[later].object];
  std::string message = "data race on " + object + ": " + text(accesses[0]) + " and " +
                        text(accesses[1]) + " are not ordered by happens-before";
  std::vector<std::string> details{
      text(accesses[0]) + " (step " + std::to_string(later) + ", the racing access)",
      text(accesses[1]) + " (step " + std::to_string(earlier) + ", the earlier access)"};
  const bool first = !out_.failed;
  abort_execution("data-race", message, std::move(details));
  if (first) out_.what.accesses = std::move(accesses);
  // Like TSan, at the racing access: the interleaving ends here, before the access is made.
  leave_to_host(false);
  aborted_here(true);
}

// ---- the hooks ----

int execution::spawn(std::function<void()> body, source_loc where) {
  if (aborted_here(true)) return -1;
  announce(rt::op::spawn, nullptr, where);
  auto t = std::make_unique<model_thread>();
  t->id = static_cast<int>(threads_.size());
  t->body = std::move(body);
  t->context = std::make_unique<fiber>(&execution::thread_entry, opts_.stack_size);
  t->clock = me().clock;
  if (t->clock.size() <= static_cast<std::size_t>(t->id)) t->clock.resize(t->id + 1, 0);
  t->clock[static_cast<std::size_t>(t->id)] = 1;
  t->last_user = me().last_user;
  t->where = me().last_user;
  out_.steps.back().target = t->id;
  ++me().clock[static_cast<std::size_t>(current_)];
  threads_.push_back(std::move(t));
  return static_cast<int>(threads_.size()) - 1;
}

void execution::join(int thread, bool from_destructor, source_loc where) {
  struct quiet {
    bool& flag;
    bool old;
    ~quiet() { flag = old; }
  } guard{no_throw_, no_throw_};
  no_throw_ = no_throw_ || from_destructor;
  if (aborted_here(true)) return;
  if (thread < 0 || thread >= static_cast<int>(threads_.size()) || thread == current_) {
    abort_execution("mutex-misuse", thread_label(current_) + " joins itself or no thread", {});
    leave_to_host(false);
    aborted_here(true);
  }
  me().target = thread;
  announce(rt::op::join, nullptr, where);
  if (aborting_) return;
  model_thread& t = *threads_[static_cast<std::size_t>(thread)];
  t.joined = true;
  merge(me().clock, t.clock);
}

void execution::detach(int thread, source_loc where) {
  if (aborted_here(false)) return;
  me().target = thread;
  announce(rt::op::detach, nullptr, where);
  if (aborting_) return;
  threads_[static_cast<std::size_t>(thread)]->detached = true;
}

void execution::destroyed_joinable(int thread, source_loc where) {
  if (aborting_) return;
  (void)where;
  abort_execution("unjoined-thread",
                  thread_label(thread) +
                      "'s thread object was destroyed while joinable (a real "
                      "build calls std::terminate)",
                  {thread_label(thread) + ": " + doing(*threads_[static_cast<std::size_t>(thread)]),
                   "destroyed at " + base_name(where.file) + ":" + std::to_string(where.line)});
  leave_to_host(false);
  aborted_here(false);
}

void execution::lock(rt::mutex_core& m, bool shared, source_loc where) {
  if (aborted_here(true)) return;
  reset_if_new(m);
  const char* kind = m.kind == rt::mutex_kind::plain       ? "mutex"
                     : m.kind == rt::mutex_kind::recursive ? "recursive_mutex"
                                                           : "shared_mutex";
  const std::uint32_t id = object_number(m, kind);
  model_thread& t = me();
  if (m.owner == t.id && m.kind != rt::mutex_kind::recursive) {
    abort_execution(
        "mutex-misuse",
        thread_label(t.id) + " locks " + out_.object_labels[id] +
            ", which it already holds (not a recursive mutex: a real build "
            "deadlocks or fails)",
        {thread_label(t.id) + " at " + base_name(where.file) + ":" + std::to_string(where.line)});
    leave_to_host(false);
    aborted_here(true);
  }
  t.mutex = &m;
  announce(shared ? rt::op::lock_shared : rt::op::lock, &m, where);
  if (shared) {
    ++m.readers;
  } else {
    m.owner = t.id;
    ++m.depth;
  }
  t.held.push_back(id);
  acquire_clock(id);
  ++versions_[id];  // its state changed for a thread that polls it with try_lock
}

bool execution::try_lock(rt::mutex_core& m, bool shared, source_loc where) {
  if (aborted_here(true)) return false;
  reset_if_new(m);
  const std::uint32_t id =
      object_number(m, m.kind == rt::mutex_kind::shared      ? "shared_mutex"
                       : m.kind == rt::mutex_kind::recursive ? "recursive_mutex"
                                                             : "mutex");
  model_thread& t = me();
  t.mutex = &m;
  announce(shared ? rt::op::try_lock_shared : rt::op::try_lock, &m, where);
  bool ok = shared ? m.owner == -1
                   : (m.owner == -1 && m.readers == 0) ||
                         (m.kind == rt::mutex_kind::recursive && m.owner == t.id);
  note_access(id, ok);  // a failed try_lock reads the mutex; a success changes it
  if (!ok) return false;
  if (shared) {
    ++m.readers;
  } else {
    m.owner = t.id;
    ++m.depth;
  }
  t.held.push_back(id);
  acquire_clock(id);
  return true;
}

void execution::unlock(rt::mutex_core& m, bool shared, source_loc where) {
  if (aborting_) return;
  reset_if_new(m);
  const std::uint32_t id =
      object_number(m, m.kind == rt::mutex_kind::shared      ? "shared_mutex"
                       : m.kind == rt::mutex_kind::recursive ? "recursive_mutex"
                                                             : "mutex");
  model_thread& t = me();
  announce(shared ? rt::op::unlock_shared : rt::op::unlock, &m, where);
  if (aborting_) return;
  const bool owned =
      shared ? m.readers > 0 && std::find(t.held.begin(), t.held.end(), id) != t.held.end()
             : m.owner == t.id;
  if (!owned) {
    abort_execution(
        "mutex-misuse",
        thread_label(t.id) + " unlocks " + out_.object_labels[id] + ", which it does not hold" +
            (m.owner >= 0 ? " (held by " + thread_label(m.owner) + ")" : " (not locked)"),
        {thread_label(t.id) + " at " + base_name(where.file) + ":" + std::to_string(where.line)});
    leave_to_host(false);
    return;
  }
  release_clock(id);
  ++versions_[id];
  t.held.erase(std::find(t.held.begin(), t.held.end(), id));
  if (shared) {
    --m.readers;
  } else if (--m.depth == 0) {
    m.owner = -1;
  }
}

bool execution::wait(rt::cv_core& cv, rt::mutex_core& m, bool timed, source_loc where) {
  if (aborted_here(true)) return false;
  reset_if_new(m);
  const std::uint32_t cv_id = object_number(cv, "condition_variable");
  const std::uint32_t m_id = object_number(m, "mutex");
  model_thread& t = me();
  if (m.owner != t.id) {
    abort_execution("mutex-misuse",
                    thread_label(t.id) + " waits on " + out_.object_labels[cv_id] +
                        " without holding " + out_.object_labels[m_id],
                    {});
    leave_to_host(false);
    aborted_here(true);
  }
  announce(rt::op::wait, &cv, where);
  // The wait step: release the mutex and join the waiters, as one atomic step.
  release_clock(m_id);
  const int depth = m.depth;
  m.owner = -1;
  m.depth = 0;
  t.held.erase(std::find(t.held.begin(), t.held.end(), m_id));
  cv_waiters_[cv_id].push_back(t.id);
  t.notified = false;
  t.timed = timed;
  t.mutex = &m;
  // The wake step: enabled once notified (or timed out, or spuriously), with the mutex free.
  t.pending = rt::op::wake;
  t.object = &cv;
  decide();
  const bool notified = t.notified;
  auto& waiters = cv_waiters_[cv_id];
  waiters.erase(std::remove(waiters.begin(), waiters.end(), t.id), waiters.end());
  t.notified = false;
  t.timed = false;
  if (aborted_here(true)) return false;
  m.owner = t.id;
  m.depth = depth;
  t.held.push_back(m_id);
  acquire_clock(m_id);
  acquire_clock(cv_id);
  return notified;
}

void execution::notify(rt::cv_core& cv, bool all, source_loc where) {
  if (aborting_) return;
  const std::uint32_t id = object_number(cv, "condition_variable");
  announce(all ? rt::op::notify_all : rt::op::notify_one, &cv, where);
  if (aborting_) return;
  release_clock(id);
  // notify_one wakes the longest waiter that is not already notified (a fair choice; the
  // standard leaves it open, and the model does not branch on it).
  for (int w : cv_waiters_[id]) {
    model_thread& t = *threads_[static_cast<std::size_t>(w)];
    if (t.notified) continue;
    t.notified = true;
    if (!all) break;
  }
}

void execution::access(rt::object_core& object, rt::op kind, source_loc where) {
  if (aborted_here(true)) return;
  const bool plain = kind == rt::op::read || kind == rt::op::write;
  const std::uint32_t id = object_number(object, plain ? "shared" : "atomic");
  announce(kind, &object, where);
  if (plain) {
    const std::size_t earlier = check_race(id, kind == rt::op::write);
    if (earlier != no_race && opts_.data_races) race_failure(earlier);
    note_access(id, kind == rt::op::write);  // a plain write always counts as a change
  }
  // An atomic's happens-before effect follows in atomic_sync, once its order is known.
}

// Happens-before of atomics, following C++20 [intro.races] and [atomics.order] with the
// modification order of each atomic taken to be the order the model executes its stores in
// (values are sequentially consistent: a load reads the latest one).
//
// - A load with acquire, consume (treated as acquire), acq_rel or seq_cst order acquires the
//   atomic's clock; a relaxed load acquires nothing.
// - A store with release, acq_rel or seq_cst order heads a new release sequence: the atomic's
//   clock becomes the thread's. A relaxed store ends every release sequence (C++20: a later
//   store of the same thread no longer continues it), so the clock is cleared and a load that
//   reads it synchronises with nothing.
// - A read-modify-write continues the release sequence it reads from, whatever its order: the
//   clock is kept, so an acquire load after a chain of relaxed RMWs still synchronises with the
//   release store that headed the chain. With an acquire part it first acquires the clock;
//   with a release part it also heads a release sequence of its own, merged into the clock
//   (a later acquire reader synchronises with both heads).
// - A load never releases: two threads that only load an atomic are not ordered by it.
// Fences (atomic_thread_fence) are not part of the cb:: facade, so there are none to model.
// seq_cst adds nothing to happens-before beyond acq_rel here: its single total order matters
// for which values loads may read, and the model's values are sequentially consistent anyway.
void execution::atomic_sync(rt::object_core& object, rt::op kind, std::memory_order order,
                            bool changed) {
  if (aborting_ || current_ < 0) return;
  const std::uint32_t id = object_number(object, "atomic");
  note_access(id, (kind == rt::op::atomic_store || kind == rt::op::atomic_rmw) && changed);
  const bool acquires = order == std::memory_order_acquire || order == std::memory_order_consume ||
                        order == std::memory_order_acq_rel || order == std::memory_order_seq_cst;
  const bool releases = order == std::memory_order_release || order == std::memory_order_acq_rel ||
                        order == std::memory_order_seq_cst;
  switch (kind) {
    case rt::op::atomic_load:
      if (acquires) acquire_clock(id);
      break;
    case rt::op::atomic_store:
      if (releases) {
        release_store_clock(id);
      } else {
        object_clock_[id].clear();
      }
      break;
    case rt::op::atomic_rmw:
      if (acquires) acquire_clock(id);
      if (releases) release_clock(id);
      break;
    default:
      break;
  }
}

void execution::block_until(rt::object_core& object, rt::op kind, rt::ready_fn ready,
                            const void* arg, source_loc where) {
  if (aborted_here(true)) return;
  const char* cls = kind == rt::op::latch_wait     ? "latch"
                    : kind == rt::op::barrier_wait ? "barrier"
                    : kind == rt::op::once_wait    ? "once_flag"
                                                   : "atomic";
  const std::uint32_t id = object_number(object, cls);
  model_thread& t = me();
  t.ready = ready;
  t.ready_arg = arg;
  announce(kind, &object, where);
  // An atomic's wait is a load, synchronised by the facade with the order it names.
  if (kind == rt::op::atomic_wait) return;
  acquire_clock(id);
  release_clock(id);
}

void execution::point(rt::object_core* object, rt::op kind, source_loc where) {
  if (aborted_here(may_throw(kind))) return;
  std::uint32_t id = 0;
  if (object != nullptr) {
    const char* cls = kind == rt::op::latch_count_down ? "latch"
                      : kind == rt::op::barrier_arrive ? "barrier"
                      : kind == rt::op::once_enter     ? "once_flag"
                                                       : "atomic";
    id = object_number(*object, cls);
  }
  announce(kind, object, where);
  // notify_one/notify_all order nothing in C++: the store before them publishes, or not.
  if (id != 0 && !aborting_ && kind != rt::op::atomic_notify) {
    acquire_clock(id);
    release_clock(id);
  }
}

void execution::fail(const char* kind, const char* message, source_loc where) {
  if (!aborting_) {
    std::vector<std::string> details;
    if (where.line > 0) {
      details.push_back(thread_label(current_) + " at " + base_name(where.file) + ":" +
                        std::to_string(where.line));
    }
    abort_execution(kind, message, std::move(details));
  }
  throw execution_aborted{};
}

// ---- traces ----

std::vector<trace_step> make_trace(const execution_outcome& o) {
  std::vector<trace_step> trace;
  trace.reserve(o.steps.size());
  for (std::size_t i = 0; i < o.steps.size(); ++i) {
    const executed_step& s = o.steps[i];
    trace_step t;
    t.step = i;
    t.thread = s.thread;
    t.operation = rt::op_name(s.kind);
    if (s.object != 0 && s.object < o.object_labels.size()) {
      t.operation += " " + o.object_labels[s.object];
    }
    if (s.kind == rt::op::spawn || s.kind == rt::op::join || s.kind == rt::op::detach) {
      if (s.target >= 0) t.operation += " thread " + std::to_string(s.target);
    }
    t.file = s.file == nullptr ? "" : s.file;
    t.line = s.line;
    if (s.kind == rt::op::start && t.line == 0) {
      // A thread's start has no call site of its own: show where its first operation is.
      for (std::size_t j = i + 1; j < o.steps.size(); ++j) {
        if (o.steps[j].thread == s.thread) {
          t.file = o.steps[j].file == nullptr ? "" : o.steps[j].file;
          t.line = o.steps[j].line;
          break;
        }
      }
    }
    t.racy = s.racy;
    t.preemption = s.preemption;
    trace.push_back(std::move(t));
  }
  return trace;
}

}  // namespace cb::model::detail
