// `casebook run`: select, run, grade, write results.json and junit.xml, print the summary.
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <sstream>
#include <thread>

#include "catalog/bug_markers.hpp"
#include "catalog/catalog.hpp"
#include "cli/commands.hpp"
#include "cli/declarations.hpp"
#include "cli/interrupt.hpp"
#include "cli/out_dir.hpp"
#include "cli/progress.hpp"
#include "cli/resume.hpp"
#include "cli/variant_sources.hpp"
#include "common/errors.hpp"
#include "detectors/detector.hpp"
#include "grade/manifestation.hpp"
#include "junit/junit_writer.hpp"
#include "process/cancellation.hpp"
#include "process/process.hpp"
#include "process/program_path.hpp"
#include "programs/build.hpp"
#include "programs/program_variants.hpp"
#include "record/atomic_file.hpp"
#include "record/case_sources.hpp"
#include "record/environment.hpp"
#include "record/noise_comparison.hpp"
#include "record/results_json.hpp"
#include "record/run_journal.hpp"
#include "scorecard/scorecard.hpp"
#include "suite/program_union.hpp"
#include "suite/shard.hpp"
#include "suite/suite.hpp"
#include "suite/trial.hpp"
#include "writing/verdict_words.hpp"

namespace casebook {

namespace fs = std::filesystem;

namespace {

// The detectors a run uses: the named ones, or the default set; --noise adds invariant-noise.
// --detectors: a comma-separated list of detector names and the sets `default` (what a run
// without --detectors runs) and `all` (every detector, the slow and the repeated ones too).
// A set leaves out a detector whose binary is an optional build missing from bin_dir (the
// other compiler's TSan catalog, which fixture catalogs do not have), saying so; a detector
// named on its own is kept, and the run then fails naming the missing binary.
std::vector<const Detector*> parse_detectors(const std::string& list, bool noise,
                                             const std::string& bin_dir) {
  std::vector<const Detector*> chosen;
  auto add = [&](const Detector* d) {
    if (std::find(chosen.begin(), chosen.end(), d) == chosen.end()) chosen.push_back(d);
  };
  auto add_set = [&](bool everything) {
    for (const auto& d : all_detectors()) {
      if (!(everything || d->traits().in_default_set || (noise && d->traits().added_by_noise))) {
        continue;
      }
      const fs::path binary = fs::path(bin_dir) / d->traits().binary_name;
      if (!d->traits().optional_build.empty() && ::access(binary.c_str(), X_OK) != 0) {
        fmt::print("casebook: leaving out {}: {} was not built (it is optional)\n", d->name(),
                   binary.string());
        continue;
      }
      add(d.get());
    }
  };
  if (list.empty()) {
    add_set(false);
    return chosen;
  }
  std::stringstream in(list);
  std::string name;
  while (std::getline(in, name, ',')) {
    if (name.empty()) continue;
    if (name == "all" || name == "default") {
      add_set(name == "all");
      continue;
    }
    const Detector* d = find_detector(name);
    if (d == nullptr) {
      std::string known;
      for (const auto& k : detector_names()) known += (known.empty() ? "" : ", ") + k;
      throw UsageError("unknown detector '" + name + "' in --detectors; known: " + known +
                       " (and the sets default, all)");
    }
    add(d);
  }
  if (chosen.empty()) throw UsageError("--detectors names no detector");
  if (noise) {
    for (const auto& d : all_detectors()) {
      if (d->traits().added_by_noise) add(d.get());
    }
  }
  return chosen;
}

void check_options(const RunOptions& o) {
  if (o.repeat < 1) throw UsageError(fmt::format("--repeat must be at least 1, got {}", o.repeat));
  if (o.noise_level && (*o.noise_level < 1 || *o.noise_level > 10)) {
    throw UsageError(fmt::format("--noise must be a level in 1..10, got {}", *o.noise_level));
  }
  if (o.deflake < 1) {
    throw UsageError(fmt::format("--deflake must be at least 1, got {}", o.deflake));
  }
  if (o.deflake_max < 1) {
    throw UsageError(fmt::format("--deflake-max must be at least 1, got {}", o.deflake_max));
  }
  if (!(o.deflake_seconds >= 0 && o.deflake_seconds <= 86400)) {
    throw UsageError(
        fmt::format("--deflake-seconds must be in [0, 86400], got {}", o.deflake_seconds));
  }
  if (o.share_machine && o.repeat == 1) {
    throw UsageError(
        "--share-machine only matters with --repeat N (N > 1), which runs one pair "
        "at a time otherwise; drop it or add --repeat");
  }
  if (o.jobs && *o.jobs < 1) {
    throw UsageError(fmt::format(
        "-j takes 1 or more parallel jobs, got {}; leave -j out for one job per CPU", *o.jobs));
  }
  if (o.timeout_seconds && !(*o.timeout_seconds > 0 && *o.timeout_seconds <= 86400)) {
    throw UsageError(
        fmt::format("--timeout must be in (0, 86400] seconds, got {}", *o.timeout_seconds));
  }
}

// Why `path` cannot serve as a suppressions file, or "".
std::string unreadable_file(const std::string& path) {
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (!fs::exists(status)) return "does not exist";
  if (fs::is_directory(status)) return "is a folder, not a file";
  if (std::ifstream in(path); !in) return "cannot be read";
  return "";
}

// Valgrind reads suppressions files only when a tool that reports errors starts, and a file it
// cannot parse stops it before the program runs: every trial would fail the same way. So the
// files are read once here, by Helgrind on /bin/true (about half a second). A file Valgrind
// refuses is a usage error naming its line (an infrastructure error for casebook's own); no
// Valgrind at all is left for the trials to report.
void check_suppressions_parse(const std::vector<std::string>& files, bool no_default) {
  if (files.empty()) return;
  ProcessSpec spec;
  spec.argv = {"valgrind", "--tool=helgrind", "-q"};
  for (const auto& file : files) spec.argv.push_back("--suppressions=" + file);
  spec.argv.emplace_back("/bin/true");
  spec.timeout = std::chrono::seconds(60);
  const ProcessResult p = run_process(spec);
  if (!p.started || !p.exited || p.exit_code == 0) return;
  const auto at = p.stderr_text.find("FATAL: in suppressions file");
  if (at == std::string::npos) return;
  std::string what = p.stderr_text.substr(at);
  // "FATAL: in suppressions file "F" near line 3:\n==N==    unexpected end-of-file (...)".
  std::string message;
  std::istringstream lines(what);
  for (std::string line; std::getline(lines, line) && message.size() < 400;) {
    const auto text = line.find_first_not_of(
        " ", line.rfind("==") == std::string::npos ? 0 : line.rfind("==") + 2);
    if (text == std::string::npos || line.find("exiting now") != std::string::npos) continue;
    message += (message.empty() ? "" : " ") + line.substr(text);
  }
  if (!no_default && what.find(shipped_valgrind_suppressions()) != std::string::npos) {
    throw InfraError("Valgrind cannot read casebook's own suppressions: " + message +
                     "; rebuild or reinstall casebook, or run with "
                     "--no-default-valgrind-suppressions");
  }
  throw UsageError("Valgrind cannot read a --valgrind-suppressions file: " + message +
                   "; fix the entry (each is { name, Tool:Kind, frames } as valgrind "
                   "--gen-suppressions=yes writes them)");
}

// The suppressions files of every helgrind and drd trial: casebook's own (unless left out),
// then the user's, each checked here so that a typo stops the run before it starts instead
// of failing every Valgrind trial.
void configure_valgrind_suppressions(const RunOptions& o,
                                     const std::vector<const Detector*>& detectors) {
  std::vector<std::string> files;
  // Without Valgrind installed, its detectors' pairs are skipped: no file is read.
  const bool valgrind_runs = std::any_of(detectors.begin(), detectors.end(), [](const Detector* d) {
    return d->traits().required_program == "valgrind" && !find_program("valgrind").empty();
  });
  if (!o.no_default_valgrind_suppressions) {
    const std::string shipped = shipped_valgrind_suppressions();
    if (const std::string why = unreadable_file(shipped); valgrind_runs && !why.empty()) {
      throw InfraError("casebook's own Valgrind suppressions file " + shipped + " " + why +
                       ": the build copies it there from harness/valgrind/casebook.supp and "
                       "`cmake --install` installs it; rebuild or reinstall casebook, or run "
                       "with --no-default-valgrind-suppressions");
    }
    files.push_back(shipped);
  }
  for (const auto& file : o.valgrind_suppressions) {
    if (const std::string why = unreadable_file(file); !why.empty()) {
      throw UsageError("--valgrind-suppressions '" + file + "' " + why +
                       "; give a readable Valgrind suppressions file (the format of "
                       "valgrind --gen-suppressions=yes)");
    }
    std::error_code ec;
    files.push_back(fs::absolute(file, ec).string());
  }
  if (valgrind_runs) check_suppressions_parse(files, o.no_default_valgrind_suppressions);
  set_valgrind_suppressions(std::move(files));
}

// One line for each program a chosen detector needs and this machine lacks: its pairs are
// skipped (suite/suite.cpp says so in each verdict), and the run should say it up front.
void say_missing_programs(const std::vector<const Detector*>& detectors) {
  std::map<std::string, std::string> lacking;  // program -> the detectors needing it
  for (const Detector* d : detectors) {
    const std::string program(d->traits().required_program);
    if (program.empty() || !find_program(program).empty()) continue;
    std::string& names = lacking[program];
    names += (names.empty() ? "" : ", ") + std::string(d->name());
  }
  for (const auto& [program, names] : lacking) {
    fmt::print(stderr,
               "casebook: {} is not installed here (not on PATH): the pairs of {} are skipped "
               "(Debian: apt-get install {})\n",
               program, names, program);
  }
}

std::string iso_now() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// How a person reruns the runner from where they stand: relative when under the cwd, and
// with --bin-dir when the case binaries are not the ones beside casebook.
std::string runner_command(const RunOptions& o) {
  std::error_code ec;
  fs::path self = fs::read_symlink("/proc/self/exe", ec);
  std::string command = "casebook";
  if (!ec) {
    command = self.string();
    fs::path rel = fs::relative(self, fs::current_path(ec), ec);
    if (!ec && !rel.empty() && rel.string().rfind("..", 0) != 0) command = rel.string();
  }
  command += " run";
  auto absolute = [&](const std::string& path) {
    return shell_quote(fs::absolute(path, ec).lexically_normal().string());
  };
  if (!fs::equivalent(self.parent_path(), o.common.bin_dir, ec)) {
    command += " --bin-dir " + absolute(o.common.bin_dir);
  }
  // A standalone program reruns only from where it was found, labelled as it was.
  for (const auto& p : o.sources.programs) command += " --programs " + absolute(p);
  if (!o.sources.labels.empty()) command += " --labels " + absolute(o.sources.labels);
  if (!o.program_cache.empty()) command += " --program-cache " + absolute(o.program_cache);
  if (o.sources.with_catalog) command += " --catalog";
  return command;
}

void print_failures(const std::vector<VerdictRecord>& verdicts) {
  bool header = false;
  for (const auto& r : verdicts) {
    if (r.grade.passed) continue;
    if (!header) {
      fmt::print("\nFailed expectations:\n");
      header = true;
    }
    // The words summary.md, JUnit and the HTML page use, from the same results.json fields.
    fmt::print("  {} {}: {}\n    {}\n", r.variant.id(), r.detector,
               reports::verdict_with_expectation(verdict_heading(r)), r.grade.reason);
    if (!r.repro.empty()) fmt::print("    reproduce: {}\n", r.repro);
  }
}

// With --repeat, the manifestation table: for every pair that expects a finding, and every
// clean pair that reported one, how often it showed, with its 95% interval.
void print_manifestation(const std::vector<VerdictRecord>& verdicts) {
  bool header = false;
  for (const auto& r : verdicts) {
    if (r.grade.verdict == Verdict::skipped) continue;
    const Manifestation m = measure_manifestation(r.expected, r.trials);
    if (r.expected.want != Want::finds && m.hits == 0) continue;
    if (!header) {
      fmt::print(
          "\nManifestation (hits of the expected finding, or of any finding where clean "
          "was expected; 95% Wilson interval):\n");
      fmt::print("  {:<44} {:<15} {:>9} {:>6}  {:<13} {}\n", "case/variant", "detector", "hits",
                 "rate", "95% interval", "first hit");
      header = true;
    }
    const std::string first =
        m.first_hit_trial == 0
            ? "-"
            : fmt::format("trial {} ({:.1f} s)", m.first_hit_trial, m.seconds_to_first_hit);
    fmt::print("  {:<44} {:<15} {:>4}/{:<4} {:>5.0f}%  [{:>3.0f}%, {:>3.0f}%]  {}{}\n",
               r.variant.id(), r.detector, m.hits, m.trials, 100 * m.rate, 100 * m.ci_low,
               100 * m.ci_high, first,
               r.expected.want == Want::finds
                   ? std::string()
                   : "  (expected " + reports::expected_words(expected_entry(r.expected)) + ")");
  }
}

// A labelled program's union verdict, in the progress lines' form after them.
void print_union_verdict(const VerdictRecord& u) {
  fmt::print(stderr, "[union] {} {} union: {} ({})\n", u.grade.passed ? "PASS" : "FAIL",
             u.variant.id(), verdict_name(u.grade.verdict), u.grade.reason);
}

// The with/without noise table, for a run with --noise (most telling with --repeat N).
void print_noise_comparison(const std::vector<NoiseComparisonRow>& rows, int level) {
  if (rows.empty()) return;
  fmt::print("\nSchedule noise at level {} (invariant detector, plain build; hits/trials):\n",
             level);
  fmt::print("  {:<44} {:>16} {:>16}\n", "variant", "without noise", "with noise");
  for (const auto& r : rows) {
    auto cell = [](const Manifestation& m) {
      return fmt::format("{}/{} ({:.0f}%)", m.hits, m.trials, 100 * m.rate);
    };
    fmt::print("  {:<44} {:>16} {:>16}{}\n", r.case_name + "/" + r.variant, cell(r.without_noise),
               cell(r.with_noise), r.expects_finding ? "" : "  (expected clean)");
  }
}

}  // namespace

int run_command(const RunOptions& o) {
  check_options(o);
  const auto detectors = parse_detectors(o.detectors, o.noise_level.has_value(), o.common.bin_dir);
  configure_valgrind_suppressions(o, detectors);
  // The cases and standalone programs are read, declarations and labels included, before
  // anything is written: a bad one stops the run with nothing overwritten.
  LoadedVariants loaded =
      load_variants(o.sources, o.common.bin_dir, o.common.source_root, o.filter);
  const std::vector<ProgramSource>& programs = loaded.programs;
  if (std::error_code ec; !o.resume_dir.empty() && !fs::is_directory(o.resume_dir, ec)) {
    throw UsageError("--resume: '" + o.resume_dir +
                     "' is not a folder; give the --out folder of the run to continue");
  }
  require_writable_tmpdir();
  const fs::path out = prepare_out_dir(o.out_dir);
  const OutDirLock out_lock(out);  // held until the run returns: one run per folder
  std::optional<EarlierRun> earlier;
  if (!o.resume_dir.empty()) earlier = read_earlier_run(out);

  SuiteOptions s;
  s.variants = std::move(loaded.variants);
  s.jobs = o.jobs.value_or(static_cast<int>(std::max(1u, std::thread::hardware_concurrency())));
  std::optional<ProgramBuildCounts> built;
  if (!programs.empty()) {
    const std::string cache = o.program_cache.empty() ? default_program_cache() : o.program_cache;
    built = build_program_variants(s.variants, programs, detectors, cache, s.jobs);
    fmt::print(stderr,
               "casebook: {} program variant(s): compiled {}, reused {} from {}, could not "
               "build {}\n",
               std::count_if(s.variants.begin(), s.variants.end(),
                             [](const VariantDecl& v) { return v.program.has_value(); }),
               built->compiled, built->reused, cache, built->failed);
  }
  std::vector<std::string> chosen;
  for (const Detector* d : detectors) chosen.emplace_back(d->name());
  say_missing_programs(detectors);
  check_case_declarations(s.variants, chosen, o.common.source_root, stderr,
                          /*summarise_small=*/true);
  s.detectors = detectors;
  // A --deflake above the adaptive ceiling raises it: the minimum a user asks for is what runs.
  s.budget = {o.repeat, o.deflake, std::max(o.deflake, o.deflake_max), o.deflake_seconds};
  s.trials_alone = o.repeat > 1 && !o.share_machine;
  if (o.timeout_seconds) {
    s.timeout_override =
        std::chrono::milliseconds(static_cast<long long>(*o.timeout_seconds * 1000));
  }
  // Seeds stay below 2^48 so they are easy to type back in a repro command.
  // A resumed run without --seed continues with the earlier one's: its pairs left get the
  // seeds they would have had.
  s.seed = o.seed    ? *o.seed
           : earlier ? earlier->seed
                     : (std::random_device{}() | (std::uint64_t{std::random_device{}()} << 16)) &
                           ((std::uint64_t{1} << 48) - 1);
  if (o.noise_level) s.noise_level = *o.noise_level;
  s.bin_dir = o.common.bin_dir;
  s.source_root = o.common.source_root;
  s.runner_command = runner_command(o);
  if (!o.shard.empty()) {
    s.shard = parse_shard(o.shard);
  } else if (auto from_env = shard_from_environment()) {
    s.shard = *from_env;
  }
  acknowledge_shard_status_file();
  const results::Environment environment = describe_environment(o.common.source_root);
  const nlohmann::json identity = run_identity(o, s, environment);
  SuiteContinuation continuation;
  int reruns_for_the_machine = 0;
  if (earlier) {
    check_same_run(*earlier, identity, out.string());
    KeptPairs kept = graded_before(*earlier, s.variants);
    continuation.graded_before = std::move(kept.graded);
    reruns_for_the_machine = kept.rerun_for_the_machine;
  }
  const fs::path work = out / "trials";
  std::error_code ec;
  // The previous run's trial folders go (results.json is kept until replaced); a resumed run
  // keeps them: the pairs it keeps ran there.
  if (!earlier) fs::remove_all(work, ec);
  s.work_dir = work.string();

  const std::vector<PlannedJob> planned = plan_jobs(s);
  const std::size_t pairs = planned.size();
  // Before the journal is started: a run that cannot start replaces nothing.
  require_case_binaries(s, planned);
  fmt::print(stderr, "casebook: {} variant(s), {} (variant, detector) pair(s){}, seed {}, {}\n",
             s.variants.size(), pairs,
             s.shard.count > 1 ? fmt::format(" in shard {}/{}", s.shard.index, s.shard.count) : "",
             s.seed,
             s.trials_alone ? "one pair at a time, so each rate is the variant's own "
                              "(--share-machine runs -j at once)"
                            : fmt::format("{} job(s)", s.jobs));
  if (earlier) {
    fmt::print(
        stderr,
        "casebook: resuming the run in {}: {} pair(s) graded before are kept (from {}{}), {} to "
        "run{}\n",
        out.string(), continuation.graded_before.size(), earlier->source,
        earlier->torn_tail ? "; its last line, cut short by the interruption, is dropped" : "",
        pairs - continuation.graded_before.size(),
        reruns_for_the_machine > 0
            ? fmt::format(", {} of them again (an infrastructure error, or skipped for what the "
                          "machine lacked)",
                          reruns_for_the_machine)
            : "");
  }
  const std::string started_at = earlier ? earlier->started_at : iso_now();
  const double elapsed_before = earlier ? earlier->elapsed_seconds : 0;
  const auto start = std::chrono::steady_clock::now();
  const std::string journal_path = (out / kJournalFileName).string();
  std::unique_ptr<RunJournal> journal;
  if (earlier && earlier->from_journal) {
    journal = std::make_unique<RunJournal>(journal_path, earlier->journal_bytes);
    journal->note_resumed();
  } else {
    if (!earlier && fs::exists(journal_path, ec)) {
      fmt::print(stderr,
                 "casebook: {} held an unfinished run; starting anew replaces it (`--resume "
                 "{}` would have continued it)\n",
                 out.string(), out.string());
    }
    journal = std::make_unique<RunJournal>(
        journal_path, nlohmann::json{{"casebook_journal", kJournalVersion},
                                     {"identity", identity},
                                     {"seed", s.seed},
                                     {"started_at", started_at},
                                     {"resumed", earlier ? earlier->resumed_before + 1 : 0},
                                     {"command", o.command_line}});
    // Resumed from a results.json: the journal starts with what it kept.
    for (const auto& [key, kept] : continuation.graded_before) {
      journal->record(verdict_to_json(kept), elapsed_before);
    }
  }
  // Each pair's verdict reaches the disk the moment it is graded; a journal that cannot be
  // written (a full disk) stops the run as an interruption would, with what it has kept.
  continuation.on_graded = [&](const VerdictRecord& r) {
    const double elapsed =
        elapsed_before +
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    journal->record(verdict_to_json(r), elapsed);
    if (!journal->error().empty()) request_cancellation();
  };
  install_interrupt_handlers();
  ConsoleProgress progress(stderr, ::isatty(STDERR_FILENO) == 1);
  std::vector<VerdictRecord> verdicts = run_suite(s, &progress, continuation);
  progress.close();
  const std::string journal_error = journal->error();
  if (!journal_error.empty()) {
    fmt::print(stderr, "casebook: stopped: {}; the pairs graded until then are kept\n",
               journal_error);
  }
  // Each labelled program's file-level verdict: did any detector flag it?
  for (auto& u : program_union_verdicts(verdicts)) {
    print_union_verdict(u);
    verdicts.push_back(std::move(u));
  }
  const int interrupted_by = interrupting_signal();

  RunInfo info;
  info.started_at = started_at;
  info.duration_seconds =
      elapsed_before +
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  info.seed = s.seed;
  info.repeat = o.repeat;
  info.deflake = o.deflake;
  info.deflake_max = s.budget.deflake_max;
  info.deflake_seconds = o.deflake_seconds;
  info.trials_alone = s.trials_alone;
  info.jobs = s.jobs;
  info.filter = o.filter;
  for (const Detector* d : detectors) info.detectors.emplace_back(d->name());
  info.command = o.command_line;
  info.interrupted = interrupted_by != 0 || !journal_error.empty();
  info.identity = identity;
  if (earlier) {
    info.resumed_times = earlier->resumed_before + 1;
    info.pairs_kept = static_cast<int>(continuation.graded_before.size());
  }
  info.shard_index = s.shard.index;
  info.shard_count = s.shard.count;
  info.noise_level = o.noise_level.value_or(0);

  results::Results document = results_of(verdicts, info, environment,
                                         describe_case_sources(s.variants, o.common.source_root));
  if (auto bases = describe_source_bases(s.variants); !bases.empty()) {
    document.source_bases = std::move(bases);
  }
  if (built) document.programs = results::Programs{built->compiled, built->reused, built->failed};
  document.scorecard = reports::scorecard_of(document);
  const std::string continue_with = o.resume_dir.empty()
                                        ? o.command_line + " --resume " + shell_quote(out.string())
                                        : o.command_line;
  try {
    write_file_atomically(
        (out / "results.json").string(),
        results::to_json(document).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) +
            "\n");
    write_file_atomically((out / "junit.xml").string(), reports::junit_from_results(document));
  } catch (const InfraError& e) {
    throw InfraError(std::string(e.what()) + ". The " + std::to_string(journal->recorded()) +
                     " pair(s) graded are kept in " + journal_path +
                     "; once the cause is fixed, `" + continue_with +
                     "` continues the run without running them again");
  }
  const bool whole_run = interrupted_by == 0 && journal_error.empty();
  if (whole_run) journal->remove();
  if (!o.keep_work) fs::remove_all(work, ec);

  const Summary summary = summarize(verdicts);
  if (o.repeat > 1) print_manifestation(verdicts);
  print_noise_comparison(noise_comparison(verdicts), s.noise_level);
  print_failures(verdicts);
  fmt::print("\nWrote {} and {} ({:.1f} s)\n", (out / "results.json").string(),
             (out / "junit.xml").string(), info.duration_seconds);
  if (interrupted_by != 0) {
    fmt::print("Interrupted by signal {}: {} of {} pair(s) finished; the rest did not run.\n",
               interrupted_by, verdicts.size(), pairs);
  } else if (!journal_error.empty()) {
    fmt::print(
        "Stopped: the run journal could not be written ({}); {} of {} pair(s) finished, "
        "the rest did not run.\n",
        journal_error, verdicts.size(), pairs);
  }
  if (!whole_run) fmt::print("Continue it with: {}\n", continue_with);
  fmt::print("{}\n", summary_line(summary));
  std::fflush(stdout);
  if (interrupted_by != 0) return 128 + interrupted_by;
  if (!journal_error.empty()) return kExitInfra;
  if (summary.failed == 0) return kExitOk;
  return summary.failed == summary.infrastructure_errors ? kExitInfra : kExitExpectationFailed;
}

}  // namespace casebook
