// section_source.cpp - broken.cpp beside fixed.cpp, highlighted, with differing lines marked.
//
// Rows come from the LCS line diff, so a line and its rewrite sit side by side and an added
// lock is an added row, not a shifted file. Each line cell has the id a stack frame links to
// (line_anchor), and lines named by a finding's frames carry a marker, so the implicated lines
// stand out before anyone clicks. Line numbers come from CSS (data-ln), so copied code has none.
#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "cpp_highlight.hpp"
#include "html_text.hpp"
#include "line_diff.hpp"
#include "sections.hpp"

namespace casebook::reports::html {
namespace {

using Marks = std::map<std::string, std::vector<std::string>>;  // line anchor -> who names it

constexpr std::string_view kBugLabel = "casebook-bug: the line the case marks as its bug";

// Every frame of every shown finding that lands in one of the case's files, and the lines the
// broken variant marks as its bug (its verdicts' line_level.marked_lines).
Marks evidence_marks(const CaseView& c) {
  Marks marks;
  for (const model::Verdict* v : c.verdicts) {
    if (!v->line_level) continue;
    for (const int line : v->line_level->marked_lines) {
      auto& who = marks[line_anchor(c.name, "broken.cpp", line)];
      if (std::find(who.begin(), who.end(), kBugLabel) == who.end()) {
        who.insert(who.begin(), std::string(kBugLabel));
      }
    }
  }
  for (const model::Verdict* v : c.verdicts) {
    const model::Trial* trial = deciding_trial(*v);
    if (trial == nullptr) continue;
    for (const model::Finding& finding : trial->findings) {
      for (const model::Stack& stack : finding.stacks) {
        for (const model::Frame& frame : stack.frames) {
          const std::optional<std::string> own = c.own_file(frame.file, frame.base);
          if (!own || frame.line <= 0) continue;
          auto& who = marks[line_anchor(c.name, *own, frame.line)];
          std::string label = v->detector + " " + finding.kind + ": " + stack.title;
          if (label.ends_with(":")) label.pop_back();
          if (std::find(who.begin(), who.end(), label) == who.end()) who.push_back(label);
        }
      }
    }
  }
  return marks;
}

// The line-number cell; `line` is 0-based, -1 for the empty side of an added/removed row.
std::string number_cell(const CaseView& c, std::string_view file, int line, const Marks& marks) {
  if (line < 0) return "<td class=\"ln empty\"></td>";
  const std::string anchor = line_anchor(c.name, file, line + 1);
  const auto it = marks.find(anchor);
  if (it == marks.end())
    return fmt::format("<td class=\"ln\" id=\"{}\" data-ln=\"{}\"></td>", anchor, line + 1);
  std::string who;
  for (const auto& w : it->second) who += (who.empty() ? "" : "\n") + w;
  const bool bug = it->second.front() == kBugLabel;
  const bool evidence = it->second.size() > (bug ? 1u : 0u);
  return fmt::format("<td class=\"ln{}{}\" id=\"{}\" data-ln=\"{}\" title=\"{}\"></td>",
                     evidence ? " hit" : "", bug ? " bug" : "", anchor, line + 1, escape(who));
}

std::string code_cell(const std::vector<std::string>& lines, int line, std::string_view change) {
  if (line < 0) return "<td class=\"code empty\"></td>";
  return fmt::format("<td class=\"code{}\">{}</td>", change, lines[static_cast<std::size_t>(line)]);
}

std::string side_by_side(const CaseView& c, const std::string& broken, const std::string& fixed,
                         const Marks& marks) {
  const auto left = highlight_cpp(broken);
  const auto right = highlight_cpp(fixed);
  const auto rows = diff_lines(split_lines(broken), split_lines(fixed));
  int changed = 0;
  for (const DiffRow& r : rows) changed += r.op != DiffOp::same;
  std::string out = fmt::format(
      "<div class=\"sbs-wrap\"><table class=\"sbs\"><colgroup><col class=\"c-ln\"><col "
      "class=\"c-code\">"
      "<col class=\"c-ln\"><col class=\"c-code\"></colgroup>\n<thead><tr><th "
      "colspan=\"2\">broken.cpp "
      "<span class=\"muted\">{} lines</span></th><th colspan=\"2\">fixed.cpp <span "
      "class=\"muted\">{} lines; "
      "{} rows differ</span></th></tr></thead>\n<tbody>\n",
      left.size(), right.size(), changed);
  for (const DiffRow& r : rows) {
    const char* op = r.op == DiffOp::same      ? "same"
                     : r.op == DiffOp::changed ? "changed"
                     : r.op == DiffOp::removed ? "removed"
                                               : "added";
    const bool differs = r.op != DiffOp::same;
    out += fmt::format(
        "<tr class=\"d-{}\">{}{}{}{}</tr>\n", op, number_cell(c, "broken.cpp", r.left, marks),
        code_cell(left, r.left, differs ? " del" : ""), number_cell(c, "fixed.cpp", r.right, marks),
        code_cell(right, r.right, differs ? " add" : ""));
  }
  return out + "</tbody></table></div>\n";
}

std::string listing(const CaseView& c, const std::string& name, const std::string& text,
                    const Marks& marks) {
  const auto lines = highlight_cpp(text);
  std::string out = fmt::format(
      "<div class=\"listing-wrap\"><table class=\"listing\"><colgroup><col class=\"c-ln\"><col "
      "class=\"c-code\"></colgroup>"
      "<thead><tr><th colspan=\"2\">{} <span class=\"muted\">{} "
      "lines</span></th></tr></thead>\n<tbody>\n",
      escape(name), lines.size());
  for (int i = 0; i < static_cast<int>(lines.size()); ++i) {
    out += "<tr>" + number_cell(c, name, i, marks) + code_cell(lines, i, "") + "</tr>\n";
  }
  return out + "</tbody></table></div>\n";
}

bool is_source(std::string_view name) {
  for (std::string_view ext : {".cpp", ".cc", ".cxx", ".hpp", ".hh", ".h", ".inc"}) {
    if (name.ends_with(ext)) return true;
  }
  return false;
}

}  // namespace

std::string render_sources(const ResultsView& /*view*/, const CaseView& c) {
  if (c.files == nullptr) {
    return "<p class=\"muted\">This results file does not carry the case's source text.</p>\n";
  }
  const Marks marks = evidence_marks(c);
  std::string out;
  const std::string* broken = c.file_text("broken.cpp");
  const std::string* fixed = c.file_text("fixed.cpp");
  if (broken != nullptr && fixed != nullptr) {
    out += side_by_side(c, *broken, *fixed, marks);
  } else {
    if (broken != nullptr) out += listing(c, "broken.cpp", *broken, marks);
    if (fixed != nullptr) out += listing(c, "fixed.cpp", *fixed, marks);
  }
  for (const auto& [name, text] : *c.files) {
    if (name == "broken.cpp" || name == "fixed.cpp" || !is_source(name)) continue;
    out += listing(c, name, text, marks);
  }
  return out;
}

}  // namespace casebook::reports::html
