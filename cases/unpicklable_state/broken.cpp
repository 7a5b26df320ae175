// unpicklable_state, broken: a dispatcher starts a worker process, then hands it audit jobs
// by writing each job object's bytes into a pipe. C++ lets it: the bytes of any object can be
// written anywhere. But a job holds a mutex, a std::string and a std::vector, and their bytes
// only mean something in the process that made them. The dispatcher holds the job's lock
// while it sends (so no other thread changes the job mid-send), so the worker receives a
// mutex that says "locked" by a thread it does not have, and blocks on it forever.
#include <sys/wait.h>
#include <unistd.h>
#include <casebook/case.hpp>
#include <casebook/sync.hpp>

#include <cstdint>
#include <new>
#include <string>

#include "audit_job.hpp"

namespace {

// The worker: receives raw job bytes, treats them as a job, audits it, answers.
[[noreturn]] void worker(int jobs_in, int replies_out) {
  for (std::int64_t index = 0;; ++index) {
    alignas(audit_job) unsigned char bytes[sizeof(audit_job)];
    if (::read(jobs_in, bytes, sizeof bytes) != static_cast<ssize_t>(sizeof bytes)) _exit(0);
    // BUG: these bytes are the dispatcher's object, not one of ours. Its mutex was locked by a
    // dispatcher thread when it was copied, and its string and vector point into the
    // dispatcher's heap. audit() locks the copied mutex first, and waits forever.
    auto& job = *std::launder(reinterpret_cast<audit_job*>(bytes));
    const audit_reply reply = audit(job, index);  // casebook-bug: locks a copied, held mutex: hangs
    if (::write(replies_out, &reply, sizeof reply) != static_cast<ssize_t>(sizeof reply)) _exit(1);
  }
}

cb::outcome run(const cb::params& p) {
  int to_worker[2], from_worker[2];
  if (::pipe(to_worker) != 0 || ::pipe(from_worker) != 0) {
    return cb::outcome::equal("pipes created", std::string("no"), std::string("yes"));
  }
  // The pool starts first and lives long, as worker pools do: the jobs are built afterwards,
  // in memory the worker's copy of the address space never had.
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::close(to_worker[1]);
    ::close(from_worker[0]);
    worker(to_worker[0], from_worker[1]);
  }
  ::close(to_worker[0]);
  ::close(from_worker[1]);

  std::int64_t balanced = 0;
  for (std::int64_t i = 0; i < p.iterations; ++i) {
    audit_job job;
    fill_job(job, i, p.seed, p.get("transactions", 16));
    {
      cb::lock_guard hold(job.lock);  // no one may change the job while it is sent
      // casebook-bug: the bytes, mutex state and heap pointers included, go to another process.
      if (::write(to_worker[1], &job, sizeof job) != static_cast<ssize_t>(sizeof job)) break;
    }
    audit_reply reply{};
    if (::read(from_worker[0], &reply, sizeof reply) != static_cast<ssize_t>(sizeof reply)) break;
    balanced += reply.balanced ? 1 : 0;
  }
  ::close(to_worker[1]);
  ::close(from_worker[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);

  cb::outcome o = cb::outcome::equal("every job audited and balanced", balanced, p.iterations);
  o.note = "worker exit status " + std::to_string(status);
  return o;
}

}  // namespace

CASEBOOK_VARIANT({
    .title = "audit jobs (a mutex, a string, a vector) are sent to a worker process as raw bytes",
    .category = "process",
    .expectations =
        {cb::expect::hang_skips_valgrind("helgrind"), cb::expect::hang_skips_valgrind("drd"),
         cb::expect::skip("model",
                          "a process case (fork, pipes, shared memory): the model schedules the "
                          "threads of one process, not processes"),
         cb::expect::finds("watchdog", {"hang"}), cb::expect::finds("compile", {"rejected"}),
         cb::expect::skip("invariant",
                          "the dispatcher waits forever for the blocked worker's "
                          "answer, so no outcome is ever written"),
         cb::expect::skip("tsan",
                          "the bug crosses a process boundary: TSan sees each process "
                          "alone, and the worker only blocks, so the run just hangs"),
         cb::expect::skip("asan",
                          "the worker blocks on the copied mutex before it touches "
                          "the copied heap pointers, so the run hangs with nothing "
                          "for ASan to report"),
         cb::expect::skip("property",
                          "the bug is state that cannot cross a process boundary: the broken child "
                          "hangs and the compile probe shows it; not about values")},
    .defaults = {.threads = 1, .iterations = 20, .extra = {{"transactions", 16}}},
    .timeout_seconds = 3,
    .compile_probe = "must_not_compile.cpp",
    .run = run,
});
