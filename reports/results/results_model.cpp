#include "results/results_model.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <limits>

namespace casebook::results {

using nlohmann::json;

namespace {

// Optional fields a writer leaves out when they say nothing, so files read as before.
void put_if(json& out, const char* key, const std::string& text) {
  if (!text.empty()) out[key] = text;
}

// A string field whose value must be one of `names`.
std::string one_of(const JsonFields& f, const char* key,
                   std::initializer_list<std::string_view> names) {
  std::string value = f.text(key);
  if (std::find(names.begin(), names.end(), value) == names.end()) {
    std::string list;
    for (const auto name : names) list += (list.empty() ? "" : ", ") + std::string(name);
    JsonFields::fail(f.path(key), "\"" + value + "\" is not one of " + list);
  }
  return value;
}

// A field of line pairs ([[first, second], ...]), or nothing when it is null.
std::optional<std::vector<std::pair<int, int>>> line_pairs_or_null(const JsonFields& f,
                                                                   const char* key) {
  if (f.any(key).is_null()) return std::nullopt;
  const json& items = f.array(key);
  std::vector<std::pair<int, int>> pairs;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const json& item = items[i];
    const auto line = [](const json& v) {
      return v.is_number_integer() && v.get<long long>() >= 0 &&
             v.get<long long>() <= std::numeric_limits<int>::max();
    };
    if (!item.is_array() || item.size() != 2 || !line(item[0]) || !line(item[1])) {
      JsonFields::fail(f.path(key, i), "expected a pair of line numbers [first, second], found " +
                                           shown_json(item));
    }
    pairs.emplace_back(item[0].get<int>(), item[1].get<int>());
  }
  return pairs;
}

json rate_to_json(const Rate& r) {
  return {{"trials", r.trials}, {"hits", r.hits},       {"rate", r.rate},
          {"ci_low", r.ci_low}, {"ci_high", r.ci_high}, {"first_hit_trial", r.first_hit_trial}};
}

json noise_to_json(const NoiseComparison& n) {
  json rows = json::array();
  for (const NoiseRow& r : n.comparison) {
    rows.push_back({{"case", r.case_name},
                    {"variant", r.variant},
                    {"expects_finding", r.expects_finding},
                    {"without_noise", rate_to_json(r.without_noise)},
                    {"with_noise", rate_to_json(r.with_noise)}});
  }
  return {{"level", n.level}, {"comparison", std::move(rows)}};
}

Rate rate_from_json(const JsonFields& f) {
  return {f.integer("trials"), f.integer("hits"),   f.number("rate"),
          f.number("ci_low"),  f.number("ci_high"), f.integer("first_hit_trial")};
}

NoiseComparison noise_from_json(const JsonFields& f) {
  NoiseComparison n;
  n.level = f.integer("level");
  const json& rows = f.array("comparison");
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const JsonFields r(rows[i], f.path("comparison", i));
    n.comparison.push_back(
        {r.text("case"), r.text("variant"), r.flag("expects_finding"),
         rate_from_json(JsonFields(r.any("without_noise"), r.path("without_noise"))),
         rate_from_json(JsonFields(r.any("with_noise"), r.path("with_noise")))});
  }
  return n;
}

json frame_to_json(const Frame& fr) {
  json frame = {{"index", fr.index}, {"function", fr.function}, {"file", fr.file},
                {"line", fr.line},   {"column", fr.column},     {"module", fr.module}};
  put_if(frame, "base", fr.base);  // only off the repository: additive
  return frame;
}

Frame frame_from_json(const JsonFields& f) {
  Frame frame;
  frame.index = f.integer("index");
  frame.function = f.text("function");
  frame.file = f.text("file");
  frame.line = f.integer("line");
  frame.column = f.integer_or("column", 0);
  frame.module = f.text_or("module", "");
  frame.base = f.text_or("base", "");
  return frame;
}

Stack stack_from_json(const JsonFields& f) {
  Stack stack;
  stack.title = f.text("title");
  stack.thread = f.text_or("thread", "");
  const json& frames = f.array("frames");
  for (std::size_t i = 0; i < frames.size(); ++i) {
    stack.frames.push_back(frame_from_json(JsonFields(frames[i], f.path("frames", i))));
  }
  return stack;
}

std::optional<int> integer_or_null(const JsonFields& f, const char* key) {
  if (f.any(key).is_null()) return std::nullopt;
  return f.integer(key);
}

json manifestation_to_json(const Manifestation& m) {
  return {{"trials", m.trials},
          {"hits", m.hits},
          {"rate", m.rate},
          {"ci_low", m.ci_low},
          {"ci_high", m.ci_high},
          {"first_hit_trial", m.first_hit_trial},
          {"seconds_to_first_hit", m.seconds_to_first_hit}};
}

Manifestation manifestation_from_json(const JsonFields& f) {
  Manifestation m;
  m.trials = f.integer("trials");
  m.hits = f.integer("hits");
  m.rate = f.number("rate");
  m.ci_low = f.number("ci_low");
  m.ci_high = f.number("ci_high");
  m.first_hit_trial = f.integer("first_hit_trial");
  m.seconds_to_first_hit = f.number("seconds_to_first_hit");
  return m;
}

json line_level_to_json(const LineLevel& lt) {
  json out = {{"marked_lines", lt.marked_lines},
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
    out["race_pair"] = {
        {"both", lt.race_pair->both},
        {"one", lt.race_pair->one},
        {"at", lt.race_pair->at},
        {"labelled", lt.race_pair->labelled ? json(*lt.race_pair->labelled) : json(nullptr)}};
  }
  return out;
}

LineLevel line_level_from_json(const JsonFields& f) {
  LineLevel lt;
  lt.marked_lines = integer_list(f, "marked_lines");
  lt.located = f.flag("located");
  lt.hit = f.flag("hit");
  lt.at = f.text("at");
  if (f.has("frame")) {
    if (const json* frame = f.object_or_null("frame")) {
      const JsonFields r(*frame, f.path("frame"));
      lt.frame =
          LineFrame{r.integer("trial"),      r.integer("stack"), r.text_or("stack_title", ""),
                    r.text_or("thread", ""), r.integer("frame"), r.text("function")};
    }
  }
  if (f.has("race_pair")) {
    const JsonFields p(f.any("race_pair"), f.path("race_pair"));
    RacePair pair{p.flag("both"), p.flag("one"), integer_list(p, "at"), std::nullopt};
    if (p.has("labelled")) pair.labelled = line_pairs_or_null(p, "labelled");
    lt.race_pair = std::move(pair);
  }
  return lt;
}

json run_to_json(const Run& run) {
  json out = {{"started_at", run.started_at},
              {"duration_seconds", run.duration_seconds},
              {"seed", run.seed},
              {"repeat", run.repeat},
              {"deflake", run.deflake},
              {"deflake_max", run.deflake_max},
              {"deflake_seconds", run.deflake_seconds},
              {"jobs", run.jobs},
              {"filter", run.filter},
              {"detectors", run.detectors},
              {"command", run.command},
              {"shard", {{"index", run.shard_index}, {"count", run.shard_count}}},
              {"noise_level", run.noise_level}};
  if (run.trials_alone) out["trials_alone"] = *run.trials_alone;
  if (!run.identity.is_null()) out["identity"] = run.identity;
  if (run.resumed_times > 0) {
    out["resumed"] = {{"times", run.resumed_times}, {"pairs_kept", run.pairs_kept}};
  }
  return out;
}

Run run_from_json(const JsonFields& f) {
  Run run;
  run.started_at = f.text("started_at");
  run.duration_seconds = f.number("duration_seconds");
  run.seed = f.unsigned_integer("seed");
  run.repeat = f.integer("repeat");
  run.deflake = f.integer("deflake");
  run.deflake_max = f.integer_or("deflake_max", run.deflake_max);
  run.deflake_seconds = f.number_or("deflake_seconds", run.deflake_seconds);
  run.trials_alone = f.flag_if("trials_alone");
  run.jobs = f.integer("jobs");
  run.filter = f.text_or("filter", "");
  run.detectors = text_list(f, "detectors");
  run.command = f.text_or("command", "");
  if (f.has("shard")) {
    const JsonFields shard(f.any("shard"), f.path("shard"));
    run.shard_index = shard.integer("index");
    run.shard_count = shard.integer("count");
  }
  run.noise_level = f.integer_or("noise_level", 0);
  if (f.has("identity")) {
    if (const json* identity = f.object_or_null("identity")) run.identity = *identity;
  }
  if (f.has("resumed")) {
    const JsonFields resumed(f.any("resumed"), f.path("resumed"));
    run.resumed_times = resumed.integer("times");
    run.pairs_kept = resumed.integer("pairs_kept");
  }
  return run;
}

Environment environment_from_json(const JsonFields& f) {
  Environment e;
  {
    const JsonFields compiler(f.any("compiler"), f.path("compiler"));
    e.compiler_id = compiler.text("id");
    e.compiler_version = compiler.text("version");
  }
  const JsonFields configurations(f.any("configurations"), f.path("configurations"));
  for (const auto& [name, flags] : f.any("configurations").items()) {
    e.configurations[name] = configurations.text(name.c_str());
  }
  e.kernel = f.text("kernel");
  e.machine = f.text_or("machine", "");
  e.cpu_count = f.integer("cpu_count");
  e.git_commit = f.text("git_commit");
  e.build_commit = f.text_or("build_commit", "");
  e.build_dirty = f.flag_if("build_dirty");
  e.task_cap = f.text_or("task_cap", "");
  return e;
}

json merged_input_to_json(const MergedInput& m) {
  return {{"file", m.file},
          {"started_at", m.started_at},
          {"seed", m.seed},
          {"git_commit", m.git_commit},
          {"build_commit", m.build_commit},
          {"duration_seconds", m.duration_seconds},
          {"shard", {{"index", m.shard_index}, {"count", m.shard_count}}},
          {"verdicts", m.verdicts}};
}

MergedInput merged_input_from_json(const JsonFields& f) {
  MergedInput m;
  m.file = f.text("file");
  m.started_at = f.text_or("started_at", "");
  if (f.has("seed") && !f.any("seed").is_null()) m.seed = f.unsigned_integer("seed");
  m.git_commit = f.text_or("git_commit", "");
  m.build_commit = f.text_or("build_commit", "");
  if (f.has("duration_seconds") && !f.any("duration_seconds").is_null()) {
    m.duration_seconds = f.number("duration_seconds");
  }
  if (f.has("shard") && !f.any("shard").is_null()) {
    const JsonFields shard(f.any("shard"), f.path("shard"));
    m.shard_index = shard.integer("index");
    m.shard_count = shard.integer("count");
  }
  m.verdicts = f.integer("verdicts");
  return m;
}

}  // namespace

json to_json(const Environment& e) {
  json out = {{"compiler", {{"id", e.compiler_id}, {"version", e.compiler_version}}},
              {"configurations", e.configurations},
              {"kernel", e.kernel},
              {"cpu_count", e.cpu_count},
              {"git_commit", e.git_commit}};
  put_if(out, "machine", e.machine);
  put_if(out, "build_commit", e.build_commit);
  if (e.build_dirty) out["build_dirty"] = *e.build_dirty;
  put_if(out, "task_cap", e.task_cap);
  return out;
}

void count_verdict(Summary& s, bool skipped, bool passed, bool infrastructure) {
  ++s.total;
  if (skipped) {
    ++s.skipped;
  } else if (passed) {
    ++s.passed;
  } else {
    ++s.failed;
    if (infrastructure) ++s.infrastructure_errors;
  }
}

Summary summarize(const std::vector<Verdict>& verdicts) {
  Summary s;
  for (const auto& v : verdicts)
    count_verdict(s, v.verdict == "skipped", v.passed, v.infrastructure);
  return s;
}

std::string summary_line(const Summary& s) {
  return fmt::format("{} passed, {} failed, {} skipped", s.passed, s.failed, s.skipped);
}

std::vector<std::string> detector_order(const std::vector<std::string>& run_detectors,
                                        const std::vector<std::string>& named_by_verdicts) {
  std::vector<std::string> order;
  for (const auto& d : run_detectors) {
    if (std::find(order.begin(), order.end(), d) == order.end()) order.push_back(d);
  }
  std::vector<std::string> others;
  for (const auto& d : named_by_verdicts) {
    if (std::find(order.begin(), order.end(), d) == order.end() &&
        std::find(others.begin(), others.end(), d) == others.end()) {
      others.push_back(d);
    }
  }
  std::sort(others.begin(), others.end());
  order.insert(order.end(), others.begin(), others.end());
  return order;
}

std::vector<std::string> detector_order(const Results& r) {
  std::vector<std::string> named;
  named.reserve(r.verdicts.size());
  for (const auto& v : r.verdicts) named.push_back(v.detector);
  return detector_order(r.run.detectors, named);
}

const std::vector<std::string>& category_order() {
  static const std::vector<std::string> categories = {
      "race", "lifetime", "liveness", "process", "performance", "misuse", "program"};
  return categories;
}

std::optional<BuildProvenance> build_provenance(const Environment& e) {
  if (e.build_commit.empty()) return std::nullopt;
  BuildProvenance provenance;
  if (e.build_commit != e.git_commit) provenance.commit = e.build_commit;
  provenance.dirty = e.build_dirty.value_or(false);
  if (provenance.commit.empty() && !provenance.dirty) return std::nullopt;
  return provenance;
}

json to_json(const Finding& f) {
  json stacks = json::array();
  for (const auto& s : f.stacks) {
    json frames = json::array();
    for (const auto& fr : s.frames) frames.push_back(frame_to_json(fr));
    stacks.push_back({{"title", s.title}, {"thread", s.thread}, {"frames", std::move(frames)}});
  }
  return {{"tool", f.tool},         {"kind", f.kind},       {"summary", f.summary},
          {"location", f.location}, {"mutexes", f.mutexes}, {"lock_cycle", f.lock_cycle},
          {"stacks", stacks},       {"raw", f.raw}};
}

Finding finding_from_json(const json& value, const std::string& where) {
  const JsonFields f(value, where);
  Finding finding;
  finding.tool = f.text("tool");
  finding.kind = f.text("kind");
  finding.summary = f.text("summary");
  finding.location = f.text_or("location", "");
  finding.mutexes = text_list_or_empty(f, "mutexes");
  finding.lock_cycle = text_list_or_empty(f, "lock_cycle");
  const json& stacks = f.array("stacks");
  for (std::size_t i = 0; i < stacks.size(); ++i) {
    finding.stacks.push_back(stack_from_json(JsonFields(stacks[i], f.path("stacks", i))));
  }
  finding.raw = f.text_or("raw", "");
  return finding;
}

json to_json(const Trial& t) {
  json findings = json::array();
  for (const auto& f : t.findings) findings.push_back(to_json(f));
  json trial = {{"index", t.index},
                {"seed", t.seed},
                {"noise_level", t.noise_level},
                {"duration_seconds", t.duration_seconds},
                {"peak_rss_kib", t.peak_rss_kib},
                {"status", t.status},
                {"exit_code", t.exit_code ? json(*t.exit_code) : json(nullptr)},
                {"signal", t.signal ? json(*t.signal) : json(nullptr)},
                {"timed_out", t.timed_out},
                {"stdout_truncated", t.stdout_truncated},
                {"stderr_truncated", t.stderr_truncated},
                {"findings", std::move(findings)},
                {"anomaly", t.anomaly},
                {"infra_error", t.infra_error},
                {"outcome", t.outcome ? to_json(*t.outcome) : json(nullptr)},
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

Trial trial_from_json(const json& value, const std::string& where) {
  const JsonFields f(value, where);
  Trial t;
  t.index = f.integer("index");
  t.seed = f.unsigned_integer("seed");
  t.noise_level = f.integer_or("noise_level", 0);
  t.duration_seconds = f.number("duration_seconds");
  t.peak_rss_kib = static_cast<long>(f.wide_or("peak_rss_kib", 0));
  t.status = f.text("status");
  t.exit_code = integer_or_null(f, "exit_code");
  t.signal = integer_or_null(f, "signal");
  t.timed_out = f.flag("timed_out");
  t.stdout_truncated = f.flag_or("stdout_truncated", false);
  t.stderr_truncated = f.flag_or("stderr_truncated", false);
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
  t.anomaly = f.text_or("anomaly", "");
  t.infra_error = f.text_or("infra_error", "");
  if (const json& outcome = f.any("outcome"); !outcome.is_null()) {
    t.outcome = outcome_from_json(outcome, f.path("outcome"));
  }
  t.command = f.text_or("command", "");
  t.stderr_tail = f.text_or("stderr_tail", "");
  return t;
}

json to_json(const Expected& e) {
  json expected = {{"verdict", e.verdict}, {"declared", e.declared}};
  if (!e.kinds.empty()) expected["kinds"] = e.kinds;
  put_if(expected, "reason", e.reason);
  if (!e.false_positive_kinds.empty()) {
    expected["false_positive_kinds"] = e.false_positive_kinds;
    expected["false_positive_reason"] = e.false_positive_reason;
  }
  return expected;
}

Expected expected_from_json(const json& value, const std::string& where) {
  const JsonFields f(value, where);
  Expected e;
  e.verdict = one_of(f, "verdict", {"detected", "clean", "skipped", "false-positive", "may-find"});
  e.declared = f.flag("declared");
  e.kinds = text_list_or_empty(f, "kinds");
  e.reason = f.text_or("reason", "");
  e.false_positive_kinds = text_list_or_empty(f, "false_positive_kinds");
  e.false_positive_reason = f.text_or("false_positive_reason", "");
  return e;
}

json to_json(const Verdict& v) {
  json trials = json::array();
  for (const auto& t : v.trials) trials.push_back(to_json(t));
  json out = {
      {"case", v.case_name},
      {"variant", v.variant},
      {"detector", v.detector},
      {"verdict", v.verdict},
      {"passed", v.passed},
      {"expected", to_json(v.expected)},
      {"reason", v.reason},
      {"infrastructure", v.infrastructure},
      {"title", v.title},
      {"category", v.category},
      {"file", v.file},
      {"repro", v.repro},
      {"duration_seconds", v.duration_seconds},
      {"deciding_trial", v.deciding_trial},
      {"trials", std::move(trials)},
      {"manifestation", v.manifestation ? manifestation_to_json(*v.manifestation) : json(nullptr)},
      {"property", v.property ? to_json(*v.property) : json(nullptr)},
      {"line_level", v.line_level ? line_level_to_json(*v.line_level) : json(nullptr)}};
  put_if(out, "file_base", v.file_base);
  if (v.positive) out["positive"] = *v.positive;
  put_if(out, "labelled_by", v.labelled_by);
  return out;
}

Verdict verdict_from_json(const json& value, const std::string& where) {
  const JsonFields f(value, where);
  Verdict v;
  v.case_name = f.text("case");
  v.variant = f.text("variant");
  v.detector = f.text("detector");
  v.verdict =
      one_of(f, "verdict", {"detected", "missed", "clean", "false-positive", "error", "skipped"});
  v.passed = f.flag("passed");
  v.expected = expected_from_json(f.any("expected"), f.path("expected"));
  v.reason = f.text("reason");
  v.infrastructure = f.flag_or("infrastructure", false);
  v.title = f.text_or("title", "");
  v.category = f.text_or("category", "");
  v.file = f.text_or("file", "");
  v.file_base = f.text_or("file_base", "");
  v.repro = f.text_or("repro", "");
  v.duration_seconds = f.number_or("duration_seconds", 0);
  v.deciding_trial = f.integer_or("deciding_trial", -1);
  const json& trials = f.array("trials");
  for (std::size_t i = 0; i < trials.size(); ++i) {
    v.trials.push_back(trial_from_json(trials[i], f.path("trials", i)));
  }
  if (f.has("manifestation")) {
    if (const json* m = f.object_or_null("manifestation")) {
      v.manifestation = manifestation_from_json(JsonFields(*m, f.path("manifestation")));
    }
  }
  if (f.has("property")) {
    if (const json* property = f.object_or_null("property")) {
      v.property = property_check_from_json(JsonFields(*property, f.path("property")));
    }
  }
  if (f.has("line_level")) {
    if (const json* level = f.object_or_null("line_level")) {
      v.line_level = line_level_from_json(JsonFields(*level, f.path("line_level")));
    }
  }
  v.positive = f.flag_if("positive");
  v.labelled_by = f.text_or("labelled_by", "");
  return v;
}

namespace {

json cases_to_json(const std::map<std::string, CaseText>& cases) {
  json out = json::object();
  for (const auto& [name, c] : cases) {
    json entry = {{"category", c.category}, {"folder", c.folder}, {"files", c.files}};
    if (!c.folder_base.empty()) entry["folder_base"] = c.folder_base;
    out[name] = std::move(entry);
  }
  return out;
}

std::map<std::string, CaseText> cases_from_json(const json& cases, const std::string& where) {
  const JsonFields f(cases, where);
  std::map<std::string, CaseText> out;
  for (const auto& [name, value] : cases.items()) {
    const JsonFields c(value, f.path(name.c_str()));
    CaseText& text = out[name];
    text.category = c.text("category");
    text.folder = c.text("folder");
    text.folder_base = c.text_or("folder_base", "");
    const JsonFields files(c.any("files"), c.path("files"));
    for (const auto& [file, body] : c.any("files").items())
      text.files[file] = files.text(file.c_str());
  }
  return out;
}

json source_bases_to_json(const std::map<std::string, SourceBase>& bases) {
  json out = json::object();
  for (const auto& [id, base] : bases) {
    out[id] = {{"path", base.path}};
    if (base.description) out[id]["description"] = *base.description;
  }
  return out;
}

std::map<std::string, SourceBase> source_bases_from_json(const json& bases,
                                                         const std::string& where) {
  const JsonFields f(bases, where);
  std::map<std::string, SourceBase> out;
  for (const auto& [id, value] : bases.items()) {
    const JsonFields b(value, f.path(id.c_str()));
    SourceBase& base = out[id];
    base.path = b.text("path");
    if (b.has("description")) base.description = b.text("description");
  }
  return out;
}

}  // namespace

json to_json(const Results& r) {
  json verdicts = json::array();
  for (const auto& v : r.verdicts) verdicts.push_back(to_json(v));
  json out = {{"schema_version", r.schema_version},
              {"tool", {{"name", r.tool_name}, {"version", r.tool_version}}},
              {"environment", to_json(r.environment)},
              {"run", run_to_json(r.run)},
              {"noise", r.noise ? noise_to_json(*r.noise) : json(nullptr)},
              {"summary",
               {{"passed", r.summary.passed},
                {"failed", r.summary.failed},
                {"skipped", r.summary.skipped},
                {"total", r.summary.total},
                {"infrastructure_errors", r.summary.infrastructure_errors}}},
              {"interrupted", r.interrupted},
              {"verdicts", std::move(verdicts)},
              {"cases", cases_to_json(r.cases)}};
  if (r.programs) {
    out["programs"] = {{"compiled", r.programs->compiled},
                       {"reused", r.programs->reused},
                       {"failed", r.programs->failed}};
  }
  if (r.scorecard) out["scorecard"] = to_json(*r.scorecard);
  if (r.source_bases) out["source_bases"] = source_bases_to_json(*r.source_bases);
  if (!r.merged_from.empty()) {
    json merged = json::array();
    for (const auto& m : r.merged_from) merged.push_back(merged_input_to_json(m));
    out["merged_from"] = std::move(merged);
  }
  return out;
}

Results read_results(const json& doc) {
  const JsonFields f(doc, "");
  Results r;
  {
    const JsonFields tool(f.any("tool"), f.path("tool"));
    r.tool_name = tool.text("name");
    if (r.tool_name != "casebook") {
      JsonFields::fail(tool.path("name"), "\"" + r.tool_name +
                                              "\": not a casebook results file (casebook's say "
                                              "\"casebook\")");
    }
    r.tool_version = tool.text("version");
  }
  r.schema_version = f.integer("schema_version");
  if (r.schema_version != kSchemaVersion) {
    JsonFields::fail("schema_version",
                     fmt::format("{}, {} this casebook reads ({}). Render it with the casebook "
                                 "version that wrote it ({}){}",
                                 r.schema_version,
                                 r.schema_version > kSchemaVersion ? "newer than" : "not the one",
                                 kSchemaVersion, r.tool_version,
                                 r.schema_version > kSchemaVersion ? ", or update this one" : ""));
  }
  r.environment = environment_from_json(JsonFields(f.any("environment"), "environment"));
  r.run = run_from_json(JsonFields(f.any("run"), "run"));
  if (const json* noise = f.has("noise") ? f.object_or_null("noise") : nullptr) {
    r.noise = noise_from_json(JsonFields(*noise, "noise"));
  }
  {
    const JsonFields s(f.any("summary"), "summary");
    r.summary.passed = s.integer("passed");
    r.summary.failed = s.integer("failed");
    r.summary.skipped = s.integer("skipped");
    r.summary.total = s.integer("total");
    r.summary.infrastructure_errors = s.integer_or("infrastructure_errors", 0);
  }
  r.interrupted = f.flag_or("interrupted", false);
  const json& verdicts = f.array("verdicts");
  r.verdicts.reserve(verdicts.size());
  for (std::size_t i = 0; i < verdicts.size(); ++i) {
    r.verdicts.push_back(verdict_from_json(verdicts[i], f.path("verdicts", i)));
  }
  if (f.has("cases")) r.cases = cases_from_json(f.any("cases"), "cases");
  if (f.has("programs")) {
    const JsonFields p(f.any("programs"), "programs");
    r.programs = Programs{p.integer("compiled"), p.integer("reused"), p.integer("failed")};
  }
  if (const json* card = f.has("scorecard") ? f.object_or_null("scorecard") : nullptr) {
    r.scorecard = scorecard_from_json(*card, f.path("scorecard"));
  }
  if (const json* bases = f.has("source_bases") ? f.object_or_null("source_bases") : nullptr) {
    r.source_bases = source_bases_from_json(*bases, "source_bases");
  }
  if (f.has("merged_from")) {
    const json& merged = f.array("merged_from");
    for (std::size_t i = 0; i < merged.size(); ++i) {
      r.merged_from.push_back(
          merged_input_from_json(JsonFields(merged[i], f.path("merged_from", i))));
    }
  }
  return r;
}

}  // namespace casebook::results
