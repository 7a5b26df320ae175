// parser_speed.cpp - the harness's own speed: how fast the sanitizer log parsers read a log.
//
//   harness/parse_tsan  a TSan log of N data-race reports, each between lines of the program's
//                       own output, as a racy case's trial leaves it (absolute paths, module
//                       offsets, the ==== separators);
//   harness/parse_asan  the same with ASan heap-use-after-free reports.
//
// bytes_per_second is the parser's throughput (the README gives it in MB/s). The parsers are
// linear in their input, so the log size only needs to be well above a cache's worth; a real
// trial's log is a few KiB to a few MiB. Self-check: exactly N findings of the right kind, with
// the racy frame's file made repo-relative.
#include <string>

#include "common.hpp"
#include "parse/asan_parser.hpp"
#include "parse/tsan_parser.hpp"

namespace cbb = casebook::bench;

namespace {

constexpr cbb::sizes kReports{.tiny = 20, .small = 2'000, .full = 20'000};
constexpr const char* kRoot = "/src/casebook";

// One report as clang-14's TSan prints it for cases/unlocked_counter (its README has it).
constexpr const char* kTsanReport = R"(==================
WARNING: ThreadSanitizer: data race (pid=29688)
  Read of size 8 at 0x7ffd991beda8 by thread T2:
    #0 cb::shared<long>::read() const /src/casebook/harness/include/casebook/sync.hpp:58:11 (casebook-cases-tsan+0xe5b1c) (BuildId: 5b8a2c1f)
    #1 (anonymous namespace)::run(cb::params const&)::$_0::operator()() const /src/casebook/cases/unlocked_counter/broken.cpp:33:37 (casebook-cases-tsan+0xe5b1c) (BuildId: 5b8a2c1f)
    #2 void std::__invoke_impl<void, (anonymous namespace)::run(cb::params const&)::$_0>(std::__invoke_other, (anonymous namespace)::run(cb::params const&)::$_0&&) /usr/bin/../lib/gcc/x86_64-linux-gnu/12/../../../../include/c++/12/bits/invoke.h:61:14 (casebook-cases-tsan+0xe5a31)
    #3 <null> <null> (libstdc++.so.6+0xd44a2) (BuildId: 9f5a2c)

  Previous write of size 8 at 0x7ffd991beda8 by thread T1:
    #0 cb::shared<long>::write(long) /src/casebook/harness/include/casebook/sync.hpp:64:12 (casebook-cases-tsan+0xe5c3d) (BuildId: 5b8a2c1f)
    #1 (anonymous namespace)::run(cb::params const&)::$_0::operator()() const /src/casebook/cases/unlocked_counter/broken.cpp:35:17 (casebook-cases-tsan+0xe5c3d) (BuildId: 5b8a2c1f)

  Location is stack of main thread.

  Thread T2 (tid=29691, running) created by main thread at:
    #0 pthread_create <null> (casebook-cases-tsan+0x5e2ad) (BuildId: 5b8a2c1f)
    #1 std::thread::_M_start_thread(std::unique_ptr<std::thread::_State, std::default_delete<std::thread::_State> >, void (*)()) <null> (libstdc++.so.6+0xd4578) (BuildId: 9f5a2c)

SUMMARY: ThreadSanitizer: data race /src/casebook/harness/include/casebook/sync.hpp:58:11 in cb::shared<long>::read() const
==================
worker 2: counted 4096 increments, total now 7961
)";

constexpr const char* kAsanReport =
    R"(=================================================================
==31337==ERROR: AddressSanitizer: heap-use-after-free on address 0x604000000010 at pc 0x55d0c0ffee00 bp 0x7f2a1c2fdcf0 sp 0x7f2a1c2fdce8
WRITE of size 8 at 0x604000000010 thread T1
    #0 0x55d0c0ffedff in (anonymous namespace)::record(batch&, long) /src/casebook/cases/forgotten_join/broken.cpp:27:19
    #1 0x55d0c0ffe9a0 in std::thread::_State_impl<std::thread::_Invoker<std::tuple<$_0> > >::_M_run() /usr/bin/../lib/gcc/x86_64-linux-gnu/12/../../../../include/c++/12/bits/std_thread.h:211:13
    #2 0x7f2a1f6d44a2  (/lib/x86_64-linux-gnu/libstdc++.so.6+0xd44a2) (BuildId: 9f5a2c)

0x604000000010 is located 0 bytes inside of 40-byte region [0x604000000010,0x604000000038)
freed by thread T0 here:
    #0 0x55d0c0f8e1bd in operator delete(void*) (casebook-cases-asan+0x1161bd) (BuildId: 77ab)
    #1 0x55d0c0ffe2c1 in (anonymous namespace)::submit(int) /src/casebook/cases/forgotten_join/broken.cpp:41:1

previously allocated by thread T0 here:
    #0 0x55d0c0f8d95d in operator new(unsigned long) (casebook-cases-asan+0x11595d) (BuildId: 77ab)
    #1 0x55d0c0ffe101 in (anonymous namespace)::submit(int) /src/casebook/cases/forgotten_join/broken.cpp:33:22

Thread T1 created by T0 here:
    #0 0x55d0c0f4b6fa in pthread_create (casebook-cases-asan+0xd36fa) (BuildId: 77ab)
    #1 0x55d0c0ffe1f0 in (anonymous namespace)::submit(int) /src/casebook/cases/forgotten_join/broken.cpp:36:17

SUMMARY: AddressSanitizer: heap-use-after-free /src/casebook/cases/forgotten_join/broken.cpp:27:19 in (anonymous namespace)::record(batch&, long)
Shadow bytes around the buggy address:
  0x0c087fff7fb0: 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
=>0x0c087fff8000: fa fa[fd]fd fd fd fd fa fa fa fa fa fa fa fa fa
Shadow byte legend (one shadow byte represents 8 application bytes):
  Addressable:           00
==31337==ABORTING
batch 7: submitted 12 records
)";

// `reports` copies of `report`, one log.
std::string log_of(const char* report, std::int64_t reports) {
  std::string log;
  for (std::int64_t i = 0; i < reports; ++i) log += report;
  return log;
}

template <class Parse>
void parse_log(benchmark::State& state, const char* report, const char* kind, const char* racy_file,
               Parse parse) {
  const std::int64_t reports = state.range(0);
  const std::string log = log_of(report, reports);
  std::vector<casebook::Finding> findings;
  for (auto _ : state) {
    findings = parse(log, kRoot);
    benchmark::DoNotOptimize(findings.data());
  }
  cbb::report(state, 1, reports);
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(log.size()));
  state.counters["log_bytes"] = static_cast<double>(log.size());
  if (static_cast<std::int64_t>(findings.size()) != reports)
    return state.SkipWithError(
        ("parsed " + std::to_string(findings.size()) + " findings, not " + std::to_string(reports))
            .c_str());
  for (const auto& f : findings) {
    bool found = false;
    for (const auto& stack : f.stacks)
      for (const auto& frame : stack.frames) found = found || frame.file == racy_file;
    if (f.kind != kind || !found)
      return state.SkipWithError(
          ("a finding of kind '" + f.kind + "' without " + racy_file + " among its frames")
              .c_str());
  }
}

void parse_tsan_log(benchmark::State& state) {
  parse_log(state, kTsanReport, "data-race", "cases/unlocked_counter/broken.cpp",
            casebook::parse_tsan);
}
void parse_asan_log(benchmark::State& state) {
  parse_log(state, kAsanReport, "heap-use-after-free", "cases/forgotten_join/broken.cpp",
            casebook::parse_asan);
}

void report_args(benchmark::internal::Benchmark* b) {
  cbb::add_sizes(b, "reports", kReports);
}

}  // namespace

BENCHMARK(parse_tsan_log)
    ->Name("harness/parse_tsan")
    ->Apply(report_args)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(parse_asan_log)
    ->Name("harness/parse_asan")
    ->Apply(report_args)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
