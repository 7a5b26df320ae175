// commands.hpp - the subcommands of `casebook`, each a function from parsed options to an
// exit code (0 ok, 1 expectation failed, 2 usage error, 3 infrastructure error).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cli/variant_sources.hpp"

namespace casebook {

struct CommonOptions {
  std::string bin_dir;      // folder of the case binaries; default: the runner's own folder
  std::string source_root;  // repo root, for repo-relative paths
};

struct ListOptions {
  CommonOptions common;
  std::string format = "text";  // text | json
  std::string filter;
  VariantSources sources;  // --programs, --labels, --catalog, as for run
};

struct RunOptions {
  CommonOptions common;
  std::string filter;
  std::string detectors;  // comma-separated; empty: all
  int repeat = 1;
  int deflake = 5;
  int deflake_max = 100;         // adaptive trials of an unseen finding: at most this many...
  double deflake_seconds = 120;  // ... while the pair's trials took less than this
  bool share_machine = false;    // --repeat with -j pairs at once, rates biased by each other
  std::optional<double> timeout_seconds;
  std::optional<int> jobs;  // -j; unset: one job per CPU
  std::string out_dir = "reports/out";
  std::string resume_dir;  // --resume: the --out of the interrupted run to continue; "": none
  std::optional<std::uint64_t> seed;
  bool keep_work = false;
  std::optional<int> noise_level;  // --noise: also run invariant-noise at this level (1..10)
  // --valgrind-suppressions, in order: the user's own files, after casebook's (which
  // --no-default-valgrind-suppressions leaves out).
  std::vector<std::string> valgrind_suppressions;
  bool no_default_valgrind_suppressions = false;
  std::string shard;  // "i/n", or empty: GoogleTest's sharding variables, else everything
  // --programs, --labels, --catalog: standalone programs (programs/), and with any, the
  // catalog only when --catalog is given too.
  VariantSources sources;
  std::string program_cache;  // --program-cache; "": programs/build.hpp's default
  std::string command_line;   // as typed, for results.json
};

// `casebook report`: inputs are results.json files, merged in order; each non-empty path is
// an output. out_dir writes every format there (merged-results.json only when merging).
struct ReportOptions {
  std::vector<std::string> inputs;
  std::string out_dir;
  std::string html;
  std::string junit;
  std::string sarif;
  std::string markdown;
  std::string merged;
  std::string sarif_by_detector;  // a folder: one <detector>.sarif per detector
  std::string bench;  // bench-summary.json for the HTML page; "": the one beside the first input
};

// `casebook replay`: one schedule of the controlled scheduler, rerun deterministically.
struct ReplayOptions {
  CommonOptions common;
  std::string case_name;
  std::string variant;
  std::string schedule;
};

int list_command(const ListOptions& options);
// 0: the schedule reproduced a failure; 1: it ran clean; 2: it does not fit the variant.
int replay_command(const ReplayOptions& options);
int report_command(const ReportOptions& options);
int run_command(const RunOptions& options);

}  // namespace casebook
