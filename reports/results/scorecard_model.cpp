#include "results/scorecard_model.hpp"

#include "results/json_fields.hpp"

namespace casebook::results {

namespace {

using nlohmann::json;

json nullable(const std::optional<double>& v) {
  return v ? json(*v) : json(nullptr);
}

json score_to_json(const Score& s) {
  return {{"tp", s.tp},
          {"fp", s.fp},
          {"tn", s.tn},
          {"fn", s.fn},
          {"precision", nullable(s.precision)},
          {"recall", nullable(s.recall)},
          {"specificity", nullable(s.specificity)},
          {"f1", nullable(s.f1)}};
}

json detectors_to_json(const std::vector<DetectorScore>& detectors) {
  json rows = json::array();
  for (const DetectorScore& d : detectors) {
    json categories = json::object();
    for (const auto& [category, score] : d.by_category) categories[category] = score_to_json(score);
    rows.push_back({{"detector", d.detector},
                    {"pairs_applicable", d.pairs_applicable},
                    {"support", nullable(d.support)},
                    {"file_level", score_to_json(d.file_level)},
                    {"line_level", d.line_level ? score_to_json(*d.line_level) : json(nullptr)},
                    {"pair_level", d.pair_level ? score_to_json(*d.pair_level) : json(nullptr)},
                    {"errors", d.errors},
                    {"known_false_positives", d.known_false_positives},
                    {"may_find_pairs", d.may_find_pairs},
                    {"may_find_seen", d.may_find_seen},
                    {"unmarked_broken", d.unmarked_broken},
                    {"median_trial_seconds", nullable(d.median_trial_seconds)},
                    {"peak_memory_vs_plain", nullable(d.peak_memory_vs_plain)},
                    {"by_category", std::move(categories)}});
  }
  return rows;
}

// A required number that may be null.
std::optional<double> nullable_number(const JsonFields& f, const char* key) {
  if (f.any(key).is_null()) return std::nullopt;
  return f.number(key);
}

Score score_from_json(const json& value, const std::string& where) {
  const JsonFields f(value, where);
  return {f.integer("tp"),
          f.integer("fp"),
          f.integer("tn"),
          f.integer("fn"),
          nullable_number(f, "precision"),
          nullable_number(f, "recall"),
          nullable_number(f, "specificity"),
          nullable_number(f, "f1")};
}

std::optional<Score> score_or_null(const JsonFields& f, const char* key) {
  const json* value = f.object_or_null(key);
  if (value == nullptr) return std::nullopt;
  return score_from_json(*value, f.path(key));
}

std::vector<DetectorScore> detectors_from_json(const JsonFields& card) {
  std::vector<DetectorScore> out;
  const json& rows = card.array("detectors");
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const JsonFields f(rows[i], card.path("detectors", i));
    DetectorScore d;
    d.detector = f.text("detector");
    d.pairs_applicable = f.integer("pairs_applicable");
    d.support = nullable_number(f, "support");
    d.file_level = score_from_json(f.any("file_level"), f.path("file_level"));
    d.line_level = score_or_null(f, "line_level");
    // Written since race pairs were scored; an older file reads as "does not locate pairs".
    if (f.has("pair_level")) d.pair_level = score_or_null(f, "pair_level");
    d.errors = f.integer("errors");
    d.known_false_positives = f.integer_or("known_false_positives", 0);
    d.may_find_pairs = f.integer_or("may_find_pairs", 0);
    d.may_find_seen = f.integer_or("may_find_seen", 0);
    d.unmarked_broken = f.integer_or("unmarked_broken", 0);
    d.median_trial_seconds = nullable_number(f, "median_trial_seconds");
    d.peak_memory_vs_plain = nullable_number(f, "peak_memory_vs_plain");
    if (f.has("by_category")) {
      const JsonFields categories(f.any("by_category"), f.path("by_category"));
      for (const auto& [category, score] : f.any("by_category").items()) {
        d.by_category[category] = score_from_json(score, categories.path(category.c_str()));
      }
    }
    out.push_back(std::move(d));
  }
  return out;
}

}  // namespace

json to_json(const Scorecard& s) {
  json out = {{"pairs", s.pairs}, {"detectors", detectors_to_json(s.detectors)}};
  if (!s.corpora.empty()) {
    json corpora = json::array();
    for (const CorpusScorecard& c : s.corpora) {
      corpora.push_back({{"corpus", c.corpus},
                         {"source_base", c.source_base ? json(*c.source_base) : json(nullptr)},
                         {"pairs", c.pairs},
                         {"detectors", detectors_to_json(c.detectors)}});
    }
    out["corpora"] = std::move(corpora);
  }
  return out;
}

Scorecard scorecard_from_json(const json& value, const std::string& where) {
  const JsonFields f(value, where);
  Scorecard s;
  s.pairs = f.integer("pairs");
  s.detectors = detectors_from_json(f);
  if (f.has("corpora")) {
    const json& corpora = f.array("corpora");
    for (std::size_t i = 0; i < corpora.size(); ++i) {
      const JsonFields c(corpora[i], f.path("corpora", i));
      CorpusScorecard corpus;
      corpus.corpus = c.text("corpus");
      if (!c.any("source_base").is_null()) corpus.source_base = c.text("source_base");
      corpus.pairs = c.integer("pairs");
      corpus.detectors = detectors_from_json(c);
      s.corpora.push_back(std::move(corpus));
    }
  }
  return s;
}

}  // namespace casebook::results
