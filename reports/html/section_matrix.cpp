// section_matrix.cpp - the detection matrix: one row per case, a broken and a fixed column per
// detector, each cell coloured by its verdict.
//
// The table is complete HTML, so the page reads right before (or without) JS. Rows and cells
// carry data-* attributes (category, verdicts, detectors, search text) that report.js filters
// and sorts on; the chips name the values present in this run and nothing else.
#include <fmt/format.h>

#include <map>
#include <set>

#include "html_text.hpp"
#include "sections.hpp"

namespace casebook::reports::html {
namespace {

// Short cell text; the full verdict and the reason are in the cell's title.
std::string_view cell_label(std::string_view verdict) {
  if (verdict == "known-false-positive") return "known false +";
  if (verdict == "false-positive") return "false +";
  if (verdict == "skipped") return "skip";
  return verdict;
}

std::string chip(std::string_view group, std::string_view value, int count) {
  return fmt::format(
      "<button type=\"button\" class=\"chip\" data-group=\"{}\" data-value=\"{}\" "
      "aria-pressed=\"false\">{}<span class=\"chip-count\">{}</span></button>",
      group, escape(value), escape(value), count);
}

std::string chip_group(std::string_view group, std::string_view label,
                       const std::vector<std::pair<std::string, int>>& values) {
  std::string out = fmt::format(
      "<div class=\"chip-group\" data-group=\"{}\"><span class=\"chip-label\">{}</span>", group,
      label);
  for (const auto& [value, count] : values) out += chip(group, value, count);
  return out + "</div>\n";
}

std::string cell(const CaseView& c, std::string_view variant, std::string_view detector,
                 bool show_rates) {
  const model::Verdict* v = c.find(variant, detector);
  if (v == nullptr) {
    return fmt::format(
        "<td class=\"cell none\" data-detector=\"{}\" data-variant=\"{}\" "
        "data-verdict=\"\" title=\"not run\"></td>",
        escape(detector), variant);
  }
  const std::string verdict = display_verdict(*v);
  std::string rate;
  // A chance symptom's rate is its whole story, so it shows even without --repeat.
  if (show_rates || expects_may_find(*v)) {
    const Rate r = manifestation(*v);
    if (r.trials > 0) rate = fmt::format("<span class=\"rate\">{}/{}</span>", r.hits, r.trials);
  }
  return fmt::format(
      "<td class=\"cell v-{0}\" data-detector=\"{1}\" data-variant=\"{2}\" data-verdict=\"{3}\" "
      "title=\"{4} {2} / {1}: {3}: {5}\"><a href=\"#{6}\">{7}</a>{8}</td>",
      id_part(verdict), escape(detector), variant, escape(verdict), escape(c.name),
      escape(v->reason), verdict_anchor(c.name, variant, detector), escape(cell_label(verdict)),
      rate);
}

}  // namespace

std::string render_matrix(const ResultsView& view) {
  std::map<std::string, int> per_category, per_verdict, per_detector;
  for (const CaseView& c : view.cases) {
    ++per_category[c.category];
    std::set<std::string> verdicts, detectors;
    for (const model::Verdict* v : c.verdicts) {
      verdicts.insert(display_verdict(*v));
      if (v->verdict != "skipped") detectors.insert(v->detector);
    }
    for (const auto& v : verdicts) ++per_verdict[v];
    for (const auto& d : detectors) ++per_detector[d];
  }
  std::vector<std::pair<std::string, int>> categories, verdicts, detectors;
  for (const auto& name : view.categories) categories.emplace_back(name, per_category[name]);
  for (const std::string_view v : kVerdictOrder) {
    const auto it = per_verdict.find(std::string(v));
    if (it != per_verdict.end()) verdicts.emplace_back(it->first, it->second);
  }
  for (const auto& d : view.detectors) detectors.emplace_back(d, per_detector[d]);

  std::string out =
      "<section id=\"matrix-section\" class=\"matrix-section\">\n<h2>Detection matrix</h2>\n";
  out +=
      "<p class=\"hint\">One row per case; for each detector, the verdict of the broken and "
      "the fixed variant. Chips in one group widen the selection, groups narrow it; a verdict "
      "chip keeps rows with that verdict in a shown column.</p>\n";
  out +=
      "<div class=\"controls\">\n<input type=\"search\" id=\"matrix-search\" "
      "placeholder=\"Search cases, titles, categories\" aria-label=\"search cases\">\n";
  out += chip_group("category", "category", categories);
  out += chip_group("verdict", "verdict", verdicts);
  out += chip_group("detector", "detector", detectors);
  fmt::format_to(std::back_inserter(out),
                 "<div class=\"matrix-status\"><span id=\"matrix-count\">{0} of {0} cases</span> "
                 "<button type=\"button\" id=\"matrix-reset\" "
                 "class=\"link-button\">reset</button></div>\n</div>\n",
                 view.cases.size());

  fmt::format_to(std::back_inserter(out),
                 "<div class=\"matrix-scroll\"><table id=\"matrix\" class=\"matrix\" "
                 "data-cases=\"{}\">\n<thead>\n<tr>"
                 "<th rowspan=\"2\" class=\"sortable col-case\" data-sort=\"name\">case</th>"
                 "<th rowspan=\"2\" class=\"sortable\" data-sort=\"category\">category</th>"
                 "<th rowspan=\"2\" class=\"sortable\" data-sort=\"result\">result</th>",
                 view.cases.size());
  for (const auto& d : view.detectors) {
    fmt::format_to(std::back_inserter(out),
                   "<th colspan=\"2\" class=\"sortable det\" data-sort=\"det:{0}\" "
                   "data-detector=\"{0}\">{0}</th>",
                   escape(d));
  }
  out += "</tr>\n<tr>";
  for (const auto& d : view.detectors) {
    fmt::format_to(std::back_inserter(out),
                   "<th class=\"variant\" data-detector=\"{0}\">broken</th>"
                   "<th class=\"variant\" data-detector=\"{0}\">fixed</th>",
                   escape(d));
  }
  out += "</tr>\n</thead>\n<tbody>\n";

  // With --repeat N every pair ran N trials, so hits/trials is a manifestation rate; with one
  // trial (plus deflake retries that stop at the first hit) it would only mislead.
  const bool show_rates = view.results->run.repeat > 1;
  bool any_may_find = false;
  for (const CaseView& c : view.cases) {
    for (const model::Verdict* v : c.verdicts) {
      any_may_find = any_may_find || expects_may_find(*v);
    }
  }
  int order = 0;
  for (const CaseView& c : view.cases) {
    std::set<std::string> verdict_set;
    for (const model::Verdict* v : c.verdicts) verdict_set.insert(display_verdict(*v));
    std::string verdict_list;
    for (const auto& v : verdict_set) verdict_list += (verdict_list.empty() ? "" : " ") + v;
    const std::string result = c.failed == 0
                                   ? fmt::format("<span class=\"ok\">{} ok</span>", c.passed)
                                   : fmt::format("<span class=\"bad\">{} failed</span>", c.failed);
    fmt::format_to(
        std::back_inserter(out),
        "<tr data-case=\"{0}\" data-category=\"{1}\" data-failed=\"{2}\" data-order=\"{3}\" "
        "data-verdicts=\"{4}\" data-search=\"{5}\">"
        "<th scope=\"row\" class=\"col-case\"><a href=\"#{6}\">{0}</a>"
        "<div class=\"row-title\">{7}</div></th><td class=\"cat\">{1}</td>"
        "<td class=\"result\">{8}</td>",
        escape(c.name), escape(c.category), c.failed, order++, escape(verdict_list),
        escape(c.name + " " + c.category + " " + c.broken_title + " " + c.fixed_title),
        case_anchor(c.name), escape(c.broken_title), result);
    // A single program's verdicts fill the first column.
    const bool single_program = c.single_program();
    for (const auto& d : view.detectors) {
      out += cell(c, single_program ? "program" : "broken", d, show_rates);
      out += single_program ? std::string(
                                  "<td class=\"cell none\" title=\"a single program: "
                                  "no fixed twin\"></td>")
                            : cell(c, "fixed", d, show_rates);
    }
    out += "</tr>\n";
  }
  out += "</tbody>\n</table></div>\n";
  out += "<p class=\"legend\">";
  for (const std::string_view v : kVerdictOrder) out += verdict_badge(v) + " ";
  out +=
      "<span class=\"legend-note\">detected/clean: as expected; known-false-positive: the "
      "detector reported what the case declares as its known false positive, so it passed; "
      "missed/false-positive: the expectation failed; error: the trial could not be judged.";
  if (show_rates || any_may_find) {
    out +=
        " k/n: the trials that showed the finding, out of those run (in every cell with "
        "--repeat; in a may-find's always: a chance symptom, a pass either way).";
  }
  out += "</span></p>\n</section>\n";
  return out;
}

}  // namespace casebook::reports::html
