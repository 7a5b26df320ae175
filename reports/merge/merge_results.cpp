#include "merge/merge_results.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <tuple>

#include "scorecard/scorecard.hpp"
#include "writing/input_file.hpp"

namespace casebook::reports {

namespace {

using nlohmann::json;

std::string first_non_blank(const std::string& text) {
  const auto at = text.find_first_not_of(" \t\r\n");
  return at == std::string::npos ? "" : text.substr(at, 64);
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
  try {
    return {path, results::read_results(doc)};
  } catch (const FieldError& e) {
    throw InputError(
        fmt::format("{}: {}. casebook does not write such a file: it was edited, or written "
                    "by something else. Run `casebook run` again to rewrite it.",
                    path, e.what()));
  }
}

MergedResults merge_results(const std::vector<LoadedResults>& inputs) {
  MergedResults out;
  if (inputs.empty()) return out;
  results::Results merged = inputs.front().results;
  merged.verdicts.clear();
  std::vector<results::MergedInput> merged_from;
  std::map<std::string, results::CaseText> cases;
  std::map<std::string, results::SourceBase> bases;
  double total_seconds = 0;
  using Key = std::tuple<std::string, std::string, std::string>;
  std::map<Key, std::pair<std::size_t, std::string>> index;  // -> (position, file it came from)

  for (const auto& input : inputs) {
    const results::Results& d = input.results;
    merged_from.push_back({input.path, d.run.started_at, d.run.seed, d.environment.git_commit,
                           d.environment.build_commit, d.run.duration_seconds, d.run.shard_index,
                           d.run.shard_count, static_cast<int>(d.verdicts.size())});
    total_seconds += d.run.duration_seconds;
    cases.insert(d.cases.begin(), d.cases.end());  // the first input's text of a case stays
    // Every input's extra-cases folders, so a merged file still says where they were.
    if (d.source_bases) bases.insert(d.source_bases->begin(), d.source_bases->end());
    for (const results::Verdict& v : d.verdicts) {
      const Key key{v.case_name, v.variant, v.detector};
      const auto found = index.find(key);
      if (found == index.end()) {
        index[key] = {merged.verdicts.size(), input.path};
        merged.verdicts.push_back(v);
        continue;
      }
      results::Verdict& kept = merged.verdicts[found->second.first];
      const std::string pair =
          fmt::format("{}/{} {}", std::get<0>(key), std::get<1>(key), std::get<2>(key));
      const std::string& a = kept.verdict;
      const std::string& b = v.verdict;
      if (a == b && kept.passed == v.passed) {
        out.notes.push_back(fmt::format("duplicate: {} is in both {} and {} ({}); kept once", pair,
                                        found->second.second, input.path, a));
        continue;
      }
      ++out.conflicts;
      const bool take_new = kept.passed && !v.passed;
      out.notes.push_back(fmt::format("conflict: {} is {} in {} but {} in {}; kept {}", pair, a,
                                      found->second.second, b, input.path, take_new ? b : a));
      if (take_new) {
        kept = v;
        found->second.second = input.path;
      }
    }
  }
  merged.summary = results::summarize(merged.verdicts);
  merged.cases = std::move(cases);
  if (!bases.empty()) merged.source_bases = std::move(bases);
  merged.merged_from = std::move(merged_from);
  // The runs' time together (what the shards cost in machine time); each input's own is in
  // merged_from, and the longest of them is the wall time of shards run side by side.
  merged.run.duration_seconds = total_seconds;
  // Shards' scorecards cannot be summed: count again.
  merged.scorecard = scorecard_of(merged);
  out.results = std::move(merged);
  return out;
}

}  // namespace casebook::reports
