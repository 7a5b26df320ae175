#include "collect/results_json.hpp"

#include <fmt/format.h>

#include "collect/noise_comparison.hpp"
#include "grade/manifestation.hpp"

namespace casebook {

using nlohmann::json;

namespace {

constexpr std::size_t kRawCap = 16 * 1024;  // per finding; the full logs are in the trial folder

std::string capped(const std::string& text) {
  if (text.size() <= kRawCap) return text;
  return text.substr(0, kRawCap) + "\n[... " + std::to_string(text.size() - kRawCap) +
         " more bytes truncated by casebook]";
}

const char* expected_verdict(Want w) {
  switch (w) {
    case Want::finds:
      return "detected";
    case Want::clean:
      return "clean";
    case Want::skip:
      return "skipped";
    case Want::known_false_positive:
      return "false-positive";
  }
  return "clean";
}

}  // namespace

Summary summarize(const std::vector<VerdictRecord>& verdicts) {
  Summary s;
  for (const auto& v : verdicts) {
    if (v.grade.verdict == Verdict::skipped) {
      ++s.skipped;
    } else if (v.grade.passed) {
      ++s.passed;
    } else {
      ++s.failed;
      if (v.grade.infrastructure) ++s.infrastructure_errors;
    }
  }
  return s;
}

std::string summary_line(const Summary& s) {
  return fmt::format("{} passed, {} failed, {} skipped", s.passed, s.failed, s.skipped);
}

json finding_to_json(const Finding& f) {
  json stacks = json::array();
  for (const auto& s : f.stacks) {
    json frames = json::array();
    for (const auto& fr : s.frames) {
      frames.push_back({{"index", fr.index},
                        {"function", fr.function},
                        {"file", fr.file},
                        {"line", fr.line},
                        {"column", fr.column},
                        {"module", fr.module}});
    }
    stacks.push_back({{"title", s.title}, {"thread", s.thread}, {"frames", std::move(frames)}});
  }
  return {{"tool", f.tool},         {"kind", f.kind},       {"summary", f.summary},
          {"location", f.location}, {"mutexes", f.mutexes}, {"lock_cycle", f.lock_cycle},
          {"stacks", stacks},       {"raw", capped(f.raw)}};
}

json trial_to_json(const TrialRecord& t) {
  json findings = json::array();
  for (const auto& f : t.findings) findings.push_back(finding_to_json(f));
  json trial = {{"index", t.index},
                {"seed", t.seed},
                {"duration_seconds", t.duration_seconds},
                {"peak_rss_kib", t.peak_rss_kib},
                {"status", t.status},
                {"exit_code", t.exited ? json(t.exit_code) : json(nullptr)},
                {"signal", t.signaled ? json(t.term_signal) : json(nullptr)},
                {"timed_out", t.timed_out},
                {"stdout_truncated", t.stdout_truncated},
                {"stderr_truncated", t.stderr_truncated},
                {"findings", std::move(findings)},
                {"anomaly", t.anomaly},
                {"infra_error", t.infra_error},
                {"outcome", t.outcome ? *t.outcome : json(nullptr)},
                {"command", t.command},
                {"stderr_tail", t.stderr_tail}};
  // Only where a tool suppressed something (Valgrind's), so other trials read as before.
  if (!t.suppressed.empty()) {
    json suppressed = json::array();
    for (const auto& s : t.suppressed) suppressed.push_back({{"name", s.name}, {"count", s.count}});
    trial["suppressed"] = std::move(suppressed);
  }
  return trial;
}

json manifestation_to_json(const VerdictRecord& v) {
  if (v.grade.verdict == Verdict::skipped) return nullptr;
  const Manifestation m = measure_manifestation(v.expected, v.trials);
  return {{"trials", m.trials},
          {"hits", m.hits},
          {"rate", m.rate},
          {"ci_low", m.ci_low},
          {"ci_high", m.ci_high},
          {"first_hit_trial", m.first_hit_trial},
          {"seconds_to_first_hit", m.seconds_to_first_hit}};
}

// The property detector's figures, lifted from the deciding trial (or the last one run) so a
// reader of the verdict finds inputs tried, shrinks, the counterexample and its replay
// command without digging through trials. null for other detectors.
json property_summary(const VerdictRecord& v) {
  if (v.detector != "property" || v.trials.empty()) return nullptr;
  const int at = v.grade.deciding_trial;
  const TrialRecord& t = at >= 0 && static_cast<std::size_t>(at) < v.trials.size()
                             ? v.trials[static_cast<std::size_t>(at)]
                             : v.trials.back();
  if (!t.outcome || !t.outcome->contains("property")) return nullptr;
  return t.outcome->at("property");
}

json verdict_to_json(const VerdictRecord& v) {
  json trials = json::array();
  for (const auto& t : v.trials) trials.push_back(trial_to_json(t));
  json expected = {{"verdict", expected_verdict(v.expected.want)},
                   {"declared", v.expected.declared}};
  if (!v.expected.kinds.empty()) expected["kinds"] = v.expected.kinds;
  if (!v.expected.reason.empty()) expected["reason"] = v.expected.reason;
  json line_level = nullptr;
  if (v.line_truth) {
    line_level = {{"marked_lines", v.line_truth->marked},
                  {"located", v.line_truth->located},
                  {"hit", v.line_truth->hit},
                  {"at", v.line_truth->at}};
  }
  return {{"case", v.variant.case_name},
          {"variant", v.variant.variant},
          {"detector", v.detector},
          {"verdict", verdict_name(v.grade.verdict)},
          {"passed", v.grade.passed},
          {"expected", std::move(expected)},
          {"reason", v.grade.reason},
          {"infrastructure", v.grade.infrastructure},
          {"title", v.variant.title},
          {"category", v.variant.category},
          {"file", v.variant.file},
          {"repro", v.repro},
          {"duration_seconds", v.duration_seconds},
          {"deciding_trial", v.grade.deciding_trial},
          {"trials", std::move(trials)},
          {"manifestation", manifestation_to_json(v)},
          {"property", property_summary(v)},
          {"line_level", std::move(line_level)}};
}

json build_results(const std::vector<VerdictRecord>& verdicts, const RunInfo& run,
                   const json& environment, const json& cases) {
  const Summary s = summarize(verdicts);
  json list = json::array();
  for (const auto& v : verdicts) list.push_back(verdict_to_json(v));
  return {{"schema_version", kResultsSchemaVersion},
          {"tool", {{"name", "casebook"}, {"version", CASEBOOK_VERSION}}},
          {"environment", environment},
          {"run",
           {{"started_at", run.started_at},
            {"duration_seconds", run.duration_seconds},
            {"seed", run.seed},
            {"repeat", run.repeat},
            {"deflake", run.deflake},
            {"jobs", run.jobs},
            {"filter", run.filter},
            {"detectors", run.detectors},
            {"command", run.command},
            {"shard", {{"index", run.shard_index}, {"count", run.shard_count}}},
            {"noise_level", run.noise_level}}},
          {"noise", run.noise_level > 0
                        ? json{{"level", run.noise_level},
                               {"comparison", noise_comparison_to_json(noise_comparison(verdicts))}}
                        : json(nullptr)},
          {"summary",
           {{"passed", s.passed},
            {"failed", s.failed},
            {"skipped", s.skipped},
            {"total", static_cast<int>(verdicts.size())},
            {"infrastructure_errors", s.infrastructure_errors}}},
          {"interrupted", run.interrupted},
          {"verdicts", std::move(list)},
          {"cases", cases}};
}

}  // namespace casebook
