// unpicklable_state, fixed: the dispatcher serialises each job into a plain record (fixed-size
// text and numbers, no lock, no pointers) and sends that through cb::send_record, which refuses
// at compile time any type whose bytes cannot cross a process boundary. The worker rebuilds a
// job of its own, with its own mutex and its own heap, from the record.
#include <sys/wait.h>
#include <unistd.h>
#include <casebook/case.hpp>
#include <casebook/crossing.hpp>
#include <casebook/sync.hpp>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>

#include "audit_job.hpp"

namespace {

constexpr std::int64_t kMaxTransactions = 64;

// FIX: what crosses is plain data: the job's content, copied out under its lock.
struct audit_record {
  char owner[96];
  std::int64_t balance_cents;
  std::int64_t count;
  std::int64_t transactions[kMaxTransactions];
};
static_assert(cb::crosses_process_boundary<audit_record>);

audit_record to_record(audit_job& job) {
  cb::lock_guard hold(job.lock);
  audit_record r{};
  std::strncpy(r.owner, job.owner.c_str(), sizeof r.owner - 1);
  r.balance_cents = job.balance_cents;
  r.count =
      std::min<std::int64_t>(static_cast<std::int64_t>(job.transactions.size()), kMaxTransactions);
  std::copy_n(job.transactions.begin(), r.count, r.transactions);
  return r;
}

// The worker rebuilds a job that is entirely its own before auditing it.
void from_record(const audit_record& r, audit_job& job) {
  job.owner = r.owner;
  job.transactions.assign(r.transactions, r.transactions + r.count);
  job.balance_cents = r.balance_cents;
}

[[noreturn]] void worker(int jobs_in, int replies_out) {
  for (std::int64_t index = 0;; ++index) {
    const auto record = cb::receive_record<audit_record>(jobs_in);
    if (!record) _exit(0);
    audit_job job;
    from_record(*record, job);
    if (!cb::send_record(replies_out, audit(job, index))) _exit(1);
  }
}

cb::outcome run(const cb::params& p) {
  int to_worker[2], from_worker[2];
  if (::pipe(to_worker) != 0 || ::pipe(from_worker) != 0) {
    return cb::outcome::equal("pipes created", std::string("no"), std::string("yes"));
  }
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::close(to_worker[1]);
    ::close(from_worker[0]);
    worker(to_worker[0], from_worker[1]);
  }
  ::close(to_worker[0]);
  ::close(from_worker[1]);

  const std::int64_t transactions = std::min(p.get("transactions", 16), kMaxTransactions);
  std::int64_t balanced = 0;
  for (std::int64_t i = 0; i < p.iterations; ++i) {
    audit_job job;
    fill_job(job, i, p.seed, transactions);
    if (!cb::send_record(to_worker[1], to_record(job))) break;  // FIX: plain data only
    const auto reply = cb::receive_record<audit_reply>(from_worker[0]);
    if (!reply) break;
    balanced += reply->balanced && reply->sum_cents == job.balance_cents ? 1 : 0;
  }
  ::close(to_worker[1]);
  ::close(from_worker[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);

  cb::outcome o = cb::outcome::equal("every job audited and balanced", balanced, p.iterations);
  o.note = "worker exit status " + std::to_string(status);
  if (status != 0) o.holds = false;
  return o;
}

}  // namespace

CASEBOOK_VARIANT({
    .title = "the jobs are serialised into plain records; the worker rebuilds its own objects",
    .category = "process",
    .expectations = {cb::expect::skip("model",
                                      "a process case (fork, pipes, shared memory): the model "
                                      "schedules the threads of one process, not processes"),
                     cb::expect::skip("property",
                                      "the bug is state that cannot cross a process boundary: the "
                                      "broken child hangs and the "
                                      "compile probe shows it; not about values")},
    .defaults = {.threads = 1, .iterations = 20, .extra = {{"transactions", 16}}},
    .timeout_seconds = 3,
    .run = run,
});
