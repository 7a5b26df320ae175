#include "suite/suite.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <thread>

#include "common/errors.hpp"
#include "process/cancellation.hpp"
#include "process/program_path.hpp"
#include "suite/trial.hpp"

namespace casebook {

namespace fs = std::filesystem;

namespace {

using Job = PlannedJob;

std::chrono::milliseconds timeout_for(const SuiteOptions& o, const Job& job) {
  if (auto own = job.detector->own_timeout(*job.variant)) return *own;
  const VariantDecl& v = *job.variant;
  if (o.timeout_override) return *o.timeout_override;
  if (v.timeout_seconds > 0) {
    return std::chrono::milliseconds(static_cast<long long>(v.timeout_seconds * 1000));
  }
  return o.default_timeout;
}

// A deciding trial that was a noisy retry reruns as what it was: the noisy twin's detector at
// the same level, from the same seed.
std::string repro_line(const SuiteOptions& o, const VerdictRecord& r, const Detector& detector) {
  std::uint64_t seed = o.seed;
  std::string detectors = r.detector;
  if (r.grade.deciding_trial >= 0 && r.grade.verdict != Verdict::missed) {
    const TrialRecord& t = r.trials.at(static_cast<std::size_t>(r.grade.deciding_trial));
    seed = t.seed;
    if (t.noise_level > 0 && noisy_twin_of(detector) != nullptr) {
      detectors = std::string(noisy_twin_of(detector)->name()) + " --noise " +
                  std::to_string(t.noise_level);
    }
  }
  return o.runner_command + " --filter " + shell_quote(r.variant.id()) + " --detectors " +
         detectors + " --seed " + std::to_string(seed);
}

std::string program_binary(const SuiteOptions& o, const VariantDecl& v, const Detector& d) {
  if (!v.program) return (fs::path(o.bin_dir) / d.traits().binary_name).string();
  const auto built = v.program->binaries.find(std::string(d.traits().configuration));
  return built == v.program->binaries.end() ? "" : built->second;
}

// The verdict of a pair whose program did not build for the detector's configuration: an
// error of the program (not of the machine), with the compiler's message.
std::optional<VerdictRecord> unbuilt_program(const Job& job) {
  const VariantDecl& v = *job.variant;
  if (!v.program) return std::nullopt;
  const auto failed =
      v.program->build_errors.find(std::string(job.detector->traits().configuration));
  if (failed == v.program->build_errors.end()) return std::nullopt;
  VerdictRecord r;
  r.variant = v;
  r.detector = std::string(job.detector->name());
  r.expected = expectation_of(v, *job.detector);
  if (r.expected.want == Want::skip) return std::nullopt;
  r.grade.verdict = Verdict::error;
  r.grade.reason = "the program did not build for " +
                   std::string(job.detector->traits().configuration) + ": " + failed->second;
  return r;
}

// The binary of the detector's noisy twin, when it has one and it was built; "" otherwise.
std::string noisy_twin_binary(const SuiteOptions& o, const Detector& detector) {
  const Detector* twin = noisy_twin_of(detector);
  if (twin == nullptr) return "";
  const fs::path binary = fs::path(o.bin_dir) / twin->traits().binary_name;
  return ::access(binary.c_str(), X_OK) == 0 ? binary.string() : "";
}

// The verdict of a pair whose detector needs a program this machine does not have: skipped,
// saying what to install, so a machine without Valgrind still runs everything else.
std::optional<VerdictRecord> missing_program(const Job& job) {
  const std::string needed(job.detector->traits().required_program);
  if (needed.empty() || !find_program(needed).empty()) return std::nullopt;
  VerdictRecord r;
  r.variant = *job.variant;
  r.detector = std::string(job.detector->name());
  r.expected = expectation_of(*job.variant, *job.detector);
  if (r.expected.want == Want::skip) return std::nullopt;  // graded as declared, no trial
  r.grade.verdict = Verdict::skipped;
  r.grade.passed = true;
  r.grade.reason = r.detector + " needs " + needed +
                   ", which is not installed here (not on PATH): install it (Debian: apt-get "
                   "install " +
                   needed + ") to run " + r.detector;
  return r;
}

VerdictRecord run_job(const SuiteOptions& o, const Job& job) {
  if (auto missing = missing_program(job)) return *missing;
  if (auto unbuilt = unbuilt_program(job)) return *unbuilt;
  VerdictRecord r;
  r.variant = *job.variant;
  r.detector = std::string(job.detector->name());
  r.expected = expectation_of(*job.variant, *job.detector);

  const auto start = std::chrono::steady_clock::now();
  TrialPlan plan;
  plan.variant = job.variant;
  plan.detector = job.detector;
  plan.timeout = timeout_for(o, job);
  // A standalone program's binary is its own build for the detector's configuration.
  const std::string own_binary = program_binary(o, r.variant, *job.detector);
  // A standalone program has no noise build: the cb:: facade is what injects the noise.
  const std::string twin_binary =
      job.variant->program ? std::string() : noisy_twin_binary(o, *job.detector);
  plan.source_root = o.source_root;
  // What a killed run left of this pair's trials goes: the folders hold this run's alone.
  if (!o.work_dir.empty()) {
    std::error_code ec;
    fs::remove_all(fs::path(o.work_dir) / r.variant.case_name / r.variant.variant / r.detector, ec);
  }
  std::optional<LineRule> rule;
  if (!r.variant.bug_lines.empty()) {
    rule = LineRule{r.variant.file, r.variant.bug_lines, r.variant.file_base};
    if (r.variant.program) rule->pairs = r.variant.program->race_pairs;
  }
  // Detectors graded at the marked line (a compiler warning elsewhere proves nothing) get the
  // rule; the others detect at file level and have their line-level truth recorded.
  const LineRule* grading_rule =
      job.detector->traits().requires_line_match && rule.has_value() ? &*rule : nullptr;
  // A compiler run gives the same answer every time: repeating it proves nothing more.
  const bool run_once = job.detector->traits().same_every_trial;
  const TrialBudget budget = run_once ? TrialBudget{1, 1, 1, 0} : o.budget;
  while (!cancellation_requested() &&
         wants_another_trial(r.expected, r.trials, budget, grading_rule)) {
    plan.index = static_cast<int>(r.trials.size());
    // Stacks of a hang once a pair: later hangs of the same variant point at them, which
    // keeps a --repeat run from spending a gdb attach per process on every hung trial.
    const auto hung = std::find_if(r.trials.begin(), r.trials.end(),
                                   [](const TrialRecord& t) { return t.timed_out; });
    plan.stacks_in_trial = hung == r.trials.end() ? -1 : hung->index;
    // Unsigned on purpose: from a seed near 2^64 the trials wrap to 0, 1, ..., and every
    // trial's record and repro line carry the seed it really ran with.
    plan.seed = o.seed + static_cast<std::uint64_t>(plan.index);
    const bool noisy = !twin_binary.empty() && retry_with_noise(plan.index, budget);
    plan.detector = noisy ? noisy_twin_of(*job.detector) : job.detector;
    plan.case_binary = noisy ? twin_binary : own_binary;
    plan.noise_level = o.noise_level;
    plan.work_dir = (fs::path(o.work_dir) / r.variant.case_name / r.variant.variant / r.detector /
                     std::to_string(plan.index))
                        .string();
    r.trials.push_back(run_trial(plan));
    if (noisy) r.trials.back().noise_level = o.noise_level;
    if (r.trials.back().cancelled) {
      r.cancelled = true;  // an interrupted trial proves nothing either way: not graded
      return r;
    }
  }
  if (cancellation_requested() && r.trials.empty() && r.expected.want != Want::skip) {
    r.cancelled = true;
    return r;
  }
  r.grade = grade(r.expected, r.trials, grading_rule);
  if (run_once && o.budget.repeat > 1 && !r.trials.empty()) {
    r.grade.reason += "; a compiler run gives the same answer every time, so it ran once, not " +
                      std::to_string(o.budget.repeat) + " times";
  }
  if (r.grade.verdict == Verdict::missed && noisy_twin_of(*job.detector) != nullptr &&
      twin_binary.empty() && !job.variant->program) {
    bool would_have_noise = false;
    for (const auto& t : r.trials) would_have_noise |= retry_with_noise(t.index, budget);
    if (would_have_noise) {
      r.grade.reason += "; its retries ran without schedule noise: " +
                        noisy_twin_of(*job.detector)->traits().binary_name + " was not built";
    }
  }
  if (rule.has_value() && !r.trials.empty()) r.line_truth = line_truth(r.trials, *rule);
  r.duration_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (r.grade.verdict != Verdict::skipped) r.repro = repro_line(o, r, *job.detector);
  return r;
}

// A worker thread must not die of an exception (it would take the whole run with it): the
// pair is graded as an infrastructure error that names what went wrong instead.
VerdictRecord run_job_guarded(const SuiteOptions& o, const Job& job) {
  try {
    return run_job(o, job);
  } catch (const std::exception& e) {
    VerdictRecord r;
    r.variant = *job.variant;
    r.detector = std::string(job.detector->name());
    r.expected = expectation_of(*job.variant, *job.detector);
    r.grade.verdict = Verdict::error;
    r.grade.infrastructure = true;
    r.grade.reason = std::string("the runner failed on this pair: ") + e.what();
    return r;
  }
}

}  // namespace

std::vector<PlannedJob> plan_jobs(const SuiteOptions& o) {
  std::vector<PlannedJob> jobs;
  std::size_t position = 0;          // of a case's pair
  std::size_t program_position = 0;  // of a program: all its pairs go to one shard, because
                                     // its union verdict (suite/program_union.hpp) needs them
  for (const auto& v : o.variants) {
    const std::size_t program_at = v.program ? program_position++ : 0;
    for (const Detector* d : o.detectors) {
      const std::string why_not = d->not_applicable(v);
      if (why_not.empty()) {
        const std::size_t at = v.program ? program_at : position++;
        if (o.shard.takes(at)) jobs.push_back({&v, d});
      } else if (expectation_of(v, *d).declared) {
        throw UsageError("case declaration " + v.id() + " (" + v.file + ") declares an " +
                         "expectation for " + std::string(d->name()) +
                         ", which cannot apply: " + why_not);
      }
      if (why_not.empty() && d->traits().requires_line_match && v.bug_lines.empty() &&
          expectation_of(v, *d).want == Want::finds) {
        throw UsageError("case declaration " + v.id() + " (" + v.file + ") expects " +
                         std::string(d->name()) +
                         " to find its bug, but that detector counts a finding only on a line "
                         "the variant marks, and it marks none: put a `// casebook-bug` "
                         "comment on the bug's line");
      }
    }
  }
  return jobs;
}

std::vector<std::size_t> start_order(const std::vector<PlannedJob>& jobs,
                                     const SuiteOptions& options) {
  std::vector<std::chrono::milliseconds> wait(jobs.size());
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    if (jobs[i].variant->declares_hang()) wait[i] = timeout_for(options, jobs[i]);
  }
  std::vector<std::size_t> order(jobs.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return wait[a] > wait[b]; });
  return order;
}

void require_case_binaries(const SuiteOptions& o, const std::vector<PlannedJob>& jobs) {
  // The case binaries the cases' pairs need (a standalone program brings its own build).
  std::vector<const Detector*> needed;
  for (const Job& job : jobs) {
    if (!job.variant->program &&
        std::find(needed.begin(), needed.end(), job.detector) == needed.end()) {
      needed.push_back(job.detector);
    }
  }
  for (const Detector* d : needed) {
    const fs::path binary = fs::path(o.bin_dir) / d->traits().binary_name;
    if (::access(binary.c_str(), X_OK) != 0) {
      std::error_code ec;
      if (fs::is_regular_file(binary, ec)) {
        throw InfraError("case binary " + binary.string() + " (needed by detector " +
                         std::string(d->name()) +
                         ") is not executable; rebuild it (`cmake --build build`) or make it "
                         "executable (chmod +x)");
      }
      throw InfraError(
          "case binary " + binary.string() + " (needed by detector " + std::string(d->name()) +
          ") is missing; build it with `cmake --build " + "build`" +
          (d->traits().optional_build.empty() ? "" : " (" + d->traits().optional_build + ")") +
          " or point --bin-dir at the folder holding it");
    }
  }
}

std::vector<VerdictRecord> run_suite(const SuiteOptions& o, ProgressSink* progress,
                                     const SuiteContinuation& continuation) {
  std::vector<Job> jobs = plan_jobs(o);
  std::vector<VerdictRecord> results(jobs.size());
  std::vector<char> finished(jobs.size(), 0);  // char, not bool: each slot has its own writer
  std::vector<char> to_run(jobs.size(), 1);
  int kept = 0;
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    const auto before = continuation.graded_before.find(
        {jobs[i].variant->id(), std::string(jobs[i].detector->name())});
    if (before == continuation.graded_before.end()) continue;
    results[i] = before->second;
    finished[i] = 1;
    to_run[i] = 0;
    ++kept;
  }
  std::vector<PlannedJob> pending;
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    if (to_run[i]) pending.push_back(jobs[i]);
  }
  require_case_binaries(o, pending);

  const std::vector<std::size_t> order = start_order(jobs, o);

  // Timing jobs (perf, fairness) need the machine to themselves: they run after everything else,
  // one at a time, so a sanitizer run on the other core cannot bend their ratios.
  std::vector<std::size_t> shared_phase, quiet_phase;
  for (std::size_t i : order) {
    if (!to_run[i]) continue;
    (jobs[i].detector->traits().needs_quiet_machine ? quiet_phase : shared_phase).push_back(i);
  }

  std::atomic<int> done{kept};
  const int total = static_cast<int>(jobs.size());
  auto run_phase = [&](const std::vector<std::size_t>& phase, int workers) {
    std::atomic<std::size_t> next{0};
    auto worker = [&] {
      for (std::size_t k = next++; k < phase.size() && !cancellation_requested(); k = next++) {
        const std::size_t i = phase[k];
        if (progress) progress->started(*jobs[i].variant, jobs[i].detector->name());
        results[i] = run_job_guarded(o, jobs[i]);  // each slot has exactly one writer
        if (results[i].cancelled) continue;
        finished[i] = 1;
        if (continuation.on_graded) continuation.on_graded(results[i]);
        if (progress) progress->finished(results[i], ++done, total);
      }
    };
    const int threads = std::max(1, std::min<int>(workers, static_cast<int>(phase.size())));
    std::vector<std::jthread> pool;
    for (int t = 0; t < threads; ++t) pool.emplace_back(worker);
  };  // the pool's destructor joins every worker before the phase returns
  run_phase(shared_phase, o.trials_alone ? 1 : o.jobs);
  run_phase(quiet_phase, 1);
  // On an interruption, only the pairs that finished: the caller writes them as they are.
  std::vector<VerdictRecord> completed;
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    if (finished[i]) completed.push_back(std::move(results[i]));
  }
  return completed;
}

}  // namespace casebook
