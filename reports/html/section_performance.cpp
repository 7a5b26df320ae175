// section_performance.cpp - the perf detector's measurements: broken vs fixed rounds.
//
// There are no benchmark results in results.json yet; what exists is each perf trial's
// outcome: the rounds of each variant (broken/fixed arrays, in the case's metric), the ratio
// of their best rounds and the threshold the case declares. Each gets a small inline SVG on a
// log scale (rounds differ by orders of magnitude; noise is one-sided, so the best round is
// the one marked) and a table row.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "html_text.hpp"
#include "sections.hpp"

namespace casebook::reports::html {
namespace {

// The declared threshold: the compare outcome's "threshold"; outcomes written before it
// existed say it only as text ("< 3.000000 x"), so fall back to the first number there.
double threshold_of(const model::Outcome& outcome) {
  if (outcome.comparison->threshold) return *outcome.comparison->threshold;
  const std::string& expected = outcome.expected;
  const auto start = expected.find_first_of("0123456789");
  if (start == std::string::npos) return NAN;
  return std::strtod(expected.c_str() + start, nullptr);
}

std::string chart(const std::vector<double>& broken, const std::vector<double>& fixed,
                  std::string_view metric) {
  constexpr double kWidth = 560, kLeft = 64, kRight = 16, kLaneBroken = 22, kLaneFixed = 50,
                   kAxis = 68;
  double lo = INFINITY, hi = 0;
  for (const auto* series : {&broken, &fixed}) {
    for (double v : *series) {
      if (v > 0) {
        lo = std::min(lo, v);
        hi = std::max(hi, v);
      }
    }
  }
  if (!(hi > 0)) return {};
  const double l0 = std::floor(std::log10(lo)), l1 = std::max(l0 + 1, std::ceil(std::log10(hi)));
  auto x = [&](double v) {
    return kLeft + (std::log10(v) - l0) / (l1 - l0) * (kWidth - kLeft - kRight);
  };
  std::string svg = fmt::format(
      "<svg class=\"perf-chart\" viewBox=\"0 0 {} 86\" width=\"{}\" height=\"86\" role=\"img\" "
      "aria-label=\"rounds of broken and fixed, {} (log scale)\">",
      kWidth, kWidth, escape(metric));
  svg += fmt::format("<line class=\"axis\" x1=\"{}\" x2=\"{}\" y1=\"{}\" y2=\"{}\"/>", kLeft,
                     kWidth - kRight, kAxis, kAxis);
  for (double p = l0; p <= l1; ++p) {
    const double v = std::pow(10.0, p);
    svg += fmt::format(
        "<line class=\"tick\" x1=\"{0:.1f}\" x2=\"{0:.1f}\" y1=\"12\" y2=\"{1}\"/>"
        "<text class=\"tick-label\" x=\"{0:.1f}\" y=\"82\">{2}</text>",
        x(v), kAxis + 3,
        p < 0 ? fmt::format("{:.{}f}", v, static_cast<int>(-p)) : fmt::format("{:.0f}", v));
  }
  svg += fmt::format("<text class=\"tick-label axis-name\" x=\"{}\" y=\"8\">{} (log scale)</text>",
                     kWidth - kRight, escape(metric));
  auto lane = [&](const std::vector<double>& values, double y, std::string_view name) {
    svg += fmt::format("<text class=\"lane-label\" x=\"4\" y=\"{}\">{}</text>", y + 4, name);
    const double best = values.empty() ? 0 : *std::min_element(values.begin(), values.end());
    for (double v : values) {
      if (v <= 0) continue;
      svg += fmt::format(
          "<circle class=\"round {}{}\" cx=\"{:.1f}\" cy=\"{}\" r=\"{}\"><title>{}: {} "
          "{}</title></circle>",
          name, v == best ? " best" : "", x(v), y, v == best ? 6 : 4, name,
          escape(format_number(v)), escape(metric));
    }
  };
  lane(broken, kLaneBroken, "broken");
  lane(fixed, kLaneFixed, "fixed");
  return svg + "</svg>";
}

std::string series_text(const std::vector<double>& values) {
  std::string out;
  for (double v : values) out += (out.empty() ? "" : ", ") + format_number(v);
  return out;
}

}  // namespace

bool is_comparison(const std::optional<model::Outcome>& outcome) {
  return outcome && outcome->comparison;
}

std::string render_performance(const ResultsView& view) {
  std::string rows;
  for (const CaseView& c : view.cases) {
    for (const model::Verdict* v : c.verdicts) {
      const model::Trial* trial = deciding_trial(*v);
      if (trial == nullptr || !is_comparison(trial->outcome)) continue;
      const model::Outcome& o = *trial->outcome;
      const model::Comparison& compared = *o.comparison;
      const std::vector<double>& broken = compared.broken;
      const std::vector<double>& fixed = compared.fixed;
      if (broken.empty() && fixed.empty()) continue;
      const std::string& metric = compared.metric;
      const double threshold = threshold_of(o);
      const double ratio = compared.ratio;
      rows += fmt::format(
          "<tr><th scope=\"row\"><a href=\"#{}\">{}</a><div class=\"muted\">{}</div></th>"
          "<td>{}</td><td class=\"num\"><strong>{}</strong><div class=\"series\">{}</div></td>"
          "<td class=\"num\"><strong>{}</strong><div class=\"series\">{}</div></td>"
          "<td class=\"num ratio\">{}\u00d7</td><td class=\"num\">{}\u00d7</td><td>{}</td></tr>\n"
          "<tr class=\"chart-row\"><td colspan=\"7\">{}</td></tr>\n",
          case_anchor(c.name), escape(c.name), escape(c.broken_title), escape(metric),
          escape(format_number(compared.broken_best)), escape(series_text(broken)),
          escape(format_number(compared.fixed_best)), escape(series_text(fixed)),
          escape(format_number(ratio)), escape(format_number(threshold)),
          verdict_badge(display_verdict(*v)), chart(broken, fixed, metric));
    }
  }
  if (rows.empty()) return {};
  return "<section id=\"performance\" class=\"performance\">\n<h2>Performance</h2>\n"
         "<p class=\"hint\">The perf detector runs broken and fixed alternately in one process and "
         "compares their best rounds (noise only adds cost). A slowdown is detected when the ratio "
         "reaches the case's threshold. Large dots are the best rounds.</p>\n"
         "<table class=\"perf\"><thead><tr><th>case</th><th>metric</th><th>broken (best; all "
         "rounds)</th>"
         "<th>fixed (best; all "
         "rounds)</th><th>ratio</th><th>threshold</th><th>verdict</th></tr></thead>\n<tbody>\n" +
         rows + "</tbody></table>\n</section>\n";
}

}  // namespace casebook::reports::html
