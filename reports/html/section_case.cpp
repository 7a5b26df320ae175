// section_case.cpp - one case's section: what was expected and seen, the evidence, the fix,
// the code side by side, and the full README.
//
// The order follows the reader's questions: did it behave (verdict table), what exactly went
// wrong (evidence, linked into the code), why the fix is clean (the README's "The fix"), then
// the whole story for whoever wants it.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "html_text.hpp"
#include "markdown.hpp"
#include "sections.hpp"
#include "writing/suppressions.hpp"
#include "writing/verdict_words.hpp"

namespace casebook::reports::html {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& ch : out) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return out;
}

// README links: another case's README becomes a jump to its section, the case's own sources
// a jump to the side-by-side view, web links stay; other relative paths mean nothing here.
MarkdownOptions readme_options(const ResultsView& view, const CaseView& c) {
  MarkdownOptions options;
  options.heading_offset = 2;
  options.resolve_link = [&view, &c](std::string_view url) -> std::string {
    if (url.starts_with("http://") || url.starts_with("https://") || url.starts_with("#")) {
      return std::string(url);
    }
    std::string_view path = url.substr(0, url.find('#'));
    if (path.ends_with("/README.md")) {
      path.remove_suffix(std::string_view("/README.md").size());
      const std::string_view name =
          path.substr(path.rfind('/') == std::string_view::npos ? 0 : path.rfind('/') + 1);
      const bool known = std::any_of(view.cases.begin(), view.cases.end(),
                                     [&](const CaseView& other) { return other.name == name; });
      if (known) return "#" + case_anchor(name);
    }
    if (path == "broken.cpp" || path == "fixed.cpp" || path == "./broken.cpp" ||
        path == "./fixed.cpp") {
      return "#src-" + id_part(c.name);
    }
    return {};
  };
  return options;
}

std::string expectation_text(const model::Verdict& verdict) {
  const model::Expected& expected = verdict.expected;
  const std::string& want = expected.verdict;
  if (want == "skipped") return "declared";  // the reason is the verdict's own, shown below
  if (want == "false-positive") return "expects " + expected_words(expected) + " (reason below)";
  if ((want == "detected" || want == "may-find") && !expected.kinds.empty()) {
    std::string kinds;
    for (const std::string& k : expected.kinds) {
      if (!kinds.empty()) kinds += " or ";
      kinds += k;
    }
    if (kinds == "*") kinds = "any finding";  // a labelled positive program
    return want == "may-find" ? "may find " + kinds + ": a chance symptom, a pass either way"
                              : "expects " + kinds;
  }
  return want.empty() ? std::string()
                      : "expects " + want + (expected.declared ? "" : " (implicit)");
}

// Where a broken verdict's findings landed against the marked bug lines, or "".
std::string line_level_text(const model::Verdict& v) {
  if (!v.line_level) return {};
  const model::LineLevel& level = *v.line_level;
  if (level.hit) return "line level: on a marked bug line (" + level.at + ")";
  if (level.located) return "line level: off the marked bug lines (" + level.at + ")";
  return {};
}

std::string verdict_cell(const CaseView& c, const model::Verdict* v, std::string_view variant,
                         std::string_view detector, bool show_rates) {
  if (v == nullptr) return "<td class=\"vcell none\"><span class=\"muted\">not run</span></td>";
  std::string rate;
  const Rate r = manifestation(*v);
  if ((show_rates || expects_may_find(*v)) && r.trials > 0) {
    rate = fmt::format(
        " <span class=\"rate\" title=\"trials whose findings include an expected kind\">{}/{} "
        "trials</span>",
        r.hits, r.trials);
  } else if (r.trials > 1) {
    rate = fmt::format(" <span class=\"rate\">{} trials</span>", r.trials);
  }
  const std::string line_level = line_level_text(*v);
  // A clean verdict may be clean because a suppression matched: say which, and how often.
  const std::string suppressed = suppressed_line(*v);
  return fmt::format(
      "<td class=\"vcell{}\" id=\"{}\">{}{} <span class=\"expect\">{}</span><div "
      "class=\"reason\">{}</div>{}{}</td>",
      v->passed ? "" : " failed", verdict_anchor(c.name, variant, detector),
      verdict_badge(display_verdict(*v)), rate, escape(expectation_text(*v)), escape(v->reason),
      line_level.empty() ? "" : "<div class=\"line-level\">" + escape(line_level) + "</div>",
      suppressed.empty() ? "" : "<div class=\"suppressed\">" + escape(suppressed) + "</div>");
}

std::string verdict_table(const ResultsView& view, const CaseView& c) {
  const bool show_rates = view.results->run.repeat > 1;
  const bool single_program = c.single_program();
  const char* first = single_program ? "program" : "broken";
  std::string out = fmt::format(
      "<table class=\"verdicts\"><thead><tr><th>detector</th><th>{}</th><th>{}</th></tr>"
      "</thead><tbody>\n",
      first, single_program ? "" : "fixed");
  for (const std::string& d : view.detectors) {
    const model::Verdict* broken = c.find(first, d);
    const model::Verdict* fixed = c.find("fixed", d);
    if (broken == nullptr && fixed == nullptr) continue;
    out += "<tr><th>" + escape(d) + "</th>" + verdict_cell(c, broken, first, d, show_rates) +
           verdict_cell(c, fixed, "fixed", d, show_rates) + "</tr>\n";
  }
  return out + "</tbody></table>\n";
}

}  // namespace

std::string render_case(const ResultsView& view, const CaseView& c) {
  std::string out = fmt::format(
      "<section class=\"case\" id=\"{}\" data-case=\"{}\" data-category=\"{}\">\n<header "
      "class=\"case-head\">"
      "<h2><a href=\"#{}\">{}</a></h2><span class=\"cat\">{}</span>{}"
      "<a class=\"focus-link\" href=\"#focus:{}\">show only this case</a></header>\n",
      case_anchor(c.name), escape(c.name), escape(c.category), case_anchor(c.name), escape(c.name),
      escape(c.category),
      c.failed == 0
          ? fmt::format("<span class=\"status pass\">{} expectations met</span>", c.passed)
          : fmt::format("<span class=\"status fail\">{} failed</span>", c.failed),
      id_part(c.name));

  const std::string* readme = c.file_text("README.md");
  const MarkdownOptions options = readme_options(view, c);
  std::vector<MarkdownSection> sections;
  if (readme != nullptr) sections = split_sections(*readme);
  if (!sections.empty()) {
    // The preamble without its "# name" title: one or two sentences that say what breaks.
    std::string lead = sections.front().body;
    if (lead.starts_with("# ")) lead = lead.substr(std::min(lead.size(), lead.find('\n') + 1));
    out += "<div class=\"case-lead\">" + markdown_to_html(lead, options) + "</div>\n";
  }
  out += fmt::format(
      "<dl class=\"variants\"><dt>broken</dt><dd>{}</dd><dt>fixed</dt><dd>{}</dd></dl>\n",
      escape(c.broken_title), escape(c.fixed_title));
  out += verdict_table(view, c);

  out += "<h3>Evidence</h3>\n" + render_findings(view, c);
  for (const MarkdownSection& s : sections) {
    if (lower(s.heading).starts_with("the fix") || lower(s.heading) == "fix") {
      out += "<h3>Why the fixed version is clean</h3>\n<div class=\"md fix\">" +
             markdown_to_html(s.body, options) + "</div>\n";
      break;
    }
  }
  out += fmt::format("<h3 id=\"src-{}\">Source: broken beside fixed</h3>\n", id_part(c.name));
  out += render_sources(view, c);
  if (readme != nullptr) {
    out +=
        "<details class=\"readme\"><summary>README.md: the whole story</summary><div "
        "class=\"md\">" +
        markdown_to_html(*readme, options) + "</div></details>\n";
  }
  return out + "</section>\n";
}

}  // namespace casebook::reports::html
