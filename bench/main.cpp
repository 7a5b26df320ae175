// main.cpp - main() of every casebook benchmark executable: BENCHMARK_MAIN plus the context a
// reader of the JSON needs to compare runs (which build, which sizes, how many cores).
#include <benchmark/benchmark.h>

#include <string>
#include <thread>

#include "common.hpp"

#ifndef CASEBOOK_CONFIGURATION
#define CASEBOOK_CONFIGURATION "plain"
#endif

int main(int argc, char** argv) {
  namespace cbb = casebook::bench;
  // bench/summarise.py matches runs of the same name across configurations (plain, tsan,
  // asan, python) to compute overhead factors; this key says which one a file holds.
  benchmark::AddCustomContext("casebook_configuration", CASEBOOK_CONFIGURATION);
  benchmark::AddCustomContext("casebook_scale", cbb::scale_name(cbb::current_scale()));
  benchmark::AddCustomContext("hardware_concurrency",
                              std::to_string(std::thread::hardware_concurrency()));
  std::string workers;
  for (const int k : cbb::worker_counts())
    workers += (workers.empty() ? "" : ",") + std::to_string(k);
  benchmark::AddCustomContext("worker_counts", workers);
#if defined(__clang__)
  benchmark::AddCustomContext("compiler", "clang " __clang_version__);
#elif defined(__GNUC__)
  benchmark::AddCustomContext("compiler", "gcc " __VERSION__);
#endif

  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
