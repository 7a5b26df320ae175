// primes.hpp - the prime-sum work shared by primes.cpp and gil.cpp: sum the primes <= L/3,
// <= 2L/3 and <= L (the lectures' 1M, 2M and 3M for L = 3M) by trial division, as three tasks
// or as many small units, and the exact answers to check them against.
//
// Trial division is deliberately slow (about n^1.5 / ln n work for a limit n): the point is CPU
// work that splits cleanly, not a fast prime sum. The reference answer comes from a different
// algorithm (a sieve), so a bug in the trial division cannot agree with itself.
#pragma once

#include <benchmark/benchmark.h>

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace casebook::bench {

constexpr int kPrimeTasks = 3;
using prime_sums = std::array<std::uint64_t, kPrimeTasks>;  // one sum per task

// The limit of task t (0, 1, 2) for the largest limit `limit`.
inline std::uint32_t task_limit(std::int64_t limit, int t) {
  return static_cast<std::uint32_t>(limit * (t + 1) / kPrimeTasks);
}

// Trial division by 2, 3 and then 6k-1, 6k+1: every prime above 3 has that form.
inline bool is_prime(std::uint32_t n) {
  if (n < 4) return n >= 2;
  if (n % 2 == 0 || n % 3 == 0) return false;
  for (std::uint32_t d = 5; d * d <= n; d += 6)
    if (n % d == 0 || n % (d + 2) == 0) return false;
  return true;
}

// Sum of the primes in [lo, hi].
inline std::uint64_t sum_primes(std::uint32_t lo, std::uint32_t hi) {
  std::uint64_t sum = 0;
  for (std::uint32_t n = lo; n <= hi; ++n)
    if (is_prime(n)) sum += n;
  return sum;
}

// The per-task sums of several workers' shares, added up.
inline prime_sums add_sums(const std::vector<prime_sums>& parts) {
  prime_sums total{};
  for (const auto& part : parts)
    for (std::size_t t = 0; t < total.size(); ++t) total[t] += part[t];
  return total;
}

// A unit of work: the numbers [lo, hi] of one task.
struct prime_unit {
  int task;
  std::uint32_t lo;
  std::uint32_t hi;
};

// Every task cut into units of `block` numbers, tasks one after another. Worker w of k takes
// units w, w+k, w+2k, ...: neighbouring units cost about the same, so the shares stay even
// without any shared counter (which processes would need shared memory for).
inline std::vector<prime_unit> prime_units(std::int64_t limit, std::uint32_t block) {
  std::vector<prime_unit> units;
  for (int t = 0; t < kPrimeTasks; ++t) {
    const std::uint32_t top = task_limit(limit, t);
    for (std::uint32_t lo = 2; lo <= top; lo += block)
      units.push_back({t, lo, top - lo < block ? top : lo + block - 1});
  }
  return units;
}

// The exact sums, by a sieve of Eratosthenes; memoised per limit (benchmark thread only).
inline const prime_sums& reference_sums(std::int64_t limit) {
  static std::map<std::int64_t, prime_sums> memo;
  auto [it, fresh] = memo.try_emplace(limit);
  if (fresh) {
    const std::uint32_t top = task_limit(limit, kPrimeTasks - 1);
    std::vector<bool> composite(top + 1u, false);
    for (std::uint64_t p = 2; p * p <= top; ++p)
      if (!composite[p])
        for (std::uint64_t m = p * p; m <= top; m += p) composite[m] = true;
    for (int t = 0; t < kPrimeTasks; ++t)
      for (std::uint32_t n = 2; n <= task_limit(limit, t); ++n)
        if (!composite[n]) it->second[static_cast<std::size_t>(t)] += n;
  }
  return it->second;
}

// The well-known sums (Project Euler 10 and its smaller sibling), to check the sieve itself.
inline constexpr std::uint64_t kSumPrimesTo1M = 37'550'402'023ULL;
inline constexpr std::uint64_t kSumPrimesTo2M = 142'913'828'922ULL;

// Numbers tested per run: the items of items_per_second.
inline std::int64_t prime_items(std::int64_t limit) {
  std::int64_t items = 0;
  for (int t = 0; t < kPrimeTasks; ++t) items += task_limit(limit, t) - 1;
  return items;
}

// Fails the run unless `got` holds the exact sums (and the sieve agrees with the known ones).
inline void check_prime_sums(benchmark::State& state, const prime_sums& got, std::int64_t limit) {
  const prime_sums& want = reference_sums(limit);
  for (int t = 0; t < kPrimeTasks; ++t) {
    const std::uint32_t top = task_limit(limit, t);
    const std::uint64_t expected = want[static_cast<std::size_t>(t)];
    if ((top == 1'000'000 && expected != kSumPrimesTo1M) ||
        (top == 2'000'000 && expected != kSumPrimesTo2M))
      return state.SkipWithError("the reference sieve disagrees with the known prime sums");
    if (got[static_cast<std::size_t>(t)] != expected)
      return state.SkipWithError(("sum of primes <= " + std::to_string(top) + " is " +
                                  std::to_string(got[static_cast<std::size_t>(t)]) + ", not " +
                                  std::to_string(expected))
                                     .c_str());
  }
}

}  // namespace casebook::bench
