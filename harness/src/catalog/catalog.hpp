// catalog.hpp - the runner's view of the cases: every variant and what it declares.
//
// The catalog comes from the case binaries themselves (`casebook-cases-plain list`), so the
// runner never needs case code compiled into it. Parsing validates the declarations against
// the detectors the runner knows and fails with a UsageError that names the variant at fault.
// Immutable once loaded; safe to share between threads.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "parse/located_paths.hpp"
#include "protocol/host_protocol.hpp"

namespace casebook {

// finds: must report one of kinds; clean: must report nothing; skip: does not apply;
// false_positive: may report kinds although the variant is correct (a tool's limit);
// may_find: a broken variant whose kinds show in some trials only (never a failure either way).
// What a variant declares of a detector, as the listing gives it (protocol::want_name spells it).
using protocol::Want;

struct Expectation {
  std::string detector;
  Want want = Want::clean;
  std::vector<std::string> kinds;  // finds, may_find: any one of these detects;
                                   // false_positive: the kinds the tool reports wrongly
  std::string reason;              // skip: why the detector does not apply; false_positive: why the
                                   // tool is wrong here; may_find: why the finding shows by chance
  bool declared = false;           // false: the implicit "clean" of an undeclared detector
  // may_find only: kinds the tool also reports here although they are wrong, from a
  // false_positive declared beside it for the same detector (a chance race next to a tool's
  // constant false positive). They neither detect nor fail; the reason says why they are wrong.
  std::vector<std::string> false_positive_kinds = {};
  std::string false_positive_reason = {};
};

// Whether kinds lists kind, or lists "*": any kind (a labelled positive program, which any
// finding of any detector may show).
bool lists_kind(const std::vector<std::string>& kinds, std::string_view kind);

struct Params {
  int threads = 2;
  std::int64_t iterations = 1000;
  std::uint64_t seed = 1;
  std::map<std::string, std::int64_t> extra;
};

// An input the property detector generates, from [min, max] (casebook/case.hpp).
struct ParamRange {
  std::string name;
  std::int64_t min = 0;
  std::int64_t max = 0;
};

// A standalone program (programs/): a C or C++ file with its own main(), built by casebook for
// each configuration its detectors need and run unchanged, without the case host.
struct ProgramSpec {
  bool openmp = false;             // built with -fopenmp; OMP_NUM_THREADS set per trial
  std::vector<std::string> flags;  // its own compiler flags (casebook-flags:), -fopenmp included
  // The built program of each configuration (plain, tsan, asan, tsan-gcc, ...): an absolute
  // path, or the compiler's message when it did not build.
  std::map<std::string, std::string> binaries;
  std::map<std::string, std::string> build_errors;
  // How its ground truth was given when it declares no expectations of its own: "pair"
  // (broken is a positive, fixed a negative), "labels" (a --labels file), or "" (it declares
  // them in casebook-expect lines).
  std::string labelled_by;
  bool positive = false;  // with labelled_by: it has a bug, which some detector must flag
  // Labelled race pairs (first access's line, second's), from a label file.
  std::vector<std::pair<int, int>> race_pairs;
};

struct VariantDecl {
  std::string case_name;
  std::string variant;  // "broken" or "fixed"
  std::string title;
  std::string category;  // race, lifetime, liveness, process, performance or misuse
  std::string file;      // source path: repo-relative, or relative to cases_root ("<case>/x.cpp")
  // For a case from a CASEBOOK_EXTRA_CASES folder: that folder (absolute, on the machine that
  // built the case binary) and its base id (parse/located_paths.hpp), unique in the catalog.
  // Both empty for the repository's own cases.
  std::string cases_root;
  std::string file_base;
  Params defaults;
  std::optional<Params> small;  // inputs for slow or exhaustive detectors; none: use defaults
  // The inputs a slow or exhaustive detector runs with: `small` when declared, else defaults.
  const Params& small_or_defaults() const { return small ? *small : defaults; }
  double timeout_seconds = 0;   // 0: runner default
  int memory_limit_mib = 0;     // per-trial resident memory cap; 0: runner default
  int max_tasks = 0;            // per-trial cap on processes + threads; 0: runner default
  double fairness_floor = 0;    // > 0: the fairness detector applies (see casebook/case.hpp)
  double max_wait_seconds = 0;  // > 0: the fairness detector applies, grading outcome.waits
  double perf_ratio = 0;        // > 0 on a broken variant: the perf detector applies
  std::string perf_metric;
  std::string compile_probe;     // repo-relative path of the must-not-compile file, or ""
  std::vector<ParamRange> vary;  // non-empty: the property detector applies
  int property_tests = 100;      // inputs a property check tries
  std::vector<Expectation> expectations;
  // The casebook-bug lines of file (catalog/bug_markers.hpp), read from the source when a run
  // starts (attach_bug_markers), not from the case binary: moving a marker needs no rebuild.
  std::vector<int> bug_lines;
  // Set for a standalone program (programs/); empty for a case written against the cb:: API.
  std::optional<ProgramSpec> program;

  std::string id() const { return case_name + "/" + variant; }
  // The absolute path of a file named like `file` (the variant's or its compile probe), given
  // the repository's root.
  std::string source_path(const std::string& relative, const std::string& source_root) const;
  // The root `file` is relative to, with its base id, for locating evidence; an empty folder
  // for the repository's cases.
  SourceBase source_base() const { return {file_base, cases_root}; }
  // Whether the variant has a bug (a positive, for the scorecard): a broken variant, or a
  // standalone program labelled positive or declaring something a detector finds or may find.
  bool has_bug() const;
  // Whether the variant says it hangs: some expectation finds (or may find) the kind "hang".
  bool declares_hang() const;
  // The declared expectation for detector; else, when inherited_from names a detector (one that
  // repeats it under other conditions: DetectorTraits::expectations_of), that detector's
  // declared expectation, under detector's name; else an implicit clean one.
  Expectation expectation_for(const std::string& detector,
                              std::string_view inherited_from = {}) const;
};

// The categories a case may declare, in the order reports list them.
const std::vector<std::string>& known_categories();

struct Catalog {
  std::vector<VariantDecl> variants;  // sorted by case, then variant
};

// Parses the JSON printed by `casebook-cases-<config> list`. Throws UsageError naming the
// variant and field when a declaration is malformed or names a detector not in known_detectors.
Catalog parse_catalog(const nlohmann::json& listing,
                      const std::vector<std::string>& known_detectors);

// Runs `<case_binary> list` and parses it. Throws InfraError when the binary cannot run.
Catalog load_catalog(const std::string& case_binary,
                     const std::vector<std::string>& known_detectors);

// The variants matching one of the comma-separated terms in filter: a shell glob (fnmatch)
// over the case name or "case/variant", or "category:NAME". An empty filter matches all.
// Throws UsageError when nothing matches (listing the cases) or a category is unknown.
std::vector<VariantDecl> select_variants(const Catalog& catalog, const std::string& filter);

}  // namespace casebook
