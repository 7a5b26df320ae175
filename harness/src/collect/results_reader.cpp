#include "collect/results_reader.hpp"

#include "collect/results_json.hpp"

namespace casebook {

using nlohmann::json;

namespace {

Frame frame_from_json(const JsonFields& f) {
  Frame frame;
  frame.index = f.integer("index");
  frame.function = f.text("function");
  frame.file = f.text("file");
  frame.line = f.integer("line");
  frame.column = f.integer("column");
  frame.module = f.text("module");
  frame.base = f.text_or("base", "");
  return frame;
}

Stack stack_from_json(const JsonFields& f) {
  Stack stack;
  stack.title = f.text("title");
  stack.thread = f.text("thread");
  const json& frames = f.array("frames");
  for (std::size_t i = 0; i < frames.size(); ++i) {
    stack.frames.push_back(frame_from_json(JsonFields(frames[i], f.path("frames", i))));
  }
  return stack;
}

std::vector<int> int_list(const JsonFields& f, const char* key) {
  std::vector<int> out;
  const json& list = f.array(key);
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (!list[i].is_number_integer()) JsonFields::fail(f.path(key, i), "expected an integer");
    out.push_back(list[i].get<int>());
  }
  return out;
}

LineTruth line_truth_from_json(const JsonFields& f) {
  LineTruth lt;
  lt.marked = int_list(f, "marked_lines");
  lt.located = f.flag("located");
  lt.hit = f.flag("hit");
  lt.at = f.text("at");
  if (const json* frame = f.object_or_null("frame")) {
    const JsonFields r(*frame, f.path("frame"));
    lt.frame = FrameRef{r.integer("trial"), r.integer("stack"), r.text("stack_title"),
                        r.text("thread"),   r.integer("frame"), r.text("function")};
  }
  if (f.has("race_pair")) {
    const JsonFields p(f.any("race_pair"), f.path("race_pair"));
    lt.race_pair = PairTruth{p.flag("both"), p.flag("one"), int_list(p, "at")};
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

Finding finding_from_json(const json& value, const std::string& where) {
  const JsonFields f(value, where);
  Finding finding;
  finding.tool = f.text("tool");
  finding.kind = f.text("kind");
  finding.summary = f.text("summary");
  finding.location = f.text("location");
  finding.mutexes = text_list(f, "mutexes");
  finding.lock_cycle = text_list(f, "lock_cycle");
  const json& stacks = f.array("stacks");
  for (std::size_t i = 0; i < stacks.size(); ++i) {
    finding.stacks.push_back(stack_from_json(JsonFields(stacks[i], f.path("stacks", i))));
  }
  finding.raw = f.text("raw");
  return finding;
}

TrialRecord trial_from_json(const json& value, const std::string& where) {
  const JsonFields f(value, where);
  TrialRecord t;
  t.index = f.integer("index");
  t.seed = f.unsigned_integer("seed");
  t.noise_level = f.integer("noise_level");
  t.duration_seconds = f.number("duration_seconds");
  t.peak_rss_kib = static_cast<long>(f.wide("peak_rss_kib"));
  t.status = f.text("status");
  t.exited = !f.any("exit_code").is_null();
  if (t.exited) t.exit_code = f.integer("exit_code");
  t.signaled = !f.any("signal").is_null();
  if (t.signaled) t.term_signal = f.integer("signal");
  t.timed_out = f.flag("timed_out");
  t.stdout_truncated = f.flag("stdout_truncated");
  t.stderr_truncated = f.flag("stderr_truncated");
  const json& findings = f.array("findings");
  for (std::size_t i = 0; i < findings.size(); ++i) {
    t.findings.push_back(finding_from_json(findings[i], f.path("findings", i)));
  }
  if (f.has("suppressed")) {
    const json& suppressed = f.array("suppressed");
    for (std::size_t i = 0; i < suppressed.size(); ++i) {
      const JsonFields s(suppressed[i], f.path("suppressed", i));
      t.suppressed.push_back({s.text("name"), s.integer("count")});
    }
  }
  t.anomaly = f.text("anomaly");
  t.infra_error = f.text("infra_error");
  if (const json& outcome = f.any("outcome"); !outcome.is_null()) t.outcome = outcome;
  t.command = f.text("command");
  t.stderr_tail = f.text("stderr_tail");
  return t;
}

VerdictRecord verdict_from_json(const json& value, const std::string& where,
                                const VariantDecl& variant) {
  const JsonFields f(value, where);
  VerdictRecord r;
  r.variant = variant;
  r.detector = f.text("detector");
  r.expected = variant.expectation_for(r.detector);
  r.grade.verdict = verdict_from_name(f.text("verdict"), f.path("verdict"));
  r.grade.passed = f.flag("passed");
  r.grade.infrastructure = f.flag("infrastructure");
  r.grade.reason = f.text("reason");
  r.grade.deciding_trial = f.integer("deciding_trial");
  r.repro = f.text("repro");
  r.duration_seconds = f.number("duration_seconds");
  const json& trials = f.array("trials");
  for (std::size_t i = 0; i < trials.size(); ++i) {
    r.trials.push_back(trial_from_json(trials[i], f.path("trials", i)));
  }
  if (const json* line_level = f.object_or_null("line_level")) {
    r.line_truth = line_truth_from_json(JsonFields(*line_level, f.path("line_level")));
  }
  // The grade was given against the expectation the file names: it stands only while the
  // variant still declares the same one.
  const json& was = f.any("expected");
  const json now = expectation_to_json(r.expected);
  if (was != now) {
    JsonFields::fail(f.path("expected"), "this file's " + variant.id() + " under " + r.detector +
                                             " was graded expecting " + was.dump() +
                                             ", and the variant now declares " + now.dump());
  }
  return r;
}

}  // namespace casebook
