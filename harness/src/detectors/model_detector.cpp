// The model detector: the variant runs under the controlled scheduler (casebook-cases-model
// explore), which reports data races, deadlocks, lost wake-ups, livelocks, unjoined threads,
// mutex misuse and invariant violations with a shrunk schedule, its replay command and the
// interleaving.
// The whole exploration result, trace included, stays in the trial's outcome (results.json).
// A finding's stacks: a race's two accesses, each blocked thread of a deadlock or lost
// wake-up, then the minimal interleaving.
#include <charconv>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "detectors/detector_impls.hpp"

namespace casebook {

ModelDetector::ModelDetector()
    : Detector([] {
        DetectorTraits t;
        t.name = "model";
        t.configuration = "model";
        t.description =
            "the controlled scheduler: deadlock, lost wake-up, livelock, misuse, invariant, with a "
            "shrunk replayable schedule";
        t.host_command = "explore";
        // The kinds the model's exploration fails with (harness/model/src/execution.cpp) and
        // "invariant-violated" for a variant outcome that does not hold.
        t.finding_kinds = {{"data-race", "deadlock", "lost-wakeup", "livelock", "unjoined-thread",
                            "mutex-misuse", "uncaught-exception", "invariant-violated"},
                           false};
        t.without_case_api =
            "the controlled scheduler runs code written against the cb:: API; a standalone "
            "program's threads are its own";
        t.uses_small_inputs = true;
        return t;
      }()) {}

std::optional<Stack> blocked_thread_stack(std::string_view detail) {
  // "<thread> blocked in <what> at <file>:<line>[, holding <objects>]"
  constexpr std::string_view kBlocked = " blocked in ";
  const auto blocked = detail.find(kBlocked);
  if (blocked == std::string_view::npos) return std::nullopt;
  const std::string_view thread = detail.substr(0, blocked);
  std::string_view rest = detail.substr(blocked + kBlocked.size());
  if (const auto holding = rest.find(", holding"); holding != std::string_view::npos) {
    rest = rest.substr(0, holding);
  }
  const auto at = rest.rfind(" at ");
  if (at == std::string_view::npos) return std::nullopt;
  const std::string_view what = rest.substr(0, at);
  const std::string_view where = rest.substr(at + 4);
  const auto colon = where.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  int line = 0;
  const std::string_view digits = where.substr(colon + 1);
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), line);
  if (ec != std::errc() || end != digits.data() + digits.size() || line <= 0) return std::nullopt;
  Stack stack;
  stack.title = std::string(thread) + " blocked in " + std::string(what);
  stack.thread = std::string(thread);
  Frame frame;
  frame.function = std::string(thread) + ": " + std::string(what);
  frame.file = std::string(where.substr(0, colon));
  frame.line = line;
  stack.frames.push_back(std::move(frame));
  return stack;
}

std::vector<std::pair<std::string, std::string>> ModelDetector::environment(
    const ChildSettings&) const {
  std::error_code ec;
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return {};
  return {{"CASEBOOK_RUNNER_BINARY", self.string()}};
}

DetectorReading ModelDetector::read(const TrialEvidence& evidence) const {
  DetectorReading reading;
  const ProcessResult& p = evidence.process;
  if (p.timed_out) {
    reading.anomaly = "the exploration did not finish within the timeout";
    return reading;
  }
  if (!evidence.outcome || !evidence.outcome->model) {
    reading.anomaly = describe_status(p) + " without writing an exploration result";
    return reading;
  }
  if (!(p.exited && p.exit_code == 0)) {
    reading.anomaly = describe_status(p) + " after writing its exploration result";
  }
  const results::Exploration& m = *evidence.outcome->model;
  if (!m.failed) return reading;
  if (!m.failure) {
    reading.anomaly += std::string(reading.anomaly.empty() ? "" : "; ") +
                       "the exploration failed without saying how (no failure in its result)";
    return reading;
  }
  const results::ModelFailure& failure = *m.failure;
  Finding f;
  f.tool = "model";
  f.kind = failure.kind;
  f.summary = failure.message;
  // A data race's two accesses first, one stack each, the racing access then the earlier one,
  // as TSan reports a race: that is where a report writer or the line-level truth looks.
  bool earlier = false;
  for (const results::ModelStep& access : failure.accesses) {
    const std::string thread = "thread " + std::to_string(access.thread);
    Stack stack;
    stack.title = std::string(earlier ? "Previous " : "") + access.operation + " by " + thread +
                  " (step " + std::to_string(access.step) + ")";
    stack.thread = thread;
    Frame frame;
    frame.function = thread + ": " + access.operation;
    frame.file = access.file;
    frame.line = access.line;
    stack.frames.push_back(std::move(frame));
    f.stacks.push_back(std::move(stack));
    earlier = true;
  }
  // A blocked execution (deadlock, lost wake-up): one stack per blocked thread, at the call it
  // waits in, as gdb shows a hung process's threads; the line-level truth and SARIF look there.
  for (const std::string& d : failure.details) {
    if (auto stack = blocked_thread_stack(d)) f.stacks.push_back(*stack);
  }
  // The minimal interleaving as one stack, a frame per step, so every report writer can show
  // it (SARIF as a thread flow) without knowing about the model.
  Stack interleaving;
  interleaving.title = "minimal failing interleaving, schedule " + m.schedule.value_or("") + " (" +
                       std::to_string(m.preemptions.value_or(0)) + " preemption(s))";
  int index = 0;
  static const std::vector<results::ModelStep> kNoTrace;
  for (const results::ModelStep& step : m.trace ? *m.trace : kNoTrace) {
    Frame frame;
    frame.index = index++;
    frame.function = "thread " + std::to_string(step.thread) + ": " + step.operation +
                     (step.racy ? " (racy)" : "");
    frame.file = step.file;
    frame.line = step.line;
    interleaving.frames.push_back(std::move(frame));
  }
  f.stacks.push_back(std::move(interleaving));
  for (const std::string& line : failure.details) f.raw += line + "\n";
  f.raw += "schedule: " + m.schedule.value_or("") + "\nreplay: " + m.replay_command.value_or("") +
           "\n" + m.summary;
  reading.findings.push_back(std::move(f));
  return reading;
}

}  // namespace casebook
