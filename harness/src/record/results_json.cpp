#include "record/results_json.hpp"

#include <string_view>

#include "grade/manifestation.hpp"
#include "record/noise_comparison.hpp"

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
    case Want::false_positive:
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
    results::count_verdict(s, v.grade.verdict == Verdict::skipped, v.grade.passed,
                           v.grade.infrastructure);
  }
  return s;
}

results::Finding finding_entry(const Finding& f) {
  results::Finding out = f;
  out.raw = capped(f.raw);
  return out;
}

results::Trial trial_entry(const TrialRecord& t) {
  results::Trial out = t;  // what results.json holds of a trial; the runner's extras stay behind
  for (results::Finding& f : out.findings) f.raw = capped(f.raw);
  return out;
}

namespace {

std::optional<results::Manifestation> manifestation_entry(const VerdictRecord& v) {
  if (v.grade.verdict == Verdict::skipped) return std::nullopt;
  return measure_manifestation(v.expected, v.trials);
}

// The property detector's figures, lifted from the deciding trial (or the last one run) so a
// reader of the verdict finds inputs tried, shrinks, the counterexample and its replay
// command without digging through trials. None for other detectors.
std::optional<results::PropertyCheck> property_summary(const VerdictRecord& v) {
  if (v.trials.empty()) return std::nullopt;
  const int at = v.grade.deciding_trial;
  const TrialRecord& t = at >= 0 && static_cast<std::size_t>(at) < v.trials.size()
                             ? v.trials[static_cast<std::size_t>(at)]
                             : v.trials.back();
  return t.outcome ? t.outcome->property : std::nullopt;
}

// How much of a model interleaving a trial other than the kept one still carries in its
// finding: what the SARIF writer shows of a stack (40 frames) and what its fingerprint reads,
// so every report renders as before.
constexpr std::size_t kOtherTrialInterleavingFrames = 40;

bool has_model_trace(const results::Trial& trial) {
  return trial.outcome && trial.outcome->model && trial.outcome->model->trace &&
         !trial.outcome->model->trace->empty();
}

// A model trace once per (variant, detector): a --repeat run of a pair whose executions hit a
// 20,000-step failure would otherwise store that interleaving (twice: the outcome's trace and
// the finding's interleaving stack) in every trial. Trials other than `keep` keep their
// schedule and replay command, and point at the kept trial.
void drop_model_trace(results::Trial& trial, int keep) {
  results::Exploration& model = *trial.outcome->model;
  model.trace_omitted = results::TraceOmitted{model.trace->size(), keep};
  model.trace.reset();
  for (results::Finding& finding : trial.findings) {
    for (results::Stack& stack : finding.stacks) {
      if (stack.title.rfind("minimal failing interleaving", 0) != 0 ||
          stack.frames.size() <= kOtherTrialInterleavingFrames) {
        continue;
      }
      stack.title += "; first " + std::to_string(kOtherTrialInterleavingFrames) + " of " +
                     std::to_string(stack.frames.size()) +
                     " steps (the whole trace is stored once, in trial " + std::to_string(keep) +
                     "; replay this trial's schedule for its own)";
      stack.frames.erase(stack.frames.begin() + kOtherTrialInterleavingFrames, stack.frames.end());
    }
  }
}

results::LineLevel line_level_entry(const LineTruth& lt, const VariantDecl& variant) {
  results::LineLevel out;
  out.marked_lines = lt.marked;
  out.located = lt.located;
  out.hit = lt.hit;
  out.at = lt.at;
  if (lt.frame) {
    out.frame = results::LineFrame{lt.frame->trial,  lt.frame->stack, lt.frame->stack_title,
                                   lt.frame->thread, lt.frame->frame, lt.frame->function};
  }
  if (lt.race_pair) {
    out.race_pair = results::RacePair{
        lt.race_pair->both, lt.race_pair->one, lt.race_pair->at,
        variant.program ? std::optional(variant.program->race_pairs) : std::nullopt};
  }
  return out;
}

}  // namespace

results::Expected expected_entry(const Expectation& e) {
  results::Expected out;
  out.verdict = expected_verdict(e.want);
  out.declared = e.declared;
  out.kinds = e.kinds;
  out.reason = e.reason;
  out.false_positive_kinds = e.false_positive_kinds;
  if (!e.false_positive_kinds.empty()) out.false_positive_reason = e.false_positive_reason;
  return out;
}

results::Verdict verdict_heading(const VerdictRecord& v) {
  results::Verdict out;
  out.case_name = v.variant.case_name;
  out.variant = v.variant.variant;
  out.detector = v.detector;
  out.verdict = verdict_name(v.grade.verdict);
  out.passed = v.grade.passed;
  out.expected = expected_entry(v.expected);
  return out;
}

results::Verdict verdict_entry(const VerdictRecord& v) {
  results::Verdict out = verdict_heading(v);
  out.reason = v.grade.reason;
  out.infrastructure = v.grade.infrastructure;
  out.title = v.variant.title;
  out.category = v.variant.category;
  out.file = v.variant.file;
  out.file_base = v.variant.file_base;
  out.repro = v.repro;
  out.duration_seconds = v.duration_seconds;
  out.deciding_trial = v.grade.deciding_trial;
  for (const auto& t : v.trials) out.trials.push_back(trial_entry(t));
  // The deciding trial keeps its trace; without one, the first trial that has a trace.
  int keep = v.grade.deciding_trial;
  if (keep < 0 || static_cast<std::size_t>(keep) >= out.trials.size() ||
      !has_model_trace(out.trials[static_cast<std::size_t>(keep)])) {
    keep = -1;
    for (std::size_t i = 0; i < out.trials.size() && keep < 0; ++i) {
      if (has_model_trace(out.trials[i])) keep = static_cast<int>(i);
    }
  }
  for (std::size_t i = 0; i < out.trials.size(); ++i) {
    if (static_cast<int>(i) != keep && has_model_trace(out.trials[i])) {
      drop_model_trace(out.trials[i], keep);
    }
  }
  out.manifestation = manifestation_entry(v);
  out.property = property_summary(v);
  if (v.line_truth) out.line_level = line_level_entry(*v.line_truth, v.variant);
  // A standalone program's ground truth, which its variant name ("program") cannot carry.
  if (v.variant.program) {
    out.positive = v.variant.has_bug();
    out.labelled_by =
        v.variant.program->labelled_by.empty() ? "declarations" : v.variant.program->labelled_by;
  }
  return out;
}

json finding_to_json(const Finding& f) {
  return results::to_json(finding_entry(f));
}

json trial_to_json(const TrialRecord& t) {
  return results::to_json(trial_entry(t));
}

json expectation_to_json(const Expectation& e) {
  return results::to_json(expected_entry(e));
}

json verdict_to_json(const VerdictRecord& v) {
  return results::to_json(verdict_entry(v));
}

results::Results results_of(const std::vector<VerdictRecord>& verdicts, const RunInfo& run,
                            const results::Environment& environment,
                            std::map<std::string, results::CaseText> cases) {
  results::Results out;
  out.tool_version = CASEBOOK_VERSION;
  out.environment = environment;
  out.run = run;  // the run's own fields; `interrupted` is the document's
  if (run.noise_level > 0) {
    out.noise = noise_comparison_entry(noise_comparison(verdicts), run.noise_level);
  }
  out.summary = summarize(verdicts);
  out.interrupted = run.interrupted;
  out.verdicts.reserve(verdicts.size());
  for (const auto& v : verdicts) out.verdicts.push_back(verdict_entry(v));
  out.cases = std::move(cases);
  return out;
}

}  // namespace casebook
