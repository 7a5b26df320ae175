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

std::string join(const Json& strings, std::string_view separator) {
  std::string out;
  for (const Json& s : strings) {
    if (!out.empty()) out += separator;
    out += s.is_string() ? s.get<std::string>() : s.dump();
  }
  return out;
}

std::string join(const std::vector<std::string>& strings, std::string_view separator) {
  std::string out;
  for (const std::string& s : strings) {
    if (!out.empty()) out += separator;
    out += s;
  }
  return out;
}

std::string basename(std::string_view path) {
  const auto slash = path.rfind('/');
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

// A thread-creation stack says where a thread came from, not what it did: shown on request.
bool is_creation_stack(const model::Stack& stack) {
  return stack.title.starts_with("Thread ") && stack.title.find(" created by") != std::string::npos;
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

std::string frame_html(const ResultsView& view, const CaseView& c, const model::Frame& frame) {
  const std::string& file = frame.file;
  const long line = frame.line;
  const long column = frame.column;
  const std::string& function = frame.function;
  const bool ours = view.ours(frame);
  std::string where;
  const std::optional<std::string> own = c.own_file(frame.file, frame.base);
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
    where = fmt::format("<span class=\"loc\">{}</span>", escape(frame.module));
  }
  return fmt::format(
      "<li class=\"frame {}\" title=\"{}\"><span class=\"idx\">#{}</span>"
      "<span class=\"fn\">{}</span>{}</li>",
      ours ? "ours" : "ext",
      escape(function + (file.empty() ? "" : "  " + file) +
             (line > 0 ? fmt::format(":{}:{}", line, column) : "")),
      frame.index, escape(display_name(function)), where);
}

std::string stack_html(const ResultsView& view, const CaseView& c, const model::Stack& stack) {
  std::string title = stack.title;
  if (title.ends_with(":")) title.pop_back();
  std::string out =
      fmt::format("<div class=\"stack\"><h5>{}</h5><ol class=\"frames\">", escape(title));
  int folded = 0;  // library frames in the current run, announced by one placeholder line
  const std::vector<model::Frame>& frames = stack.frames;
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
std::string stacks_html(const ResultsView& view, const CaseView& c,
                        const std::vector<model::Stack>& stacks_of_finding) {
  std::vector<std::pair<std::string, std::vector<const model::Stack*>>> columns;
  std::vector<const model::Stack*> creation;
  for (const model::Stack& stack : stacks_of_finding) {
    if (is_creation_stack(stack)) {
      creation.push_back(&stack);
      continue;
    }
    const std::string& thread = stack.thread;
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
    for (const model::Stack* s : stacks) out += stack_html(view, c, *s);
    out += "</div>";
  }
  out += "</div>\n";
  if (!creation.empty()) {
    out += fmt::format(
        "<details class=\"more-stacks\"><summary>{} thread-creation stack{}</summary><div "
        "class=\"stacks\">",
        creation.size(), creation.size() == 1 ? "" : "s");
    for (const model::Stack* s : creation) {
      out += "<div class=\"thread-col\">" + stack_html(view, c, *s) + "</div>";
    }
    out += "</div></details>\n";
  }
  return out;
}

// What the variant itself reported (its invariant), for findings that have no stacks.
std::string outcome_html(const model::Trial& trial) {
  if (!trial.outcome) return {};
  const model::Outcome& o = *trial.outcome;
  std::string out = fmt::format(
      "<dl class=\"outcome\"><dt>invariant</dt><dd><code>{}</code> {}</dd>"
      "<dt>observed</dt><dd>{}</dd><dt>expected</dt><dd>{}</dd>",
      escape(o.invariant), o.holds ? "held" : "<strong>broken</strong>", escape(o.observed),
      escape(o.expected));
  if (!o.note.empty()) out += "<dt>note</dt><dd>" + escape(o.note) + "</dd>";
  if (o.shares && !o.shares->empty()) {
    // As JSON writes the numbers, the way results.json shows them.
    out += "<dt>work shares</dt><dd>" + escape(join(Json(*o.shares), ", ")) + "</dd>";
  }
  if (o.waits && !o.waits->empty()) {
    std::vector<std::string> ms;
    for (const double w : *o.waits) ms.push_back(fmt::format("{:.3f}", w * 1000));
    out += "<dt>longest waits (ms)</dt><dd>" + escape(fmt::format("{}", fmt::join(ms, ", "))) +
           "</dd>";
  }
  return out + "</dl>";
}

std::string trial_line(const model::Verdict& verdict, const model::Trial& trial) {
  return fmt::format(
      "trial {} of {}, seed {}{}, {}, {}", trial.index + 1, verdict.trials.size(), trial.seed,
      trial.noise_level > 0
          ? fmt::format(", a retry with schedule noise at level {}", trial.noise_level)
          : std::string(),
      escape(trial.status), escape(format_seconds(trial.duration_seconds)));
}

std::string finding_html(const ResultsView& view, const CaseView& c, const model::Verdict& verdict,
                         const model::Trial& trial, const model::Finding& finding, std::size_t n) {
  const std::string& variant = verdict.variant;
  const std::string& detector = verdict.detector;
  // The model's interleaving (a trial outcome with a "model" trace) is also written as one
  // pseudo-stack of "thread N: op" frames; the timeline shows the same steps by thread, so it
  // takes the stack's place.
  const std::string interleaving = n == 0 ? render_interleaving(c, trial) : "";
  // A blocked model execution names where each thread waits (the model detector's "thread N
  // blocked in ..." stacks): calls that never ran, so not in the timeline; shown beside it.
  std::vector<model::Stack> blocked;
  if (!interleaving.empty()) {
    for (const model::Stack& stack : finding.stacks) {
      if (stack.title.find(" blocked in ") != std::string::npos) blocked.push_back(stack);
    }
  }
  const std::string stacks = interleaving.empty() ? stacks_html(view, c, finding.stacks)
                             : blocked.empty()    ? ""
                                                  : stacks_html(view, c, blocked);
  std::string out = fmt::format(
      "<div class=\"finding\" id=\"f-{}-{}-{}-{}\">\n<div class=\"finding-head\">{} "
      "<span class=\"kind\">{}</span> <span class=\"who\">{} / {}</span> "
      "<span class=\"trial\">{}</span>{}</div>\n"
      "<p class=\"summary\">{}</p>\n",
      id_part(c.name), id_part(variant), id_part(detector), n,
      verdict_badge(display_verdict(verdict)), escape(finding.kind), escape(variant),
      escape(detector), trial_line(verdict, trial),
      // Only stacks have library frames to fold.
      stacks.empty() ? ""
                     : "<label class=\"ext-toggle\"><input type=\"checkbox\" class=\"show-ext\"> "
                       "library frames</label>",
      escape(finding.summary));
  std::string facts;
  if (!finding.location.empty()) {
    facts += "<dt>location</dt><dd>" + escape(finding.location) + "</dd>";
  }
  if (!finding.mutexes.empty()) {
    facts += "<dt>mutexes</dt><dd>" + escape(join(finding.mutexes, ", ")) + "</dd>";
  }
  if (!finding.lock_cycle.empty()) {
    facts += "<dt>lock cycle</dt><dd>" + escape(join(finding.lock_cycle, " \u2192 ")) + "</dd>";
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
    if (is_comparison(trial.outcome))
      out += "<p class=\"see\">Rounds and ratio: see <a href=\"#performance\">Performance</a>.</p>";
  }
  if (!finding.raw.empty()) {
    out += "<details class=\"raw\"><summary>report as printed</summary><pre>" +
           escape(finding.raw) + "</pre></details>\n";
  }
  if (!verdict.repro.empty()) out += copyable_command(verdict.repro, "rerun this verdict:");
  return out + "</div>\n";
}

// A failed or erroneous verdict with no finding to show: why, and the trial's own words.
std::string no_finding_html(const model::Verdict& verdict, const model::Trial* trial) {
  std::string out = fmt::format(
      "<div class=\"finding nothing\"><div class=\"finding-head\">{} "
      "<span class=\"who\">{} / {}</span>{}</div>\n<p class=\"summary\">{}</p>\n",
      verdict_badge(display_verdict(verdict)), escape(verdict.variant), escape(verdict.detector),
      trial ? " <span class=\"trial\">" + trial_line(verdict, *trial) + "</span>" : "",
      escape(verdict.reason));
  if (trial != nullptr) {
    for (const auto& [key, text] :
         {std::pair<const char*, const std::string*>{"anomaly", &trial->anomaly},
          {"infra_error", &trial->infra_error}}) {
      if (!text->empty()) out += fmt::format("<p class=\"note\">{}: {}</p>", key, escape(*text));
    }
    out += outcome_html(*trial);
    if (!trial->stderr_tail.empty()) {
      out += "<details class=\"raw\"><summary>stderr (tail)</summary><pre>" +
             escape(trial->stderr_tail) + "</pre></details>";
    }
  }
  if (!verdict.repro.empty()) out += copyable_command(verdict.repro, "rerun this verdict:");
  return out + "</div>\n";
}

}  // namespace

std::string render_findings(const ResultsView& view, const CaseView& c) {
  std::string out;
  for (const char* variant : {"broken", "program", "fixed"}) {
    for (const std::string& detector : view.detectors) {
      const model::Verdict* v = c.find(variant, detector);
      if (v == nullptr) continue;
      const model::Trial* trial = deciding_trial(*v);
      const std::string& verdict = v->verdict;
      static const std::vector<model::Finding> none;
      const std::vector<model::Finding>& findings = trial ? trial->findings : none;
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
