// section_findings.cpp - a case's evidence: what each detector reported, stacks side by side.
//
// The reader's question is "which line raced with which": so the stacks of one finding are
// grouped by thread into columns (the two accesses of a race, the two threads of a lock-order
// cycle, every thread of a hang), frames in our sources stay visible while library frames
// fold away, and each frame in the case's own files links to its line in the source view.
// The model checker's interleaving and the property runner's counterexample have their own
// renderers (section_interleaving.cpp, section_property.cpp), placed here in their finding.
#include <fmt/format.h>

#include <algorithm>

#include "html_text.hpp"
#include "sections.hpp"

namespace casebook::reports::html {
namespace {

constexpr std::size_t kMaxFindingsPerVerdict = 4;

const Json& array_or_empty(const Json& object, std::string_view key) {
  static const Json empty = Json::array();
  const auto it = object.find(key);
  return it != object.end() && it->is_array() ? *it : empty;
}

std::string join(const Json& strings, std::string_view separator) {
  std::string out;
  for (const Json& s : strings) {
    if (!out.empty()) out += separator;
    out += s.is_string() ? s.get<std::string>() : s.dump();
  }
  return out;
}

std::string basename(std::string_view path) {
  const auto slash = path.rfind('/');
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

// A thread-creation stack says where a thread came from, not what it did: shown on request.
bool is_creation_stack(const Json& stack) {
  const std::string title = str(stack, "title");
  return title.starts_with("Thread ") && title.find(" created by") != std::string::npos;
}

// The name as a reader scans it: "(anonymous namespace)::" says nothing in a stack of one
// case's file and pushes the useful part out of the column. The title keeps the full name.
std::string display_name(std::string function) {
  static constexpr std::string_view kAnonymous = "(anonymous namespace)::";
  for (auto at = function.find(kAnonymous); at != std::string::npos;
       at = function.find(kAnonymous, at)) {
    function.erase(at, kAnonymous.size());
  }
  return function;
}

std::string frame_html(const ResultsView& view, const CaseView& c, const Json& frame) {
  const std::string file = str(frame, "file");
  const long line = integer(frame, "line");
  const long column = integer(frame, "column");
  const std::string function = str(frame, "function", "?");
  const bool ours = view.ours(frame);
  std::string where;
  const std::optional<std::string> own = c.own_file(frame);
  if (own && line > 0 && c.file_text(*own) != nullptr) {
    const std::string& name = *own;
    const std::string anchor = line_anchor(c.name, name, line);
    where = fmt::format("<a class=\"frame-link\" href=\"#{0}\" data-line=\"{0}\">{1}:{2}</a>",
                        anchor, escape(name), line);
  } else if (!file.empty()) {
    where = fmt::format("<span class=\"loc\" title=\"{}\">{}{}</span>", escape(file),
                        escape(ours ? file : basename(file)),
                        line > 0 ? fmt::format(":{}", line) : std::string());
  } else {
    where = fmt::format("<span class=\"loc\">{}</span>", escape(str(frame, "module")));
  }
  return fmt::format(
      "<li class=\"frame {}\" title=\"{}\"><span class=\"idx\">#{}</span>"
      "<span class=\"fn\">{}</span>{}</li>",
      ours ? "ours" : "ext",
      escape(function + (file.empty() ? "" : "  " + file) +
             (line > 0 ? fmt::format(":{}:{}", line, column) : "")),
      integer(frame, "index"), escape(display_name(function)), where);
}

std::string stack_html(const ResultsView& view, const CaseView& c, const Json& stack) {
  std::string title = str(stack, "title");
  if (title.ends_with(":")) title.pop_back();
  std::string out =
      fmt::format("<div class=\"stack\"><h5>{}</h5><ol class=\"frames\">", escape(title));
  int folded = 0;  // library frames in the current run, announced by one placeholder line
  const Json& frames = array_or_empty(stack, "frames");
  for (std::size_t i = 0; i < frames.size(); ++i) {
    const bool ours = view.ours(frames[i]);
    if (!ours && folded == 0) {
      std::size_t run = i;
      while (run < frames.size() && !view.ours(frames[run])) ++run;
      folded = static_cast<int>(run - i);
      out += fmt::format("<li class=\"ext-fold\">{} library frame{}</li>", folded,
                         folded == 1 ? "" : "s");
    }
    if (ours) folded = 0;
    out += frame_html(view, c, frames[i]);
    if (!ours) --folded;
  }
  if (frames.empty()) out += "<li class=\"ext-fold\">no frames</li>";
  return out + "</ol></div>";
}

// Primary stacks grouped by thread, one column per thread in order of first appearance.
std::string stacks_html(const ResultsView& view, const CaseView& c, const Json& finding) {
  std::vector<std::pair<std::string, std::vector<const Json*>>> columns;
  std::vector<const Json*> creation;
  for (const Json& stack : array_or_empty(finding, "stacks")) {
    if (is_creation_stack(stack)) {
      creation.push_back(&stack);
      continue;
    }
    const std::string thread = str(stack, "thread");
    auto it = std::find_if(columns.begin(), columns.end(),
                           [&](const auto& col) { return !thread.empty() && col.first == thread; });
    if (it == columns.end()) {
      columns.push_back({thread, {}});
      it = columns.end() - 1;
    }
    it->second.push_back(&stack);
  }
  if (columns.empty() && creation.empty()) return {};
  std::string out = "<div class=\"stacks\">";
  for (const auto& [thread, stacks] : columns) {
    out += "<div class=\"thread-col\">";
    if (!thread.empty()) out += "<div class=\"thread-name\">" + escape(thread) + "</div>";
    for (const Json* s : stacks) out += stack_html(view, c, *s);
    out += "</div>";
  }
  out += "</div>\n";
  if (!creation.empty()) {
    out += fmt::format(
        "<details class=\"more-stacks\"><summary>{} thread-creation stack{}</summary><div "
        "class=\"stacks\">",
        creation.size(), creation.size() == 1 ? "" : "s");
    for (const Json* s : creation)
      out += "<div class=\"thread-col\">" + stack_html(view, c, *s) + "</div>";
    out += "</div></details>\n";
  }
  return out;
}

// What the variant itself reported (its invariant), for findings that have no stacks.
std::string outcome_html(const Json& trial) {
  const auto it = trial.find("outcome");
  if (it == trial.end() || !it->is_object() || !it->contains("observed")) return {};
  const Json& o = *it;
  std::string out = fmt::format(
      "<dl class=\"outcome\"><dt>invariant</dt><dd><code>{}</code> {}</dd>"
      "<dt>observed</dt><dd>{}</dd><dt>expected</dt><dd>{}</dd>",
      escape(str(o, "invariant")), o.value("holds", true) ? "held" : "<strong>broken</strong>",
      escape(str(o, "observed")), escape(str(o, "expected")));
  if (!str(o, "note").empty()) out += "<dt>note</dt><dd>" + escape(str(o, "note")) + "</dd>";
  if (const Json& shares = array_or_empty(o, "shares"); !shares.empty()) {
    out += "<dt>work shares</dt><dd>" + escape(join(shares, ", ")) + "</dd>";
  }
  if (const Json& waits = array_or_empty(o, "waits"); !waits.empty()) {
    std::vector<std::string> ms;
    for (const Json& w : waits)
      ms.push_back(fmt::format("{:.3f}", w.is_number() ? w.get<double>() * 1000 : 0.0));
    out += "<dt>longest waits (ms)</dt><dd>" + escape(fmt::format("{}", fmt::join(ms, ", "))) +
           "</dd>";
  }
  return out + "</dl>";
}

std::string trial_line(const Json& verdict, const Json& trial) {
  const std::size_t trials = array_or_empty(verdict, "trials").size();
  const auto seed = trial.find("seed");
  const long noise = integer(trial, "noise_level");
  return fmt::format(
      "trial {} of {}, seed {}{}, {}, {}", integer(trial, "index") + 1, trials,
      seed != trial.end() ? seed->dump() : "-",
      noise > 0 ? fmt::format(", a retry with schedule noise at level {}", noise) : std::string(),
      escape(str(trial, "status")), escape(format_seconds(number(trial, "duration_seconds", -1))));
}

std::string finding_html(const ResultsView& view, const CaseView& c, const Json& verdict,
                         const Json& trial, const Json& finding, std::size_t n) {
  const std::string variant = str(verdict, "variant");
  const std::string detector = str(verdict, "detector");
  // The model's interleaving is also written as one pseudo-stack of "thread N: op" frames;
  // the timeline shows the same steps by thread, so it takes the stack's place.
  const std::string interleaving =
      detector == "model" && n == 0 ? render_interleaving(c, trial) : "";
  // A blocked model execution names where each thread waits (the model detector's "thread N
  // blocked in ..." stacks): calls that never ran, so not in the timeline; shown beside it.
  Json blocked = Json::object();
  if (!interleaving.empty()) {
    blocked["stacks"] = Json::array();
    for (const Json& stack : array_or_empty(finding, "stacks")) {
      if (str(stack, "title").find(" blocked in ") != std::string::npos) {
        blocked["stacks"].push_back(stack);
      }
    }
  }
  const std::string stacks = interleaving.empty()        ? stacks_html(view, c, finding)
                             : blocked["stacks"].empty() ? ""
                                                         : stacks_html(view, c, blocked);
  std::string out = fmt::format(
      "<div class=\"finding\" id=\"f-{}-{}-{}-{}\">\n<div class=\"finding-head\">{} "
      "<span class=\"kind\">{}</span> <span class=\"who\">{} / {}</span> "
      "<span class=\"trial\">{}</span>{}</div>\n"
      "<p class=\"summary\">{}</p>\n",
      id_part(c.name), id_part(variant), id_part(detector), n,
      verdict_badge(display_verdict(verdict)), escape(str(finding, "kind")), escape(variant),
      escape(detector), trial_line(verdict, trial),
      // Only stacks have library frames to fold.
      stacks.empty() ? ""
                     : "<label class=\"ext-toggle\"><input type=\"checkbox\" class=\"show-ext\"> "
                       "library frames</label>",
      escape(str(finding, "summary")));
  std::string facts;
  if (!str(finding, "location").empty()) {
    facts += "<dt>location</dt><dd>" + escape(str(finding, "location")) + "</dd>";
  }
  if (const Json& m = array_or_empty(finding, "mutexes"); !m.empty()) {
    facts += "<dt>mutexes</dt><dd>" + escape(join(m, ", ")) + "</dd>";
  }
  if (const Json& cycle = array_or_empty(finding, "lock_cycle"); !cycle.empty()) {
    facts += "<dt>lock cycle</dt><dd>" + escape(join(cycle, " \u2192 ")) + "</dd>";
  }
  if (!facts.empty()) out += "<dl class=\"facts\">" + facts + "</dl>\n";
  out += interleaving + stacks;
  // A property's counterexample says more than the outcome's invariant/observed lines.
  const std::string property =
      interleaving.empty() && stacks.empty() && n == 0 ? render_property(verdict) : "";
  if (!property.empty()) {
    out += property;
  } else if (interleaving.empty() && stacks.empty()) {
    out += outcome_html(trial);
    if (detector == "perf")
      out += "<p class=\"see\">Rounds and ratio: see <a href=\"#performance\">Performance</a>.</p>";
  }
  if (!str(finding, "raw").empty()) {
    out += "<details class=\"raw\"><summary>report as printed</summary><pre>" +
           escape(str(finding, "raw")) + "</pre></details>\n";
  }
  if (!str(verdict, "repro").empty()) {
    out += copyable_command(str(verdict, "repro"), "rerun this verdict:");
  }
  return out + "</div>\n";
}

// A failed or erroneous verdict with no finding to show: why, and the trial's own words.
std::string no_finding_html(const Json& verdict, const Json* trial) {
  std::string out = fmt::format(
      "<div class=\"finding nothing\"><div class=\"finding-head\">{} "
      "<span class=\"who\">{} / {}</span>{}</div>\n<p class=\"summary\">{}</p>\n",
      verdict_badge(display_verdict(verdict)), escape(str(verdict, "variant")),
      escape(str(verdict, "detector")),
      trial ? " <span class=\"trial\">" + trial_line(verdict, *trial) + "</span>" : "",
      escape(str(verdict, "reason")));
  if (trial != nullptr) {
    for (const char* key : {"anomaly", "infra_error"}) {
      if (!str(*trial, key).empty())
        out += fmt::format("<p class=\"note\">{}: {}</p>", key, escape(str(*trial, key)));
    }
    out += outcome_html(*trial);
    if (!str(*trial, "stderr_tail").empty()) {
      out += "<details class=\"raw\"><summary>stderr (tail)</summary><pre>" +
             escape(str(*trial, "stderr_tail")) + "</pre></details>";
    }
  }
  if (!str(verdict, "repro").empty()) {
    out += copyable_command(str(verdict, "repro"), "rerun this verdict:");
  }
  return out + "</div>\n";
}

}  // namespace

std::string render_findings(const ResultsView& view, const CaseView& c) {
  std::string out;
  for (const char* variant : {"broken", "program", "fixed"}) {
    for (const std::string& detector : view.detectors) {
      const Json* v = c.find(variant, detector);
      if (v == nullptr) continue;
      const Json* trial = deciding_trial(*v);
      const std::string verdict = str(*v, "verdict");
      const Json& findings = trial ? array_or_empty(*trial, "findings") : array_or_empty(*v, "");
      for (std::size_t i = 0; i < findings.size() && i < kMaxFindingsPerVerdict; ++i) {
        out += finding_html(view, c, *v, *trial, findings[i], i);
      }
      if (findings.size() > kMaxFindingsPerVerdict) {
        out += fmt::format(
            "<p class=\"note\">{} more finding(s) in this trial; see results.json.</p>\n",
            findings.size() - kMaxFindingsPerVerdict);
      }
      if (findings.empty() &&
          (verdict == "missed" || verdict == "error" || verdict == "false-positive")) {
        out += no_finding_html(*v, trial);
      }
      // A property that held, or a counterexample without a finding to hang it on.
      if (findings.empty()) out += render_property(*v);
    }
  }
  if (out.empty()) out = "<p class=\"muted\">No detector reported anything for this case.</p>\n";
  return out;
}

}  // namespace casebook::reports::html
