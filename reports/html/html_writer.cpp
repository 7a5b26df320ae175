// html_writer.cpp - the page skeleton around the sections (see html_writer.hpp).
#include "html/html_writer.hpp"

#include <fmt/format.h>

#include <string_view>

#include "html_text.hpp"
#include "report_assets.hpp"
#include "results_view.hpp"
#include "sections.hpp"

namespace casebook::reports {
namespace {

using html::CaseView;
using html::escape;
using html::ResultsView;

template <std::size_t N>
std::string_view asset(const unsigned char (&bytes)[N]) {
  return {reinterpret_cast<const char*>(bytes), N};
}

// Nothing may be fetched: styles and scripts are inline, images only data: URIs, and no
// connection of any kind. A violation shows as a console error, which the browser test fails.
constexpr std::string_view kPolicy =
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; "
    "base-uri 'none'; form-action 'none'";

std::string navigation(const ResultsView& view, bool has_scorecard, bool has_performance,
                       bool has_benchmarks) {
  std::string out =
      "<nav class=\"sidebar\" aria-label=\"sections\"><div class=\"brand\">casebook</div>\n"
      "<a href=\"#overview\">Overview</a>\n<a href=\"#matrix-section\">Detection matrix</a>\n";
  if (has_scorecard) out += "<a href=\"#scorecard\">Detector scorecard</a>\n";
  if (has_performance) out += "<a href=\"#performance\">Performance</a>\n";
  if (has_benchmarks) out += "<a href=\"#benchmarks\">Benchmarks</a>\n";
  std::string category;
  for (const CaseView& c : view.cases) {
    if (c.category != category) {
      category = c.category;
      out += "<div class=\"nav-cat\">" + escape(category) + "</div>\n";
    }
    out += fmt::format("<a class=\"nav-case {}\" href=\"#{}\">{}</a>\n",
                       c.failed == 0 ? "pass" : "fail", html::case_anchor(c.name), escape(c.name));
  }
  return out + "</nav>\n";
}

}  // namespace

std::string html_from_results(const results::Results& results) {
  return html_from_results(results, BenchInput{});
}

std::string html_from_results(const results::Results& results, const BenchInput& bench) {
  const ResultsView view = html::view_results(results);
  const results::Summary& summary = results.summary;
  const std::string performance = html::render_performance(view);
  const std::string scorecard = html::render_scorecard(view);
  const std::string benchmarks =
      bench.summary != nullptr ? html::render_benchmarks(view, *bench.summary, bench.source) : "";

  std::string out;
  out.reserve(1 << 20);
  fmt::format_to(std::back_inserter(out),
                 "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                 "<meta http-equiv=\"Content-Security-Policy\" content=\"{}\">\n"
                 "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                 "<title>casebook: {} passed, {} failed, {} skipped</title>\n"
                 "<style id=\"cb-style\">\n{}</style>\n</head>\n<body>\n",
                 kPolicy, summary.passed, summary.failed, summary.skipped,
                 asset(html::assets::kReportCss));
  out += navigation(view, !scorecard.empty(), !performance.empty(), !benchmarks.empty());
  out +=
      "<main>\n<p class=\"focus-only focus-bar\">Showing one case. <a href=\"#overview\">Show the "
      "whole "
      "report</a></p>\n";
  out += html::render_overview(view);
  out += html::render_matrix(view);
  out += scorecard;
  out += "<div class=\"cases\">\n";
  for (const CaseView& c : view.cases) out += html::render_case(view, c);
  out += "</div>\n";
  out += performance;
  out += benchmarks;
  out += "</main>\n";
  out += "<script id=\"cb-script\">\n";
  out += asset(html::assets::kReportJs);
  out += "</script>\n</body>\n</html>\n";
  return out;
}

}  // namespace casebook::reports
