#include "merge/merge_results.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <tuple>

#include "common/input_file.hpp"
#include "scorecard/scorecard.hpp"

namespace casebook::reports {

namespace {

using nlohmann::json;

std::string first_non_blank(const std::string& text) {
  const auto at = text.find_first_not_of(" \t\r\n");
  return at == std::string::npos ? "" : text.substr(at, 64);
}

json summary_of(const json& verdicts) {
  int passed = 0, failed = 0, skipped = 0, infra = 0;
  for (const auto& v : verdicts) {
    if (v.value("verdict", "") == "skipped") {
      ++skipped;
    } else if (v.value("passed", false)) {
      ++passed;
    } else {
      ++failed;
      if (v.value("infrastructure", false)) ++infra;
    }
  }
  return {{"passed", passed},
          {"failed", failed},
          {"skipped", skipped},
          {"total", static_cast<int>(verdicts.size())},
          {"infrastructure_errors", infra}};
}

}  // namespace

LoadedResults load_results_file(const std::string& path) {
  const InputFileKind kind{
      "results.json", "the results.json that `casebook run --out DIR` wrote (DIR/results.json)",
      "run", "Run it again."};
  std::string problem;
  const std::optional<std::string> read = read_input_file(path, kind, &problem);
  if (!read) throw InputError(problem);
  const std::string& text = *read;
  const std::string start = first_non_blank(text);
  if (start.rfind("<?xml", 0) == 0 || start.rfind("<testsuites", 0) == 0) {
    throw InputError(
        fmt::format("{} is XML (a JUnit file?), not results.json. Pass the "
                    "results.json written beside it.",
                    path));
  }
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::parse_error& e) {
    throw InputError(
        fmt::format("{} is not valid JSON ({}): truncated by an interrupted run, or "
                    "not a results file. Run `casebook run` again to rewrite it.",
                    path, e.what()));
  }
  if (!doc.is_object() || !doc.contains("schema_version") || !doc.contains("verdicts") ||
      doc.value("tool", json::object()).value("name", "") != "casebook") {
    throw InputError(
        fmt::format("{} is JSON but not a casebook results file (no tool.name "
                    "'casebook', schema_version and verdicts).",
                    path));
  }
  const json& version = doc.at("schema_version");
  if (!version.is_number_integer()) {
    throw InputError(
        fmt::format("{}: schema_version is {}, not an integer.", path, version.dump()));
  }
  if (version.get<int>() > kReadableSchemaVersion) {
    throw InputError(
        fmt::format("{} has schema_version {}, newer than this casebook reads ({}). "
                    "Render it with the casebook version that wrote it ({}), or "
                    "update this one.",
                    path, version.get<int>(), kReadableSchemaVersion,
                    doc.at("tool").value("version", "unknown")));
  }
  if (version.get<int>() < kReadableSchemaVersion) {
    throw InputError(
        fmt::format("{} has schema_version {}, which this casebook cannot read "
                    "(it reads {}).",
                    path, version.get<int>(), kReadableSchemaVersion));
  }
  if (!doc.at("verdicts").is_array()) {
    throw InputError(fmt::format("{}: verdicts is not an array.", path));
  }
  return {path, std::move(doc)};
}

MergedResults merge_results(const std::vector<LoadedResults>& inputs) {
  MergedResults out;
  if (inputs.empty()) return out;
  json doc = inputs.front().doc;
  json merged_from = json::array();
  json cases = json::object();
  json bases = json::object();
  json verdicts = json::array();
  double total_seconds = 0;
  using Key = std::tuple<std::string, std::string, std::string>;
  std::map<Key, std::pair<std::size_t, std::string>> index;  // -> (position, file it came from)

  for (const auto& input : inputs) {
    const json& d = input.doc;
    const json run = d.value("run", json::object());
    merged_from.push_back(
        {{"file", input.path},
         {"started_at", run.value("started_at", "")},
         {"seed", run.value("seed", json(nullptr))},
         {"git_commit", d.value("environment", json::object()).value("git_commit", "")},
         {"build_commit", d.value("environment", json::object()).value("build_commit", "")},
         {"duration_seconds", run.value("duration_seconds", json(nullptr))},
         {"shard", run.value("shard", json(nullptr))},
         {"verdicts", d.at("verdicts").size()}});
    if (const auto seconds = run.find("duration_seconds");
        seconds != run.end() && seconds->is_number()) {
      total_seconds += seconds->get<double>();
    }
    // Not d.value(...).items(): items() would point into a temporary that is already gone.
    if (const auto found = d.find("cases"); found != d.end() && found->is_object()) {
      for (const auto& [name, entry] : found->items()) {
        if (!cases.contains(name)) cases[name] = entry;
      }
    }
    // Every input's extra-cases folders, so a merged file still says where they were.
    if (const auto found = d.find("source_bases"); found != d.end() && found->is_object()) {
      for (const auto& [id, entry] : found->items()) {
        if (!bases.contains(id)) bases[id] = entry;
      }
    }
    for (const auto& v : d.at("verdicts")) {
      const Key key{v.value("case", ""), v.value("variant", ""), v.value("detector", "")};
      const auto found = index.find(key);
      if (found == index.end()) {
        index[key] = {verdicts.size(), input.path};
        verdicts.push_back(v);
        continue;
      }
      json& kept = verdicts[found->second.first];
      const std::string pair =
          fmt::format("{}/{} {}", std::get<0>(key), std::get<1>(key), std::get<2>(key));
      const std::string a = kept.value("verdict", ""), b = v.value("verdict", "");
      if (a == b && kept.value("passed", false) == v.value("passed", false)) {
        out.notes.push_back(fmt::format("duplicate: {} is in both {} and {} ({}); kept once", pair,
                                        found->second.second, input.path, a));
        continue;
      }
      ++out.conflicts;
      const bool take_new = kept.value("passed", false) && !v.value("passed", false);
      out.notes.push_back(fmt::format("conflict: {} is {} in {} but {} in {}; kept {}", pair, a,
                                      found->second.second, b, input.path, take_new ? b : a));
      if (take_new) {
        kept = v;
        found->second.second = input.path;
      }
    }
  }
  doc["verdicts"] = std::move(verdicts);
  doc["summary"] = summary_of(doc["verdicts"]);
  doc["scorecard"] = scorecard_of(doc);  // shards' scorecards cannot be summed: recount
  doc["cases"] = std::move(cases);
  if (!bases.empty()) doc["source_bases"] = std::move(bases);
  doc["merged_from"] = std::move(merged_from);
  // The runs' time together (what the shards cost in machine time); each input's own is in
  // merged_from, and the longest of them is the wall time of shards run side by side.
  if (doc.contains("run") && doc["run"].is_object()) doc["run"]["duration_seconds"] = total_seconds;
  out.doc = std::move(doc);
  return out;
}

std::string summary_line_of(const json& doc) {
  const json s = doc.value("summary", json::object());
  return fmt::format("{} passed, {} failed, {} skipped", s.value("passed", 0), s.value("failed", 0),
                     s.value("skipped", 0));
}

}  // namespace casebook::reports
