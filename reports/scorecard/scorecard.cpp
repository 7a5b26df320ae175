#include "scorecard/scorecard.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace casebook::reports {

namespace {

using nlohmann::json;

struct Counts {
  int tp = 0, fp = 0, tn = 0, fn = 0;

  void add(bool positive, bool flagged) {
    if (positive) {
      ++(flagged ? tp : fn);
    } else {
      ++(flagged ? fp : tn);
    }
  }
};

json ratio(int num, int den) {
  if (den == 0) return nullptr;
  return static_cast<double>(num) / den;
}

json metrics(const Counts& c) {
  json precision = ratio(c.tp, c.tp + c.fp);
  json recall = ratio(c.tp, c.tp + c.fn);
  json f1 = nullptr;
  if (precision.is_number() && recall.is_number()) {
    const double p = precision.get<double>(), r = recall.get<double>();
    f1 = p + r > 0 ? json(2 * p * r / (p + r)) : json(0.0);
  }
  return {{"tp", c.tp},
          {"fp", c.fp},
          {"tn", c.tn},
          {"fn", c.fn},
          {"precision", precision},
          {"recall", recall},
          {"specificity", ratio(c.tn, c.tn + c.fp)},
          {"f1", f1}};
}

std::optional<double> median(std::vector<double> values) {
  if (values.empty()) return std::nullopt;
  std::sort(values.begin(), values.end());
  const std::size_t mid = values.size() / 2;
  return values.size() % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
}

bool flagged(const results::Verdict& verdict) {
  for (const results::Trial& t : verdict.trials) {
    if (!t.findings.empty()) return true;
  }
  // A verdict made of other verdicts (a program's "union") runs no trials of its own: it
  // flagged the program when it says something was found.
  return verdict.trials.empty() &&
         (verdict.verdict == "detected" || verdict.verdict == "false-positive");
}

long peak_rss(const results::Verdict& verdict) {
  long peak = 0;
  for (const results::Trial& t : verdict.trials) peak = std::max(peak, t.peak_rss_kib);
  return peak;
}

struct DetectorTally {
  std::set<std::string> pairs;  // cases whose broken variant it ran on
  Counts file, line, pair;
  bool locates = false;
  bool locates_pairs = false;  // some race report named two accesses in the case's code
  int errors = 0;
  int known_false_positives = 0;
  int may_find_pairs = 0;  // broken variants whose finding is declared a chance symptom
  int may_find_seen = 0;   // ... of which some trial showed it (the rest count as misses)
  int unmarked = 0;        // broken variants without casebook-bug lines: left out of line level
  std::vector<double> trial_seconds;
  std::map<std::string, long> peak_by_variant;  // "case/variant" -> peak KiB
  std::map<std::string, Counts> by_category;
};

// The scorecard object (pairs, detectors) of these verdicts.
json score(const std::vector<const results::Verdict*>& verdicts) {
  std::vector<std::string> order;
  std::map<std::string, DetectorTally> tallies;
  std::set<std::string> all_pairs;
  for (const results::Verdict* vp : verdicts) {
    const results::Verdict& v = *vp;
    const std::string& detector = v.detector;
    const std::string& case_name = v.case_name;
    all_pairs.insert(case_name);
    if (!tallies.count(detector)) order.push_back(detector);
    DetectorTally& d = tallies[detector];
    const std::string& verdict = v.verdict;
    if (verdict == "skipped") continue;
    // A positive: a broken variant, or a standalone program with a bug (its "positive").
    const bool broken = v.positive ? *v.positive : v.variant == "broken";
    for (const results::Trial& t : v.trials) d.trial_seconds.push_back(t.duration_seconds);
    if (const long peak = peak_rss(v); peak > 0) {
      d.peak_by_variant[case_name + "/" + v.variant] = peak;
    }
    if (broken) d.pairs.insert(case_name);
    if (verdict == "error") {
      ++d.errors;
      continue;
    }
    const bool is_flagged = flagged(v);
    // A may-find pair is graded leniently, never scored so: unseen, it is the miss it is.
    if (v.expected.verdict == "may-find") {
      ++d.may_find_pairs;
      if (is_flagged) ++d.may_find_seen;
    }
    d.file.add(broken, is_flagged);
    d.by_category[v.category].add(broken, is_flagged);
    if (!broken) {
      d.line.add(false, is_flagged);
      d.pair.add(false, is_flagged);
      if (is_flagged && v.passed) ++d.known_false_positives;
      continue;
    }
    if (!v.line_level) {
      ++d.unmarked;
      continue;
    }
    const results::LineLevel& line_level = *v.line_level;
    d.locates = d.locates || line_level.located;
    d.line.add(true, line_level.hit);
    // Line-pair level: a positive whose ground truth names race pairs counts as found only
    // when a race's two accesses landed on a pair's two lines.
    if (line_level.race_pair) {
      const auto& at = line_level.race_pair->at;
      const auto located = std::count_if(at.begin(), at.end(), [](int line) { return line > 0; });
      d.locates_pairs = d.locates_pairs || located >= 2;
      d.pair.add(true, line_level.race_pair->both);
    }
  }

  const auto baseline = tallies.find("invariant");
  json rows = json::array();
  for (const auto& name : order) {
    const DetectorTally& d = tallies.at(name);
    json row = {
        {"detector", name},
        {"pairs_applicable", d.pairs.size()},
        {"support", ratio(static_cast<int>(d.pairs.size()), static_cast<int>(all_pairs.size()))},
        {"file_level", metrics(d.file)},
        {"line_level", d.locates ? metrics(d.line) : json(nullptr)},
        {"pair_level", d.locates_pairs ? metrics(d.pair) : json(nullptr)},
        {"errors", d.errors},
        {"known_false_positives", d.known_false_positives},
        {"may_find_pairs", d.may_find_pairs},
        {"may_find_seen", d.may_find_seen},
        {"unmarked_broken", d.unmarked}};
    const auto seconds = median(d.trial_seconds);
    row["median_trial_seconds"] = seconds ? json(*seconds) : json(nullptr);
    std::vector<double> ratios;
    if (baseline != tallies.end()) {
      for (const auto& [variant, peak] : d.peak_by_variant) {
        const auto base = baseline->second.peak_by_variant.find(variant);
        if (base != baseline->second.peak_by_variant.end() && base->second > 0) {
          ratios.push_back(static_cast<double>(peak) / static_cast<double>(base->second));
        }
      }
    }
    const auto memory = median(ratios);
    row["peak_memory_vs_plain"] = memory ? json(*memory) : json(nullptr);
    json categories = json::object();
    for (const auto& [category, counts] : d.by_category) categories[category] = metrics(counts);
    row["by_category"] = std::move(categories);
    rows.push_back(std::move(row));
  }
  return {{"pairs", all_pairs.size()}, {"detectors", std::move(rows)}};
}

// The corpus a verdict belongs to: the source base its files are named under (a --programs
// folder, a CASEBOOK_EXTRA_CASES folder), "" for the catalog's own cases.
std::string corpus_of(const results::Verdict& verdict) {
  return verdict.file_base;
}

// A corpus's name as a reader knows it: its folder's name (source_bases' path), or "catalog".
std::string corpus_name(const results::Results& doc, const std::string& base) {
  if (base.empty()) return "catalog";
  const json& bases = doc.source_bases;
  if (!bases.is_object()) return base;
  if (const auto it = bases.find(base);
      it != bases.end() && it->is_object() && it->contains("path") && it->at("path").is_string()) {
    std::string path = it->at("path").get<std::string>();
    while (path.size() > 1 && path.back() == '/') path.pop_back();
    return path.substr(path.find_last_of('/') + 1);
  }
  return base;
}

}  // namespace

json scorecard_of(const results::Results& doc) {
  std::vector<const results::Verdict*> verdicts;
  verdicts.reserve(doc.verdicts.size());
  for (const results::Verdict& v : doc.verdicts) verdicts.push_back(&v);
  json card = score(verdicts);
  std::vector<std::string> bases;
  std::map<std::string, std::vector<const results::Verdict*>> by_base;
  for (const results::Verdict* v : verdicts) {
    const std::string base = corpus_of(*v);
    auto [it, fresh] = by_base.try_emplace(base);
    if (fresh) bases.push_back(base);
    it->second.push_back(v);
  }
  // One run over several corpora (the catalog and --programs folders, or two corpora) reads
  // like several published tables: each corpus scored on its own as well.
  if (bases.size() > 1) {
    json corpora = json::array();
    for (const auto& base : bases) {
      json entry = score(by_base.at(base));
      entry["corpus"] = corpus_name(doc, base);
      entry["source_base"] = base.empty() ? json(nullptr) : json(base);
      corpora.push_back(std::move(entry));
    }
    card["corpora"] = std::move(corpora);
  }
  return card;
}

}  // namespace casebook::reports
