// casebook: run the catalog's broken/fixed variants under detectors and grade what they saw.
//
//   casebook list [--format text|json] [--filter GLOB]
//   casebook run  [--filter GLOB] [--detectors LIST] [--repeat N] [--timeout S] [-j N]
//                 [--out DIR] [--seed S] [--deflake N] [--keep-work] [--shard i/n] [--noise L]
//                 [--valgrind-suppressions FILE]... [--no-default-valgrind-suppressions]
//                 [--resume DIR]
//   casebook report RESULTS.json... [--out DIR] [--html F] [--junit F] [--sarif F]
//                 [--markdown F] [--merged F] [--bench bench-summary.json]
//   casebook replay <case> <variant> --schedule S
//
// Exit codes: 0 every expectation met, 1 an expectation failed, 2 usage or configuration
// error, 3 infrastructure error.
#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "cli/commands.hpp"
#include "common/errors.hpp"
#include "detectors/detector.hpp"

namespace {

std::string own_folder() {
  std::error_code ec;
  auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::string(".") : self.parent_path().string();
}

// --seed takes any uint64 in decimal. CLI11 2.1 reads unsigned numbers with strtoull, which
// turns "-1" into 2^64-1 and clamps 2^64 and above to it: both would run with a seed the user
// never typed, so the text is checked before it is converted.
const CLI::Validator kSeedText(
    [](std::string& text) -> std::string {
      const bool digits =
          !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
      errno = 0;
      if (digits) static_cast<void>(std::strtoull(text.c_str(), nullptr, 10));
      if (digits && errno == 0) return {};
      return "must be a whole number in 0..18446744073709551615 (any uint64), got '" + text + "'";
    },
    "");

// The subcommand named first, when argv[1] is one; nullptr otherwise.
const CLI::App* named_subcommand(const CLI::App& app, int argc, char** argv) {
  if (argc < 2) return nullptr;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    if (sub->check_name(argv[1])) return sub;
  }
  return nullptr;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace casebook;
  CLI::App app{"casebook: broken/fixed concurrency cases, graded under detectors"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("casebook ") + CASEBOOK_VERSION);

  CommonOptions common{own_folder(), CASEBOOK_SOURCE_DIR};
  auto add_common = [&](CLI::App* sub) {
    sub->add_option("--bin-dir", common.bin_dir,
                    "Folder holding casebook-cases-{plain,tsan,asan} (default: casebook's own)")
        ->check(CLI::ExistingDirectory);
  };

  // --programs, --labels and --catalog, the same for run and list.
  auto add_sources = [](CLI::App* sub, VariantSources& sources) {
    sub->add_option("--programs", sources.programs,
                    "A folder (or file) of standalone C/C++ programs with their own main(), "
                    "built and run unchanged (repeatable; docs/programs.md)")
        ->expected(1)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
        ->type_name("DIR");
    sub->add_flag("--catalog", sources.with_catalog, "With --programs, the catalog's cases too");
    sub->add_option("--labels", sources.labels,
                    "A label file for --programs: positive or negative per program, with "
                    "optional bug lines (docs/programs.md)")
        ->type_name("FILE");
  };

  ListOptions list;
  auto* list_cmd = app.add_subcommand("list", "Show the cases, their variants and expectations");
  list_cmd->add_option("--format", list.format, "text or json")
      ->check(CLI::IsMember({"text", "json"}));
  list_cmd->add_option("--filter", list.filter, "Glob over <case> or <case>/<variant>");
  add_sources(list_cmd, list.sources);
  add_common(list_cmd);

  RunOptions run;
  auto* run_cmd = app.add_subcommand("run", "Run variants under detectors and grade them");
  run_cmd->add_option("--filter", run.filter,
                      "Comma-separated globs over <case> or <case>/<variant>, or category:NAME");
  run_cmd->add_option("--detectors", run.detectors,
                      "Comma-separated detectors, or the sets 'default' (what runs without "
                      "this flag) and 'all': " +
                          fmt::format("{}", fmt::join(detector_names(), ",")));
  run_cmd->add_option("--repeat", run.repeat,
                      "Trials per (variant, detector), 1 or more; default 1");
  run_cmd->add_option(
      "--deflake", run.deflake,
      "Trials a broken variant gets at least to show its finding, 1 or more; default 5");
  run_cmd->add_option("--deflake-seconds", run.deflake_seconds,
                      "Past --deflake, a broken variant that has not shown its finding gets more "
                      "trials while its trials took less than this many seconds, 0 to 86400; "
                      "default 120 (0: exactly --deflake trials)");
  run_cmd->add_option("--deflake-max", run.deflake_max,
                      "The most trials a broken variant gets to show its finding (never fewer "
                      "than --deflake), every second one past --deflake with schedule noise "
                      "where the detector has a noise build (invariant); default 100");
  run_cmd->add_flag("--share-machine", run.share_machine,
                    "With --repeat, still run -j pairs at once: faster, but a rate then depends "
                    "on what ran beside it (without this flag, --repeat runs one pair at a "
                    "time)");
  run_cmd->add_option("--timeout", run.timeout_seconds,
                      "Per-trial timeout in seconds, in (0, 86400], overriding the cases' own");
  run_cmd->add_option("-j,--jobs", run.jobs, "Parallel jobs, 1 or more (default: one per CPU)");
  CLI::Option* run_out =
      run_cmd->add_option("--out", run.out_dir, "Folder for results.json and junit.xml")
          ->capture_default_str();
  run_cmd
      ->add_option("--resume", run.resume_dir,
                   "Continue the interrupted run whose --out was DIR (killed, rebooted, out of "
                   "disk): keep the pairs it graded, run the rest with its seed, write DIR's "
                   "results. Give that run's options again; another build or other options "
                   "are refused")
      ->type_name("DIR");
  run_cmd
      ->add_option("--seed", run.seed,
                   "Seed of trial 1, any uint64 (trial i uses seed + i - 1, wrapping at 2^64); "
                   "default: a random one below 2^48, printed at the start")
      ->check(kSeedText);
  run_cmd->add_flag("--keep-work", run.keep_work, "Keep each trial's logs under <out>/trials");
  run_cmd->add_option("--noise", run.noise_level,
                      "Also run the invariant-noise detector: the invariant under seeded "
                      "schedule noise at LEVEL 1..10 (about LEVEL x 5% of cb:: operations "
                      "yield or sleep)");
  run_cmd
      ->add_option("--valgrind-suppressions", run.valgrind_suppressions,
                   "A Valgrind suppressions file for every helgrind and drd trial, after "
                   "casebook's own (repeatable)")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->type_name("FILE");
  run_cmd->add_flag("--no-default-valgrind-suppressions", run.no_default_valgrind_suppressions,
                    "Leave out casebook's own suppressions (share/casebook/valgrind/casebook.supp) "
                    "of runtime-internal Helgrind and DRD reports");
  add_sources(run_cmd, run.sources);
  run_cmd
      ->add_option("--program-cache", run.program_cache,
                   "Where built programs are kept between runs (default: "
                   "$XDG_CACHE_HOME/casebook/programs or ~/.cache/casebook/programs)")
      ->type_name("DIR");
  run_cmd->add_option("--shard", run.shard,
                      "Run shard i of n (i/n, 0-based) of the pairs; default: GTEST_SHARD_INDEX "
                      "and GTEST_TOTAL_SHARDS when set, else all");
  add_common(run_cmd);

  ReportOptions report;
  auto* report_cmd = app.add_subcommand(
      "report", "Render results.json files (merging shards) into HTML, JUnit, SARIF, Markdown");
  report_cmd->add_option("results", report.inputs, "results.json files, merged in order")
      ->required();
  report_cmd->add_option("--out", report.out_dir,
                         "Folder to write index.html, junit.xml, casebook.sarif, summary.md "
                         "(and merged-results.json when merging) into");
  report_cmd->add_option("--html", report.html, "Write the self-contained HTML report here");
  report_cmd->add_option("--junit", report.junit, "Write JUnit XML here");
  report_cmd->add_option("--sarif", report.sarif, "Write SARIF 2.1.0 here");
  report_cmd->add_option("--markdown", report.markdown, "Write the Markdown summary here");
  report_cmd->add_option("--sarif-by-detector", report.sarif_by_detector,
                         "Write one SARIF file per detector (<detector>.sarif) into this folder, "
                         "for uploads with one category per detector");
  report_cmd->add_option("--merged", report.merged, "Write the merged results.json here");
  report_cmd->add_option("--bench", report.bench,
                         "Show this bench-summary.json (bench/run-bench.sh) in the HTML report; "
                         "default: the bench-summary.json beside the first results file, if any");

  ReplayOptions replay;
  auto* replay_cmd = app.add_subcommand(
      "replay", "Rerun one controlled-scheduler schedule (as a model failure prints it)");
  replay_cmd->add_option("case", replay.case_name, "Case name")->required();
  replay_cmd->add_option("variant", replay.variant, "broken or fixed")->required();
  replay_cmd->add_option("--schedule", replay.schedule, "The schedule string, e.g. 0x3.1x3.2")
      ->required();
  add_common(replay_cmd);

  // A first word that is no option and no command: CLI11 would only say that a subcommand is
  // required and point at `<word> --help`, which does not exist.
  if (argc > 1 && argv[1][0] != '-' && named_subcommand(app, argc, argv) == nullptr) {
    std::string commands;
    for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
      commands += fmt::format("  {:<8} {}\n", sub->get_name(), sub->get_description());
    }
    std::cerr << "casebook: '" << argv[1] << "' is not a casebook command. The commands are:\n"
              << commands << "Run 'casebook <command> --help' for one command's options.\n";
    return kExitUsage;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    const CLI::App* sub = named_subcommand(app, argc, argv);
    std::cerr << "casebook: " << e.what() << "\nRun 'casebook "
              << (sub != nullptr ? sub->get_name() + " --help" : std::string("--help"))
              << "' for usage.\n";
    return kExitUsage;
  }

  for (int i = 0; i < argc; ++i) run.command_line += (i ? " " : "") + std::string(argv[i]);
  if (!run.resume_dir.empty()) {
    // --resume DIR writes where the run being continued wrote: --out, if given, must agree.
    std::error_code ec;
    const auto where = [&](const std::string& p) {
      return std::filesystem::absolute(p, ec).lexically_normal().string();
    };
    if (run_out->count() > 0 && where(run.out_dir) != where(run.resume_dir)) {
      std::cerr << "casebook: --resume " << run.resume_dir << " continues the run written there, "
                << "so its results go there too, not to --out " << run.out_dir << "; drop --out\n";
      return kExitUsage;
    }
    run.out_dir = run.resume_dir;
  }
  list.common = common;
  run.common = common;
  replay.common = common;
  try {
    if (list_cmd->parsed()) return list_command(list);
    if (report_cmd->parsed()) return report_command(report);
    if (replay_cmd->parsed()) return replay_command(replay);
    return run_command(run);
  } catch (const UsageError& e) {
    std::cerr << "casebook: " << e.what() << "\n";
    return kExitUsage;
  } catch (const InfraError& e) {
    std::cerr << "casebook: infrastructure error: " << e.what() << "\n";
    return kExitInfra;
  } catch (const std::exception& e) {
    std::cerr << "casebook: internal error: " << e.what() << "\n";
    return kExitInfra;
  }
}
