#include "collect/results_json.hpp"

#include <fmt/format.h>

#include <string_view>

#include "collect/noise_comparison.hpp"
#include "grade/manifestation.hpp"

namespace casebook {

using nlohmann::json;

namespace {

constexpr std::size_t kRawCap = 16 * 1024;  // per finding; the full logs are in the trial folder

constexpr std::string_view kCapNoteStart = "\n[... ";
constexpr std::string_view kCapNoteEnd = " more bytes truncated by casebook]";

// Whether text is already a capped report (read back from a results file by --resume): its
// first kRawCap bytes, then the note. Capping it again would count the note as the report's.
bool already_capped(const std::string& text) {
  return text.size() > kRawCap && text.compare(kRawCap, kCapNoteStart.size(), kCapNoteStart) == 0 &&
         text.ends_with(kCapNoteEnd) &&
         text.size() - kRawCap < kCapNoteStart.size() + kCapNoteEnd.size() + 21;
}

std::string capped(const std::string& text) {
  if (text.size() <= kRawCap || already_capped(text)) return text;
  return text.substr(0, kRawCap) + std::string(kCapNoteStart) +
         std::to_string(text.size() - kRawCap) + std::string(kCapNoteEnd);
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
    case Want::may_find:
      return "may-find";
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
      json frame = {{"index", fr.index}, {"function", fr.function}, {"file", fr.file},
                    {"line", fr.line},   {"column", fr.column},     {"module", fr.module}};
      if (!fr.base.empty()) frame["base"] = fr.base;  // only off the repository: additive
      frames.push_back(std::move(frame));
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
                {"noise_level", t.noise_level},
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

namespace {

// How much of a model interleaving a trial other than the kept one still carries in its
// finding: what the SARIF writer shows of a stack (40 frames) and what its fingerprint reads,
// so every report renders as before.
constexpr std::size_t kOtherTrialInterleavingFrames = 40;

bool has_model_trace(const json& trial) {
  const json& outcome = trial.at("outcome");
  if (!outcome.is_object() || !outcome.contains("model")) return false;
  const json& model = outcome.at("model");
  return model.is_object() && model.contains("trace") && model.at("trace").is_array() &&
         !model.at("trace").empty();
}

// A model trace once per (variant, detector): a --repeat run of a pair whose executions hit a
// 20,000-step failure would otherwise store that interleaving (twice: the outcome's trace and
// the finding's interleaving stack) in every trial. Trials other than `keep` keep their
// schedule and replay command, and point at the kept trial.
void drop_model_trace(json& trial, int keep) {
  json& model = trial.at("outcome").at("model");
  const std::size_t steps = model.at("trace").size();
  model.erase("trace");
  model["trace_omitted"] = {{"steps", steps}, {"in_trial", keep}};
  for (json& finding : trial.at("findings")) {
    for (json& stack : finding.at("stacks")) {
      json& frames = stack.at("frames");
      const std::string title = stack.value("title", "");
      if (title.rfind("minimal failing interleaving", 0) != 0 ||
          frames.size() <= kOtherTrialInterleavingFrames) {
        continue;
      }
      stack["title"] = title + "; first " + std::to_string(kOtherTrialInterleavingFrames) + " of " +
                       std::to_string(frames.size()) +
                       " steps (the whole trace is stored once, in trial " + std::to_string(keep) +
                       "; replay this trial's schedule for its own)";
      frames.erase(frames.begin() + kOtherTrialInterleavingFrames, frames.end());
    }
  }
}

}  // namespace

json expectation_to_json(const Expectation& e) {
  json expected = {{"verdict", expected_verdict(e.want)}, {"declared", e.declared}};
  if (!e.kinds.empty()) expected["kinds"] = e.kinds;
  if (!e.reason.empty()) expected["reason"] = e.reason;
  if (!e.false_positive_kinds.empty()) {
    expected["false_positive_kinds"] = e.false_positive_kinds;
    expected["false_positive_reason"] = e.false_positive_reason;
  }
  return expected;
}

json verdict_to_json(const VerdictRecord& v) {
  json trials = json::array();
  for (const auto& t : v.trials) trials.push_back(trial_to_json(t));
  // The deciding trial keeps its trace; without one, the first trial that has a trace.
  int keep = v.grade.deciding_trial;
  if (keep < 0 || static_cast<std::size_t>(keep) >= trials.size() ||
      !has_model_trace(trials[static_cast<std::size_t>(keep)])) {
    keep = -1;
    for (std::size_t i = 0; i < trials.size() && keep < 0; ++i) {
      if (has_model_trace(trials[i])) keep = static_cast<int>(i);
    }
  }
  for (std::size_t i = 0; i < trials.size(); ++i) {
    if (static_cast<int>(i) != keep && has_model_trace(trials[i])) {
      drop_model_trace(trials[i], keep);
    }
  }
  json expected = expectation_to_json(v.expected);
  json line_level = nullptr;
  if (v.line_truth) {
    const LineTruth& lt = *v.line_truth;
    line_level = {{"marked_lines", lt.marked},
                  {"located", lt.located},
                  {"hit", lt.hit},
                  {"at", lt.at},
                  {"frame", lt.frame ? json{{"trial", lt.frame->trial},
                                            {"stack", lt.frame->stack},
                                            {"stack_title", lt.frame->stack_title},
                                            {"thread", lt.frame->thread},
                                            {"frame", lt.frame->frame},
                                            {"function", lt.frame->function}}
                                     : json(nullptr)}};
    if (lt.race_pair) {
      line_level["race_pair"] = {
          {"both", lt.race_pair->both},
          {"one", lt.race_pair->one},
          {"at", lt.race_pair->at},
          {"labelled", v.variant.program ? json(v.variant.program->race_pairs) : json(nullptr)}};
    }
  }
  json out = {{"case", v.variant.case_name},
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
  if (!v.variant.file_base.empty()) out["file_base"] = v.variant.file_base;
  // A standalone program's ground truth, which its variant name ("program") cannot carry.
  if (v.variant.program) {
    out["positive"] = v.variant.has_bug();
    out["labelled_by"] =
        v.variant.program->labelled_by.empty() ? "declarations" : v.variant.program->labelled_by;
  }
  return out;
}

json build_results(const std::vector<VerdictRecord>& verdicts, const RunInfo& run,
                   const json& environment, const json& cases) {
  const Summary s = summarize(verdicts);
  json list = json::array();
  for (const auto& v : verdicts) list.push_back(verdict_to_json(v));
  json out = {
      {"schema_version", kResultsSchemaVersion},
      {"tool", {{"name", "casebook"}, {"version", CASEBOOK_VERSION}}},
      {"environment", environment},
      {"run",
       {{"started_at", run.started_at},
        {"duration_seconds", run.duration_seconds},
        {"seed", run.seed},
        {"repeat", run.repeat},
        {"deflake", run.deflake},
        {"deflake_max", run.deflake_max},
        {"deflake_seconds", run.deflake_seconds},
        {"trials_alone", run.trials_alone},
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
  json& info = out.at("run");
  if (!run.identity.is_null()) info["identity"] = run.identity;
  if (run.resumed_times > 0) {
    info["resumed"] = {{"times", run.resumed_times}, {"pairs_kept", run.pairs_kept}};
  }
  return out;
}

}  // namespace casebook
