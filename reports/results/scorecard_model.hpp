// scorecard_model.hpp - results.json's "scorecard" as C++ types: every detector's confusion
// counts and ratios at file, line and race-pair level, for the whole run and per corpus.
// reports/scorecard computes it from the verdicts; the Markdown and HTML writers draw it; the
// reader is as strict as reports/schema/results.schema.json ("scorecard", "$defs/score").
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace casebook::results {

// Confusion counts and the ratios of them; a ratio with no denominator is null (nullopt).
struct Score {
  int tp = 0;
  int fp = 0;
  int tn = 0;
  int fn = 0;
  std::optional<double> precision;
  std::optional<double> recall;
  std::optional<double> specificity;
  std::optional<double> f1;

  bool operator==(const Score&) const = default;
};

struct DetectorScore {
  std::string detector;
  int pairs_applicable = 0;
  std::optional<double> support;  // pairs_applicable / the run's pairs
  Score file_level;
  std::optional<Score> line_level;  // none: its findings never point into case code
  std::optional<Score> pair_level;  // none: its races never name two accesses in case code
  int errors = 0;
  int known_false_positives = 0;
  int may_find_pairs = 0;
  int may_find_seen = 0;
  int unmarked_broken = 0;
  std::optional<double> median_trial_seconds;
  std::optional<double> peak_memory_vs_plain;
  std::map<std::string, Score> by_category;  // file level, per bug category

  bool operator==(const DetectorScore&) const = default;
};

// One corpus's scorecard (the catalog, a --programs folder, a CASEBOOK_EXTRA_CASES folder).
struct CorpusScorecard {
  std::string corpus;                      // the folder's name, or "catalog"
  std::optional<std::string> source_base;  // its source_bases id; none for the catalog
  int pairs = 0;
  std::vector<DetectorScore> detectors;

  bool operator==(const CorpusScorecard&) const = default;
};

struct Scorecard {
  int pairs = 0;
  std::vector<DetectorScore> detectors;
  std::vector<CorpusScorecard> corpora;  // only for a run over more than one corpus

  bool operator==(const Scorecard&) const = default;
};

nlohmann::json to_json(const Scorecard& s);
// Throws FieldError naming the path of the first missing or mistyped field.
Scorecard scorecard_from_json(const nlohmann::json& value, const std::string& where);

}  // namespace casebook::results
