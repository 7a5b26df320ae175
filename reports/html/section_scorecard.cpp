// section_scorecard.cpp - the detectors' scorecard (results.json "scorecard"): precision and
// recall at file, line and race-pair level, support, cost; for a run over several corpora, a
// table per corpus too. Numbers are text in a table, so the section prints and reads without
// colour.
#include <fmt/format.h>

#include <algorithm>

#include "html_text.hpp"
#include "sections.hpp"

namespace casebook::reports::html {
namespace {

std::string fraction(const Json& score, std::string_view key) {
  const auto it = score.find(key);
  if (it == score.end() || !it->is_number()) return "&ndash;";
  return fmt::format("{:.3f}", it->get<double>());
}

std::string counts(const Json& score) {
  return fmt::format("{}/{}/{}/{}", score.value("tp", 0), score.value("fp", 0),
                     score.value("tn", 0), score.value("fn", 0));
}

std::string level_cells(const Json& score) {
  if (!score.is_object()) {
    return "<td class=\"num\" colspan=\"4\" title=\"its findings never point into case "
           "code\">does not locate</td>";
  }
  return fmt::format(
      "<td class=\"num\">{}</td><td class=\"num\">{}</td><td "
      "class=\"num\">{}</td><td class=\"num\">{}</td>",
      counts(score), fraction(score, "precision"), fraction(score, "recall"),
      fraction(score, "f1"));
}

std::string optional_number(const Json& row, std::string_view key, std::string_view unit) {
  const auto it = row.find(key);
  if (it == row.end() || !it->is_number()) return "&ndash;";
  return format_number(it->get<double>()) + std::string(unit);
}

// A scorecard object's table (results.json "scorecard", or one of its "corpora"). Race-pair
// columns only where some detector's races named two accesses (labelled race pairs, or cases
// marking both lines of a race).
std::string scorecard_table(const Json& card) {
  const Json& detectors = card.at("detectors");
  const bool pairs = std::any_of(detectors.begin(), detectors.end(), [](const Json& row) {
    return row.value("pair_level", Json()).is_object();
  });
  std::string rows;
  for (const Json& row : detectors) {
    const Json& file = row.at("file_level");
    rows += fmt::format(
        "<tr><th scope=\"row\">{}</th><td class=\"num\">{} of {} ({})</td>{}<td "
        "class=\"num\">{}</td>{}{}<td class=\"num\">{}</td><td class=\"num\">{}</td><td "
        "class=\"num\">{}</td></tr>\n",
        escape(row.value("detector", "")), row.value("pairs_applicable", 0), card.value("pairs", 0),
        fraction(row, "support"), level_cells(file), fraction(file, "specificity"),
        level_cells(row.value("line_level", Json())),
        pairs ? level_cells(row.value("pair_level", Json())) : std::string(),
        optional_number(row, "median_trial_seconds", " s"),
        optional_number(row, "peak_memory_vs_plain", "&times;"), row.value("errors", 0));
  }
  const std::string level_heads =
      "<th>TP/FP/TN/FN</th><th>precision</th><th>recall</th><th>F1</th>";
  return "<div class=\"table-wrap\"><table class=\"scorecard\"><thead>"
         "<tr><th rowspan=\"2\">detector</th><th rowspan=\"2\">pairs it runs on (support)</th>"
         "<th colspan=\"5\">file level</th><th colspan=\"4\">line level</th>" +
         std::string(pairs ? "<th colspan=\"4\">race pair (both lines)</th>" : "") +
         "<th rowspan=\"2\">median per trial</th><th rowspan=\"2\">peak memory vs plain</th>"
         "<th rowspan=\"2\">errors</th></tr>\n<tr>" +
         level_heads + "<th>specificity</th>" + level_heads + (pairs ? level_heads : "") +
         "</tr></thead>\n<tbody>\n" + rows + "</tbody></table></div>\n";
}

}  // namespace

std::string render_scorecard(const ResultsView& view) {
  const Json* card = &view.results->scorecard;
  if (!card->is_object() || card->value("detectors", Json()).empty()) return {};
  std::string corpora;
  for (const Json& corpus : card->value("corpora", Json::array())) {
    if (corpus.value("detectors", Json()).empty()) continue;
    corpora += "<h3>" + escape(corpus.value("corpus", "")) + "</h3>\n";
    corpora += scorecard_table(corpus);
  }
  return "<section id=\"scorecard\" class=\"scorecard\">\n<h2>Detector scorecard</h2>\n"
         "<p>Every broken variant is a positive and every fixed one a negative (a standalone "
         "program: as labelled or declared); a detector "
         "flags a variant when any of its trials reported anything, whatever the case declares. "
         "TP/FP/TN/FN count variants. At line level a broken variant counts only when a "
         "finding's top frame in the case's code is on a line the variant marks with "
         "<code>casebook-bug</code>; at race-pair level, only when a data race's two accesses "
         "landed on both lines of a labelled pair. Memory is the median peak resident size "
         "against the same "
         "variant run plain (the invariant detector). For context, DataRaceBench 2021 measured "
         "TSan on C/C++ at recall 0.802 and precision 0.958 at file level, and Helgrind costs "
         "50&ndash;500&times; in time.</p>\n" +
         scorecard_table(*card) +
         (corpora.empty() ? std::string()
                          : "<p>The run held several corpora; each alone:</p>\n" + corpora) +
         "</section>\n";
}

}  // namespace casebook::reports::html
