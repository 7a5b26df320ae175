#include "record/results_reader.hpp"

#include "record/results_json.hpp"

namespace casebook {

using nlohmann::json;

namespace {

LineTruth line_truth_of(const results::LineLevel& level) {
  LineTruth lt;
  lt.marked = level.marked_lines;
  lt.located = level.located;
  lt.hit = level.hit;
  lt.at = level.at;
  if (level.frame) {
    const results::LineFrame& f = *level.frame;
    lt.frame = FrameRef{f.trial, f.stack, f.stack_title, f.thread, f.frame, f.function};
  }
  if (level.race_pair) {
    lt.race_pair = PairTruth{level.race_pair->both, level.race_pair->one, level.race_pair->at};
  }
  return lt;
}

}  // namespace

Verdict verdict_from_name(const std::string& name, const std::string& path) {
  for (Verdict v : {Verdict::detected, Verdict::missed, Verdict::clean, Verdict::false_positive,
                    Verdict::error, Verdict::skipped}) {
    if (verdict_name(v) == name) return v;
  }
  JsonFields::fail(path, "\"" + name +
                             "\" is not a verdict (detected, missed, clean, false-positive, "
                             "error, skipped)");
}

TrialRecord trial_record(const results::Trial& entry) {
  TrialRecord t;
  static_cast<results::Trial&>(t) = entry;
  return t;
}

Finding finding_from_json(const json& value, const std::string& where) {
  return results::finding_from_json(value, where);
}

TrialRecord trial_from_json(const json& value, const std::string& where) {
  return trial_record(results::trial_from_json(value, where));
}

VerdictRecord verdict_from_json(const json& value, const std::string& where,
                                const VariantDecl& variant) {
  const results::Verdict entry = results::verdict_from_json(value, where);
  VerdictRecord r;
  r.variant = variant;
  r.detector = entry.detector;
  r.expected = expectation_of(variant, r.detector);
  r.grade.verdict = verdict_from_name(entry.verdict, where + ".verdict");
  r.grade.passed = entry.passed;
  r.grade.infrastructure = entry.infrastructure;
  r.grade.reason = entry.reason;
  r.grade.deciding_trial = entry.deciding_trial;
  r.repro = entry.repro;
  r.duration_seconds = entry.duration_seconds;
  for (const auto& t : entry.trials) r.trials.push_back(trial_record(t));
  if (entry.line_level) r.line_truth = line_truth_of(*entry.line_level);
  // The grade was given against the expectation the file names: it stands only while the
  // variant still declares the same one.
  const results::Expected now = expected_entry(r.expected);
  if (entry.expected != now) {
    JsonFields::fail(where + ".expected",
                     "this file's " + variant.id() + " under " + r.detector +
                         " was graded expecting " + results::to_json(entry.expected).dump() +
                         ", and the variant now declares " + results::to_json(now).dump());
  }
  return r;
}

}  // namespace casebook
