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

std::optional<double> ratio(int num, int den) {
  if (den == 0) return std::nullopt;
  return static_cast<double>(num) / den;
}

results::Score metrics(const Counts& c) {
  results::Score s;
  s.tp = c.tp;
  s.fp = c.fp;
  s.tn = c.tn;
  s.fn = c.fn;
  s.precision = ratio(c.tp, c.tp + c.fp);
  s.recall = ratio(c.tp, c.tp + c.fn);
  s.specificity = ratio(c.tn, c.tn + c.fp);
  if (s.precision && s.recall) {
    const double p = *s.precision, r = *s.recall;
    s.f1 = p + r > 0 ? 2 * p * r / (p + r) : 0.0;
  }
  return s;
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

// The scorecard (pairs, detectors) of these verdicts.
results::CorpusScorecard score(const std::vector<const results::Verdict*>& verdicts) {
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
  results::CorpusScorecard card;
  card.pairs = static_cast<int>(all_pairs.size());
  for (const auto& name : order) {
    const DetectorTally& d = tallies.at(name);
    results::DetectorScore row;
    row.detector = name;
    row.pairs_applicable = static_cast<int>(d.pairs.size());
    row.support = ratio(row.pairs_applicable, card.pairs);
    row.file_level = metrics(d.file);
    if (d.locates) row.line_level = metrics(d.line);
    if (d.locates_pairs) row.pair_level = metrics(d.pair);
    row.errors = d.errors;
    row.known_false_positives = d.known_false_positives;
    row.may_find_pairs = d.may_find_pairs;
    row.may_find_seen = d.may_find_seen;
    row.unmarked_broken = d.unmarked;
    row.median_trial_seconds = median(d.trial_seconds);
    std::vector<double> ratios;
    if (baseline != tallies.end()) {
      for (const auto& [variant, peak] : d.peak_by_variant) {
        const auto base = baseline->second.peak_by_variant.find(variant);
        if (base != baseline->second.peak_by_variant.end() && base->second > 0) {
          ratios.push_back(static_cast<double>(peak) / static_cast<double>(base->second));
        }
      }
    }
    row.peak_memory_vs_plain = median(ratios);
    for (const auto& [category, counts] : d.by_category)
      row.by_category[category] = metrics(counts);
    card.detectors.push_back(std::move(row));
  }
  return card;
}

// The corpus a verdict belongs to: the source base its files are named under (a --programs
// folder, a CASEBOOK_EXTRA_CASES folder), "" for the catalog's own cases.
std::string corpus_of(const results::Verdict& verdict) {
  return verdict.file_base;
}

// A corpus's name as a reader knows it: its folder's name (source_bases' path), or "catalog".
std::string corpus_name(const results::Results& doc, const std::string& base) {
  if (base.empty()) return "catalog";
  if (!doc.source_bases) return base;
  if (const auto it = doc.source_bases->find(base); it != doc.source_bases->end()) {
    std::string path = it->second.path;
    while (path.size() > 1 && path.back() == '/') path.pop_back();
    return path.substr(path.find_last_of('/') + 1);
  }
  return base;
}

}  // namespace

results::Scorecard scorecard_of(const results::Results& doc) {
  std::vector<const results::Verdict*> verdicts;
  verdicts.reserve(doc.verdicts.size());
  for (const results::Verdict& v : doc.verdicts) verdicts.push_back(&v);
  results::CorpusScorecard whole = score(verdicts);
  results::Scorecard card;
  card.pairs = whole.pairs;
  card.detectors = std::move(whole.detectors);
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
    for (const auto& base : bases) {
      results::CorpusScorecard entry = score(by_base.at(base));
      entry.corpus = corpus_name(doc, base);
      if (!base.empty()) entry.source_base = base;
      card.corpora.push_back(std::move(entry));
    }
  }
  return card;
}

}  // namespace casebook::reports
