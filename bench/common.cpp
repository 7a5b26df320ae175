// common.cpp - scale, worker series and counters shared by every casebook benchmark.
#include "common.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <set>

namespace casebook::bench {

scale current_scale() {
  // Read once: registration (static initialisation) and main() must agree on the sizes.
  static const scale chosen = [] {
    const char* value = std::getenv("CASEBOOK_BENCH_SCALE");
    if (value == nullptr || *value == '\0' || std::strcmp(value, "full") == 0) return scale::full;
    if (std::strcmp(value, "short") == 0) return scale::small;
    if (std::strcmp(value, "tiny") == 0) return scale::tiny;
    std::fprintf(stderr, "CASEBOOK_BENCH_SCALE is '%s'; use tiny, short or full.\n", value);
    std::exit(2);
  }();
  return chosen;
}

const char* scale_name(scale s) {
  switch (s) {
    case scale::tiny:
      return "tiny";
    case scale::small:
      return "short";
    case scale::full:
      return "full";
  }
  return "?";
}

std::vector<std::int64_t> selected(const sizes& s) {
  switch (current_scale()) {
    case scale::tiny:
      return {s.tiny};
    case scale::small:
      return {s.small};
    case scale::full:
      // The short size too: the Python reference only runs at that size (the full one takes
      // minutes in Python), and the C++/Python ratio needs both at the same size.
      return {s.small, s.full};
  }
  return {};
}

std::vector<int> worker_counts() {
  const int cores = std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  std::set<int> counts;
  for (int k = 1; k <= std::min(8, std::max(4, cores)); ++k) counts.insert(k);
  for (int k = 16; k <= 2 * cores; k *= 2) counts.insert(k);
  counts.insert(cores);
  counts.insert(2 * cores);
  return {counts.begin(), counts.end()};
}

void add_series(benchmark::internal::Benchmark* b, const char* size_name, const sizes& s) {
  b->ArgNames({"workers", size_name});
  for (const std::int64_t size : selected(s))
    for (const int k : worker_counts()) b->Args({k, size});
}

void add_sizes(benchmark::internal::Benchmark* b, const char* size_name, const sizes& s) {
  b->ArgNames({size_name});
  for (const std::int64_t size : selected(s)) b->Args({size});
}

void report(benchmark::State& state, int workers, std::int64_t items_per_iteration) {
  state.counters["workers"] = workers;
  state.SetItemsProcessed(state.iterations() * items_per_iteration);
}

double children_cpu_seconds() {
  rusage usage{};
  ::getrusage(RUSAGE_CHILDREN, &usage);
  const auto seconds = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

}  // namespace casebook::bench
