#include "suite/trial.hpp"

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include "common/printable_text.hpp"
#include "common/text_file.hpp"
#include "configurations/build_configurations.hpp"
#include "parse/located_paths.hpp"
#include "process/stack_capture.hpp"
#include "programs/program_environment.hpp"
#include "protocol/host_protocol_reader.hpp"

namespace casebook {

namespace fs = std::filesystem;

std::string shell_quote(const std::string& word) {
  if (!word.empty() && word.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVW"
                                              "XYZ0123456789_-./=:,+@%") == std::string::npos) {
    return word;
  }
  std::string out = "'";
  for (char c : word) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

std::vector<std::string> trial_argv(const TrialPlan& plan, const std::string& outcome_path,
                                    const std::string& log_prefix) {
  const VariantDecl& v = *plan.variant;
  std::vector<std::string> argv = plan.detector->command_prefix(log_prefix);
  if (v.program) {
    argv.push_back(plan.case_binary);  // a standalone program runs as it is, with no arguments
    return argv;
  }
  if (auto own = plan.detector->own_arguments(v, plan.source_root)) {
    argv.push_back(plan.case_binary);
    argv.insert(argv.end(), own->begin(), own->end());
    return argv;
  }
  const std::string command(plan.detector->traits().host_command);
  argv.insert(argv.end(), {plan.case_binary, command, v.case_name});
  if (command != "compare") argv.push_back(v.variant);
  if (command == "property") {
    // The property generates its own inputs; the trial's seed seeds rapidcheck.
    argv.insert(argv.end(), {"--seed", std::to_string(plan.seed)});
  } else if (plan.detector->host_chooses_inputs(v)) {
    argv.insert(argv.end(), {"--seed", std::to_string(plan.seed)});
  } else {
    // Slow detectors (the model scheduler repeats the variant thousands of times, Valgrind
    // runs it 50-500x slower) take the variant's small inputs when it declares them.
    const Params& params =
        plan.detector->traits().uses_small_inputs ? v.small_or_defaults() : v.defaults;
    argv.insert(argv.end(),
                {"--threads", std::to_string(params.threads), "--iterations",
                 std::to_string(params.iterations), "--seed", std::to_string(plan.seed)});
    for (const auto& [name, value] : params.extra) {
      argv.push_back("--param");
      argv.push_back(name + "=" + std::to_string(value));
    }
  }
  if (!outcome_path.empty()) {
    argv.push_back("--outcome");
    argv.push_back(outcome_path);
  }
  return argv;
}

namespace {

// The model's interleaving and racing accesses in the outcome name files as the case host
// saw them; those in the case's CASEBOOK_EXTRA_CASES folder become relative to it, with a
// "base", as the findings' frames do.
void locate_model_steps(results::Outcome& outcome, const std::string& source_root,
                        const VariantDecl& variant) {
  const SourceBase extra = variant.source_base();
  if (extra.folder.empty() || !outcome.model) return;
  auto locate = [&](std::vector<results::ModelStep>& steps) {
    for (results::ModelStep& step : steps) {
      if (step.file.empty()) continue;
      LocatedPath at = locate_path(step.file, source_root, extra);
      if (at.base.empty()) continue;
      step.file = at.file;
      step.base = at.base;
    }
  };
  if (outcome.model->trace) locate(*outcome.model->trace);
  if (outcome.model->failure) locate(outcome.model->failure->accesses);
}

// The last max_lines lines of text, and at most max_bytes of them: a child that floods
// stderr with one endless line must not put a megabyte into every results.json trial.
std::string tail_lines(const std::string& text, std::size_t max_lines, std::size_t max_bytes) {
  if (text.size() > max_bytes) {
    return "[...] " + tail_lines(text.substr(text.size() - max_bytes), max_lines, max_bytes);
  }
  std::size_t start = text.size();
  for (std::size_t n = 0; n <= max_lines; ++n) {
    if (start == 0) return text;
    const std::size_t nl = text.rfind('\n', start - 1);
    if (nl == std::string::npos) return text;
    start = nl;
  }
  return text.substr(start + 1);
}

// Shows a path relative to the current directory when it lies under it, for shorter commands.
std::string display_path(const std::string& path) {
  std::error_code ec;
  fs::path rel = fs::relative(path, fs::current_path(ec), ec);
  if (ec || rel.empty() || rel.string().rfind("..", 0) == 0) return path;
  return rel.string();
}

}  // namespace

namespace {

// The most of an outcome file the runner reads: the case host writes a few KiB (a model
// failure's trace, tens of KiB). Parsed whole, a file a case wrote itself could take gigabytes.
constexpr std::uintmax_t kMaxOutcomeBytes = 16u << 20;
// The most of a tool's logs the runner reads per trial (all its per-process files together):
// a sanitizer or Valgrind log of a real run is far smaller; the parsers read a cut one fine.
constexpr std::size_t kMaxToolLogBytes = 64u << 20;

// The variant's outcome, or nothing: no file, a file cut short by a kill (no outcome either),
// or one the runner will not read, which *problem then names.
std::optional<nlohmann::json> read_outcome(const fs::path& path, std::string* problem) {
  std::error_code ec;
  const std::uintmax_t size = fs::file_size(path, ec);
  if (ec) return std::nullopt;
  if (size > kMaxOutcomeBytes) {
    *problem = "its outcome file is " + std::to_string(size >> 20) +
               " MiB, more than the 16 MiB casebook reads: ignored";
    return std::nullopt;
  }
  nlohmann::json outcome = nlohmann::json::parse(printable_text(read_text_file(path)), nullptr,
                                                 /*allow_exceptions=*/false);
  if (outcome.is_discarded()) return std::nullopt;
  if (!outcome.is_object()) {
    *problem =
        "its outcome file holds JSON that is not an object (the case host writes one): ignored";
    return std::nullopt;
  }
  return outcome;
}

// read_evidence's mark on a reading made without the outcome it was given.
constexpr std::string_view kOutcomeSetAside = "its outcome file is not the case host's";

}  // namespace

ReadOutcome outcome_of(const nlohmann::json& document) {
  ReadOutcome read;
  try {
    read.outcome = protocol::read_outcome(document);
  } catch (const FieldError& e) {
    read.problem = std::string(kOutcomeSetAside) + " (" + e.what() + "): ignored";
  }
  return read;
}

namespace {

bool reading_dropped_outcome(const DetectorReading& reading) {
  for (const auto& f : reading.findings) {
    if (f.summary.find(kOutcomeSetAside) != std::string::npos) return true;
  }
  return reading.anomaly.find(kOutcomeSetAside) != std::string::npos;
}

}  // namespace

DetectorReading read_evidence(const Detector& detector, TrialEvidence evidence) {
  try {
    return detector.read(evidence);
  } catch (const nlohmann::json::exception& e) {
    if (!evidence.outcome) throw;  // not the outcome's doing: the runner's own fault
    evidence.outcome.reset();
    evidence.outcome_problem = std::string(kOutcomeSetAside) + " (" + e.what() + "): ignored";
  }
  DetectorReading reading = detector.read(evidence);
  // A detector that reads no outcome would not have thrown; one that does says why it has none
  // in its own finding (the invariant detector), else here.
  if (!reading_dropped_outcome(reading)) {
    reading.anomaly += (reading.anomaly.empty() ? "" : "; ") + evidence.outcome_problem;
  }
  return reading;
}

ResourceLimits trial_limits(const VariantDecl& variant, std::string_view configuration) {
  ResourceLimits limits;
  const configurations::BuildConfiguration* build =
      configurations::find_build_configuration(configuration);
  if (build != nullptr && build->sanitizer.empty()) {
    // Sanitizers reserve terabytes of address space, so only builds without one get a cap.
    limits.address_space_bytes = kTrialAddressSpaceBytes;
  }
  // The memory cap that holds in every configuration: resident memory, which sanitizers'
  // reserved-but-untouched shadow does not inflate (see ResourceLimits::max_resident_bytes).
  const int memory_mib =
      variant.memory_limit_mib > 0 ? variant.memory_limit_mib : kDefaultMemoryLimitMiB;
  limits.max_resident_bytes = static_cast<unsigned long long>(memory_mib) << 20;
  limits.file_size_bytes = kTrialFileSizeBytes;
  // Runaway forking: the kernel's cap (a pids cgroup, which binds root too), and the runner's
  // own count of the group every 100 ms, which is all that is left where the machine gives no
  // pids cgroup (it bounds slow growth; an exponential fork bomb can overshoot it).
  const int max_tasks = variant.max_tasks > 0 ? variant.max_tasks : kDefaultMaxTasks;
  limits.max_tasks = static_cast<unsigned long long>(max_tasks);
  limits.max_processes = static_cast<unsigned long long>(std::min(max_tasks, 1024));
  return limits;
}

TrialRecord run_trial(const TrialPlan& plan) {
  TrialRecord record;
  record.index = plan.index;
  record.seed = plan.seed;

  const fs::path dir = plan.work_dir;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) {
    record.infra_error = "cannot create trial folder " + dir.string() + ": " + ec.message();
    return record;
  }
  const fs::path outcome_path = dir / "outcome.json";
  const std::string log_name = std::string(plan.detector->name()) + "-log";

  ProcessSpec spec;
  spec.argv = trial_argv(plan, outcome_path.string(), (dir / log_name).string());
  // A standalone program's own additions (OMP_NUM_THREADS, OpenMP's TSan tool) over the
  // detector's environment.
  const Environment program_env =
      program_environment(*plan.variant, plan.detector->traits().configuration, plan.index);
  spec.env = merge_environment(
      plan.detector->environment(ChildSettings{(dir / log_name).string(), plan.noise_level}),
      program_env);
  spec.timeout = plan.timeout;
  // The child leads its own process group, so this also finds what it forked. A wrapper's
  // (Valgrind's) threads are its own, not the case's: no stacks worth the gdb time there.
  if (plan.stacks_in_trial < 0 && plan.detector->traits().reads_hang_stacks &&
      plan.detector->command_prefix("").empty()) {
    spec.on_timeout = [](pid_t pid) { return capture_group_stacks(pid, std::chrono::seconds(20)); };
  }
  // A trial whose grade cannot change any more ends there (Detector::settled_check).
  spec.settled = plan.detector->settled_check(*plan.variant, (dir / log_name).string());
  // A trial blocked for good ends there, as at its timeout (Detector::idle_end).
  spec.idle_timeout = plan.detector->idle_end(*plan.variant);
  spec.limits = trial_limits(*plan.variant, plan.detector->traits().configuration);

  // The by-hand command: same binary, environment and seed, outcome on stdout.
  std::string command;
  for (const auto& [key, value] : merge_environment(
           plan.detector->environment(ChildSettings{"/tmp/casebook-" + log_name, plan.noise_level}),
           program_env)) {
    command += key + "=" + shell_quote(value) + " ";
  }
  auto shown_argv = trial_argv(plan, "", "/tmp/casebook-" + log_name);
  for (auto& word : shown_argv) {
    if (word == plan.case_binary) word = display_path(word);
  }
  for (const auto& word : shown_argv) command += shell_quote(word) + " ";
  command.pop_back();
  record.command = command;

  ProcessResult p = run_process(spec);
  // What the child printed, as every writer can take it (common/printable_text.hpp).
  p.stdout_text = printable_text(p.stdout_text);
  p.stderr_text = printable_text(p.stderr_text);
  p.timeout_evidence = printable_text(p.timeout_evidence);
  record.duration_seconds = std::chrono::duration<double>(p.duration).count();
  record.peak_rss_kib = p.peak_rss_kib;
  record.status = describe_status(p);
  if (p.exited) record.exit_code = p.exit_code;
  if (p.signaled) record.signal = p.term_signal;
  record.timed_out = p.timed_out;
  record.cancelled = p.cancelled;
  record.stdout_truncated = p.stdout_truncated;
  record.stderr_truncated = p.stderr_truncated;
  record.stderr_tail = tail_lines(p.stderr_text, 20, 4096);
  if (p.cancelled) return record;
  if (!p.limit_exceeded.empty()) {
    record.runner_limit = p.limit_exceeded;  // not the detector's to explain
    return record;
  }
  if (!p.started) {
    record.infra_error = "cannot start the case binary: " + p.start_error;
    return record;
  }

  std::string outcome_problem;
  const std::optional<nlohmann::json> document = read_outcome(outcome_path, &outcome_problem);
  ReadOutcome outcome;
  if (document) {
    outcome = outcome_of(*document);
    // Kept when it reads as the case host's outcome; one that does not is dropped, for every
    // detector alike, and those that read outcomes say why they have none.
    record.outcome = outcome.outcome;
    outcome_problem = outcome.problem;
  }

  TrialEvidence evidence{*plan.variant,
                         p,
                         printable_text(read_prefixed_files(dir, log_name, kMaxToolLogBytes)),
                         std::move(outcome.outcome),
                         plan.source_root,
                         plan.stacks_in_trial,
                         outcome_problem};
  DetectorReading reading = read_evidence(*plan.detector, std::move(evidence));
  if (reading_dropped_outcome(reading)) record.outcome.reset();
  record.findings = std::move(reading.findings);
  record.suppressed = std::move(reading.suppressed);
  // Frames in the case's CASEBOOK_EXTRA_CASES folder named relative to it, as its file is.
  locate_frames(record.findings, plan.source_root, plan.variant->source_base());
  if (record.outcome) locate_model_steps(*record.outcome, plan.source_root, *plan.variant);
  record.anomaly = std::move(reading.anomaly);
  record.infra_error = std::move(reading.infra_error);
  return record;
}

}  // namespace casebook
