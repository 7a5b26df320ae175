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

std::string fraction(const std::optional<double>& value) {
  return value ? fmt::format("{:.3f}", *value) : "&ndash;";
}

std::string level_cells(const std::optional<model::Score>& score) {
  if (!score) {
    return "<td class=\"num\" colspan=\"4\" title=\"its findings never point into case "
           "code\">does not locate</td>";
  }
  return fmt::format(
      "<td class=\"num\">{}/{}/{}/{}</td><td class=\"num\">{}</td><td "
      "class=\"num\">{}</td><td class=\"num\">{}</td>",
      score->tp, score->fp, score->tn, score->fn, fraction(score->precision),
      fraction(score->recall), fraction(score->f1));
}

std::string optional_number(const std::optional<double>& value, std::string_view unit) {
  return value ? format_number(*value) + std::string(unit) : "&ndash;";
}

// One scorecard's table (the run's, or one of its corpora's). Race-pair columns only where
// some detector's races named two accesses (labelled race pairs, or cases marking both lines
// of a race).
std::string scorecard_table(const std::vector<model::DetectorScore>& detectors, int pairs_of_run) {
  const bool pairs = std::any_of(detectors.begin(), detectors.end(),
                                 [](const model::DetectorScore& row) { return row.pair_level; });
  std::string rows;
  for (const model::DetectorScore& row : detectors) {
    rows += fmt::format(
        "<tr><th scope=\"row\">{}</th><td class=\"num\">{} of {} ({})</td>{}<td "
        "class=\"num\">{}</td>{}{}<td class=\"num\">{}</td><td class=\"num\">{}</td><td "
        "class=\"num\">{}</td></tr>\n",
        escape(row.detector), row.pairs_applicable, pairs_of_run, fraction(row.support),
        level_cells(row.file_level), fraction(row.file_level.specificity),
        level_cells(row.line_level), pairs ? level_cells(row.pair_level) : std::string(),
        optional_number(row.median_trial_seconds, " s"),
        optional_number(row.peak_memory_vs_plain, "&times;"), row.errors);
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
  if (!view.results->scorecard || view.results->scorecard->detectors.empty()) return {};
  const model::Scorecard& card = *view.results->scorecard;
  std::string corpora;
  for (const model::CorpusScorecard& corpus : card.corpora) {
    if (corpus.detectors.empty()) continue;
    corpora += "<h3>" + escape(corpus.corpus) + "</h3>\n";
    corpora += scorecard_table(corpus.detectors, corpus.pairs);
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
         scorecard_table(card.detectors, card.pairs) +
         (corpora.empty() ? std::string()
                          : "<p>The run held several corpora; each alone:</p>\n" + corpora) +
         "</section>\n";
}

}  // namespace casebook::reports::html
