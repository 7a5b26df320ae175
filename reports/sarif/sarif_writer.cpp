#include "sarif/sarif_writer.hpp"

#include <fmt/format.h>

#include <cctype>
#include <cstdint>
#include <map>
#include <set>
#include <vector>

#include "writing/text.hpp"

namespace casebook::reports {

namespace {

using nlohmann::json;

constexpr std::size_t kMaxResults = 25000;
constexpr std::size_t kMaxFramesPerStack = 40;
constexpr std::size_t kMaxStacks = 10;
constexpr std::size_t kFingerprintFrames = 3;

// FNV-1a, 64 bits: stable across platforms and releases, unlike std::hash.
std::uint64_t fnv1a(std::string_view text) {
  std::uint64_t h = 14695981039346656037ULL;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

constexpr const char* kRepositoryBase = "%SRCROOT%";

// A path SARIF may name relative to a base (the repository, or the extra-cases folder its
// "base" names): relative, so neither absolute nor above the root.
bool locatable(const std::string& file) {
  return !file.empty() && file.front() != '/' && file.rfind("..", 0) != 0;
}

// The base id a results.json path (a frame's "base", a verdict's "file_base") is relative
// to: the repository unless it names another.
std::string base_or_repository(const std::string& base) {
  return base.empty() ? kRepositoryBase : base;
}

// Every base id a location used, so the run can declare it in originalUriBaseIds.
using UsedBases = std::set<std::string>;

json physical_location(const std::string& file, const std::string& base, int line, int column,
                       UsedBases& used) {
  used.insert(base);
  json region = {{"startLine", std::max(line, 1)}};
  if (column > 0) region["startColumn"] = column;
  json location = {{"artifactLocation", {{"uri", file}, {"uriBaseId", base}}}};
  if (line > 0) location["region"] = region;
  return location;
}

// The case's own folder, as its verdict names it: relative to `base`.
struct CaseFolder {
  std::string folder;
  std::string base;
};

// The frame a reader should land on: the first one, over every frame of every stack, in the
// case's own folder; else the first locatable one (the repository, casebook's facade); else
// nothing.
const results::Frame* primary_frame(const results::Finding& finding, const CaseFolder& in_case) {
  const results::Frame* fallback = nullptr;
  for (const results::Stack& stack : finding.stacks) {
    for (const results::Frame& frame : stack.frames) {
      const std::string& file = frame.file;
      if (!locatable(file)) continue;
      if (!in_case.folder.empty() && base_or_repository(frame.base) == in_case.base &&
          file.rfind(in_case.folder + "/", 0) == 0) {
        return &frame;
      }
      if (fallback == nullptr) fallback = &frame;
    }
  }
  return fallback;
}

// `text` with every hexadecimal address ("0x7b1000000700") reduced to "0x": addresses change
// from run to run (ASLR, the heap), so nothing that identifies a finding may depend on them.
std::string without_addresses(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    out += text[i];
    if (text[i] == '0' && i + 1 < text.size() && (text[i + 1] == 'x' || text[i + 1] == 'X')) {
      out += text[++i];
      while (i + 1 < text.size() && std::isxdigit(static_cast<unsigned char>(text[i + 1]))) ++i;
    }
  }
  return out;
}

std::string fingerprint(const std::string& rule, const results::Finding& finding) {
  std::string key = rule;
  std::size_t taken = 0;
  for (const results::Stack& stack : finding.stacks) {
    for (const results::Frame& frame : stack.frames) {
      if (taken == kFingerprintFrames) break;
      if (frame.function == "<null>") continue;
      key += "|" + frame.function + "@" + frame.file;
      ++taken;
    }
  }
  // Without a symbolized frame (an invariant, a property counterexample, a starvation), the
  // rule and where the detector placed it: not the summary, whose observed values change from
  // trial to trial and from run to run, which would make every run's result a new one. A
  // location may name an address (Helgrind's "Address 0x1ffefffbd0 is on thread #1's stack").
  if (taken == 0) key += "|" + without_addresses(finding.location);
  return fmt::format("{:016x}", fnv1a(key));
}

json thread_flow(const results::Stack& stack, UsedBases& used) {
  json locations = json::array();
  const auto& frames = stack.frames;
  for (std::size_t i = 0; i < frames.size() && i < kMaxFramesPerStack; ++i) {
    const results::Frame& frame = frames[i];
    const std::string& file = frame.file;
    json location = {{"message", {{"text", xml_safe(frame.function)}}}};
    if (locatable(file)) {
      location["physicalLocation"] =
          physical_location(file, base_or_repository(frame.base), frame.line, frame.column, used);
    } else if (!file.empty()) {
      // Outside the repository (libc, libstdc++): named in the text, not as an artifact.
      location["message"]["text"] =
          xml_safe(fmt::format("{} ({}:{})", frame.function, file, frame.line));
    }
    locations.push_back({{"location", std::move(location)}});
  }
  json flow = {{"locations", std::move(locations)}};
  if (!stack.title.empty()) flow["message"] = {{"text", xml_safe(strip_ansi(stack.title))}};
  return flow;
}

CaseFolder case_folder_of(const results::Verdict& verdict) {
  const std::string& file = verdict.file;
  const auto slash = file.rfind('/');
  return {slash == std::string::npos ? "" : file.substr(0, slash),
          base_or_repository(verdict.file_base)};
}

// run.originalUriBaseIds: the repository, and every other base a location used, described
// from the results' source_bases (with its folder as a file URI, so a viewer on the machine
// that ran the cases finds the files).
json base_ids(const results::Results& results, const UsedBases& used) {
  json out = {{kRepositoryBase, {{"description", {{"text", "the repository root"}}}}}};
  const std::map<std::string, results::SourceBase> none;
  const auto& known = results.source_bases ? *results.source_bases : none;
  for (const auto& id : used) {
    if (id == kRepositoryBase) continue;
    json entry = {{"description", {{"text", "a CASEBOOK_EXTRA_CASES folder"}}}};
    if (const auto it = known.find(id); it != known.end()) {
      const std::string text = it->second.description.value_or("");
      if (!text.empty()) entry["description"]["text"] = xml_safe(text);
      std::string path = it->second.path;
      if (!path.empty() && path.front() == '/') {
        if (path.back() != '/') path += '/';
        entry["uri"] = "file://" + path;
      }
    }
    out[id] = std::move(entry);
  }
  return out;
}

struct Rule {
  std::string description;
};

}  // namespace

std::string sarif_from_results(const results::Results& results) {
  std::map<std::string, Rule> rules;
  json out_results = json::array();
  std::set<std::string> seen;
  UsedBases used;
  auto add = [&](json result) {
    if (out_results.size() < kMaxResults) out_results.push_back(std::move(result));
  };

  for (const results::Verdict& v : results.verdicts) {
    const std::string& c = v.case_name;
    const std::string& variant = v.variant;
    const std::string& detector = v.detector;
    const std::string& verdict = v.verdict;
    const bool passed = v.passed;
    const std::string& file = v.file;
    const std::string where = c + "/" + variant;
    const json properties = {{"case", c},
                             {"variant", variant},
                             {"detector", detector},
                             {"verdict", verdict},
                             {"repro", v.repro}};

    if (verdict == "missed" || (verdict == "error" && !passed)) {
      const std::string rule = verdict == "missed" ? "casebook/missed" : "casebook/error";
      rules[rule].description = verdict == "missed"
                                    ? "a broken variant's declared finding did not appear"
                                    : "a trial could not be judged";
      const std::string text =
          fmt::format("{} {}: {}. Reproduce: {}", where, detector, v.reason, v.repro);
      json r = {
          {"ruleId", rule},
          {"level", "error"},
          {"message", {{"text", xml_safe(strip_ansi(text))}}},
          {"partialFingerprints",
           {{"casebookVerdictHash/v1", fmt::format("{:016x}", fnv1a(rule + where + detector))}}},
          {"properties", properties}};
      if (locatable(file)) {
        r["locations"] = {{{"physicalLocation",
                            physical_location(file, base_or_repository(v.file_base), 0, 0, used)}}};
      }
      add(std::move(r));
    }

    // Each distinct finding once, as its first trial showed it, with the number of trials
    // that showed it (a --repeat run would otherwise give one result per trial).
    struct Distinct {
      const results::Finding* finding;
      std::string rule, print;
      int trials = 0;
    };
    std::vector<Distinct> distinct;
    std::map<std::string, std::size_t> position;  // rule|fingerprint -> index in distinct
    const std::vector<results::Trial>& trials = v.trials;
    for (const results::Trial& trial : trials) {
      std::set<std::size_t> in_this_trial;
      for (const results::Finding& finding : trial.findings) {
        const std::string rule = detector + "/" + finding.kind;
        const std::string print = fingerprint(rule, finding);
        const auto [it, fresh] = position.emplace(rule + "|" + print, distinct.size());
        if (fresh) distinct.push_back({&finding, rule, print, 0});
        if (in_this_trial.insert(it->second).second) ++distinct[it->second].trials;
      }
    }
    for (const Distinct& d : distinct) {
      const results::Finding& finding = *d.finding;
      const std::string& rule = d.rule;
      const std::string& print = d.print;
      if (!seen.insert(rule + "|" + where + "|" + print).second) continue;  // merged duplicates
      if (rules[rule].description.empty()) {
        rules[rule].description = fmt::format("{} reported {}", detector, finding.kind);
      }
      const std::string summary = strip_ansi(finding.summary);
      const std::string seen_in =
          trials.size() > 1 ? fmt::format(", in {} of {} trials", d.trials, trials.size()) : "";
      json with_count = properties;
      with_count["trials_showing"] = d.trials;
      with_count["trials"] = trials.size();
      json r = {{"ruleId", rule},
                {"level", passed ? "note" : "error"},
                {"message",
                 {{"text", xml_safe(fmt::format("{}: {} ({} {}, verdict {}{})", rule, summary,
                                                where, detector, verdict, seen_in))}}},
                {"partialFingerprints", {{"casebookFindingHash/v1", print}}},
                {"properties", std::move(with_count)}};
      if (const results::Frame* frame = primary_frame(finding, case_folder_of(v))) {
        r["locations"] = {
            {{"physicalLocation", physical_location(frame->file, base_or_repository(frame->base),
                                                    frame->line, frame->column, used)}}};
      } else if (locatable(file)) {
        r["locations"] = {{{"physicalLocation",
                            physical_location(file, base_or_repository(v.file_base), 0, 0, used)}}};
      }
      json flows = json::array();
      const auto& stacks = finding.stacks;
      for (std::size_t i = 0; i < stacks.size() && i < kMaxStacks; ++i) {
        if (!stacks[i].frames.empty()) flows.push_back(thread_flow(stacks[i], used));
      }
      if (!flows.empty()) r["codeFlows"] = {{{"threadFlows", std::move(flows)}}};
      add(std::move(r));
    }
  }

  json rule_list = json::array();
  for (const auto& [id, rule] : rules) {
    rule_list.push_back(
        {{"id", id}, {"name", id}, {"shortDescription", {{"text", rule.description}}}});
  }
  json sarif = {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
                {"version", "2.1.0"},
                {"runs",
                 {{{"tool",
                    {{"driver",
                      {{"name", "casebook"},
                       {"version", results.tool_version},
                       {"rules", std::move(rule_list)}}}}},
                   {"originalUriBaseIds", base_ids(results, used)},
                   {"results", std::move(out_results)}}}}};
  return sarif.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace casebook::reports
