// resume.hpp - `casebook run --resume DIR`: what an interrupted run left in DIR, whether this
// run is the same run, and the pairs it already graded.
//
// A run is the same when everything that decides its verdicts is: the build (its commit, and
// the size and time of casebook and of every case binary it runs), the selection (--filter,
// --detectors, the programs and labels, the shard) and the trial budget (--repeat,
// --deflake*, --timeout, --noise, the suppressions) and the seed. -j, --keep-work and the
// program cache are not: they change how fast, not what. A resumed run without --seed takes
// the earlier one's, so the pairs left run with the seeds they would have had.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "results/results_model.hpp"
#include "suite/suite.hpp"

namespace casebook {

// What an earlier run left in its output folder.
struct EarlierRun {
  std::string source;  // the file it was read from: DIR/run-journal.jsonl, else DIR/results.json
  bool from_journal = false;
  nlohmann::json identity;
  std::uint64_t seed = 0;
  std::string started_at;
  double elapsed_seconds = 0;            // its wall time up to its last graded pair
  std::vector<nlohmann::json> verdicts;  // as written, the union pseudo-detector's left out
  std::size_t journal_bytes = 0;         // the journal's whole lines (it is cut there)
  bool torn_tail = false;                // the journal's last line was cut short by the kill
  int resumed_before = 0;                // how many times that run was itself resumed
};

// Reads DIR's journal, else its results.json. Throws UsageError when DIR holds neither (or a
// file that is not a run's), naming what was looked for.
EarlierRun read_earlier_run(const std::filesystem::path& dir);

// Everything that decides this run's verdicts, named by the option that sets it.
nlohmann::json run_identity(const RunOptions& options, const SuiteOptions& suite,
                            const results::Environment& environment);

// Throws UsageError listing each option that differs between the earlier run and this one,
// with both values, and what to do.
void check_same_run(const EarlierRun& earlier, const nlohmann::json& now, const std::string& dir);

struct KeptPairs {
  std::map<PairKey, VerdictRecord> graded;  // kept as they are
  // Infrastructure errors are the machine's (a full disk), not the variant's, and so are skips
  // the variant did not declare (valgrind not installed): the resumed run, on a machine put
  // right, runs those pairs again.
  int rerun_for_the_machine = 0;
};

// The earlier run's verdicts as records of the variants declared now. Throws UsageError when
// one names a variant this run does not have, or its expectation changed.
KeptPairs graded_before(const EarlierRun& earlier, const std::vector<VariantDecl>& variants);

}  // namespace casebook
