// finding.hpp - what a detector saw, in structured form: one type from the parser that reads a
// tool's report, through the grader, into results.json and out to every report writer.
//
// Every detector (TSan, ASan/UBSan/LSan, Valgrind's tools, the watchdog, the invariant check)
// turns its raw evidence into Findings; the grader compares their kinds with what a case
// declares, results_model.hpp writes them to results.json and reads them back, and the report
// writers render them. Plain data, no behaviour: safe to copy between threads.
#pragma once

#include <string>
#include <vector>

namespace casebook::results {

// One symbolized frame of a stack, as a sanitizer or gdb printed it.
struct Frame {
  int index = 0;         // the "#N" of the frame
  std::string function;  // demangled function, or "<null>" when the tool did not know
  std::string file;      // repo-relative when under the source root, else as printed; may be empty
  int line = 0;          // 0 when unknown
  int column = 0;        // 0 when unknown
  std::string module;    // binary or shared object ("libstdc++.so.6"), may be empty
  // The folder `file` is relative to when it is not the repository: a CASEBOOK_EXTRA_CASES
  // folder's base id (parse/located_paths.hpp). Empty: repo-relative, or a path as printed.
  std::string base;

  bool operator==(const Frame&) const = default;
};

// One stack of a report: an access, a lock acquisition, a thread's creation, a hung thread.
struct Stack {
  std::string title;   // the line that introduced it, e.g. "Write of size 8 at 0x... by thread T1"
  std::string thread;  // "T1", "main thread", "Thread 2 (LWP 4242)"; empty when not stated
  std::vector<Frame> frames;

  bool operator==(const Stack&) const = default;
};

struct Finding {
  std::string tool;     // "tsan", "asan", "ubsan", "lsan", "watchdog", "invariant", "process"
  std::string kind;     // stable slug: "data-race", "lock-order-inversion", "hang", ...
  std::string summary;  // the SUMMARY line (without the "SUMMARY: <Tool>: " prefix) or one line
  std::vector<Stack> stacks;
  std::vector<std::string> mutexes;  // mutex ids the report names, in order of appearance ("M0")
  std::vector<std::string>
      lock_cycle;        // lock-order cycle as printed ("M0", "M1", "M0"); else empty
  std::string location;  // "global 'counter' of size 8", "heap block of size 80", ... or empty
  std::string raw;       // the report's own text, from its banner to its closing line

  bool operator==(const Finding&) const = default;
};

// A report the tool found and did not show because a suppression matched it (Valgrind's
// <suppcounts>): the suppression's name and how many reports it silenced in one trial.
struct SuppressionCount {
  std::string name;
  int count = 0;

  bool operator==(const SuppressionCount&) const = default;
};

}  // namespace casebook::results
