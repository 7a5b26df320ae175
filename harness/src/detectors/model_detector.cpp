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
  if (!evidence.outcome || !evidence.outcome->model.is_object()) {
    reading.anomaly = describe_status(p) + " without writing an exploration result";
    return reading;
  }
  if (!(p.exited && p.exit_code == 0)) {
    reading.anomaly = describe_status(p) + " after writing its exploration result";
  }
  const nlohmann::json& m = evidence.outcome->model;
  if (!m.value("failed", false)) return reading;
  const nlohmann::json& failure = m.at("failure");
  Finding f;
  f.tool = "model";
  f.kind = failure.value("kind", "model-failure");
  f.summary = failure.value("message", "");
  // A data race's two accesses first, one stack each, the racing access then the earlier one,
  // as TSan reports a race: that is where a report writer or the line-level truth looks.
  bool earlier = false;
  for (const auto& access : failure.value("accesses", nlohmann::json::array())) {
    const std::string thread = "thread " + std::to_string(access.value("thread", 0));
    const std::string operation = access.value("operation", "");
    Stack stack;
    stack.title = std::string(earlier ? "Previous " : "") + operation + " by " + thread +
                  " (step " + std::to_string(access.value("step", 0)) + ")";
    stack.thread = thread;
    Frame frame;
    frame.function = thread + ": " + operation;
    frame.file = access.value("file", "");
    frame.line = access.value("line", 0);
    stack.frames.push_back(std::move(frame));
    f.stacks.push_back(std::move(stack));
    earlier = true;
  }
  // A blocked execution (deadlock, lost wake-up): one stack per blocked thread, at the call it
  // waits in, as gdb shows a hung process's threads; the line-level truth and SARIF look there.
  for (const auto& d : failure.value("details", nlohmann::json::array())) {
    if (!d.is_string()) continue;
    if (auto stack = blocked_thread_stack(d.get<std::string>())) f.stacks.push_back(*stack);
  }
  // The minimal interleaving as one stack, a frame per step, so every report writer can show
  // it (SARIF as a thread flow) without knowing about the model.
  Stack interleaving;
  interleaving.title = "minimal failing interleaving, schedule " + m.value("schedule", "") + " (" +
                       std::to_string(m.value("preemptions", 0)) + " preemption(s))";
  int index = 0;
  for (const auto& step : m.value("trace", nlohmann::json::array())) {
    Frame frame;
    frame.index = index++;
    frame.function = "thread " + std::to_string(step.value("thread", 0)) + ": " +
                     step.value("operation", "") + (step.value("racy", false) ? " (racy)" : "");
    frame.file = step.value("file", "");
    frame.line = step.value("line", 0);
    interleaving.frames.push_back(std::move(frame));
  }
  f.stacks.push_back(std::move(interleaving));
  for (const auto& d : failure.value("details", nlohmann::json::array())) {
    const std::string line = d.get<std::string>();
    f.raw += line + "\n";
  }
  f.raw += "schedule: " + m.value("schedule", "") + "\nreplay: " + m.value("replay_command", "") +
           "\n" + m.value("summary", "");
  reading.findings.push_back(std::move(f));
  return reading;
}

}  // namespace casebook
