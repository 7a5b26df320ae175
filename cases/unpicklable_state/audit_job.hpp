// audit_job.hpp - the object both variants of unpicklable_state hand to a worker process.
//
// An audit job is an ordinary in-process object: a lock guarding it, the owner's name, the
// account's transactions and the balance they should add up to. Its bytes are only meaningful
// inside the process that built it: the mutex's state word belongs to this process's threads,
// and the std::string and std::vector hold pointers into this process's heap.
#pragma once

#include <casebook/sync.hpp>

#include <cstdint>
#include <numeric>
#include <string>
#include <vector>

struct audit_job {
  cb::mutex lock;  // guards the fields below against the dispatcher's other threads
  std::string owner;
  std::vector<std::int64_t> transactions;  // cents; a pointer to the heap, plus sizes
  std::int64_t balance_cents = 0;
};

// What a worker answers for each job.
struct audit_reply {
  std::int64_t job = 0;
  std::int64_t sum_cents = 0;
  bool balanced = false;
};

// Job i: `count` transactions drawn from a simple generator, and the matching balance.
inline void fill_job(audit_job& job, std::int64_t i, std::uint64_t seed, std::int64_t count) {
  // A name too long for the small-string buffer, so it really lives on the heap.
  job.owner = "account holder number " + std::to_string(i) + " of the audit batch";
  job.transactions.clear();
  std::uint64_t x = seed * 6364136223846793005ULL + static_cast<std::uint64_t>(i) + 1;
  for (std::int64_t t = 0; t < count; ++t) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    job.transactions.push_back(static_cast<std::int64_t>(x >> 40) % 20000 - 10000);
  }
  job.balance_cents =
      std::accumulate(job.transactions.begin(), job.transactions.end(), std::int64_t{0});
}

// The worker's audit: do the transactions add up to the balance?
inline audit_reply audit(audit_job& job, std::int64_t index) {
  cb::lock_guard hold(job.lock);
  const std::int64_t sum =
      std::accumulate(job.transactions.begin(), job.transactions.end(), std::int64_t{0});
  return {index, sum, sum == job.balance_cents && !job.owner.empty()};
}
