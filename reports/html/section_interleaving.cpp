// section_interleaving.cpp - the model checker's minimal failing interleaving as a per-thread
// timeline (see sections.hpp).
//
// The model detector runs a variant under a controlled scheduler, finds a schedule that fails
// and shrinks it. Its trace is a list of steps (thread, operation, source line, whether the
// scheduler forced a context switch there, whether the access races). Read as a list it hides
// the one thing it shows: who ran when. So each thread gets a column and each step a row, a
// thread switch draws a rule across the table, and preemptions and racy accesses carry a
// symbol and a word besides their colour. A step in the case's own files links to its line in
// the side-by-side source exactly like a stack frame does (class frame-link, report.js).
#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "html_text.hpp"
#include "sections.hpp"

namespace casebook::reports::html {
namespace {

using Step = model::ModelStep;

std::string plural(std::uint64_t n, std::string_view one, std::string_view many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

// "shrunk from 18 steps/1 preemption to 12/1 by <method> in 45 replays", or "".
std::string shrink_text(const model::Exploration& model) {
  if (!model.original || !model.shrink) return {};
  return fmt::format("shrunk from {}/{} to {}/{} by {} in {}",
                     plural(model.original->steps, "step", "steps"),
                     plural(model.original->preemptions, "preemption", "preemptions"),
                     plural(model.steps.value_or(0), "step", "steps"),
                     plural(model.preemptions.value_or(0), "preemption", "preemptions"),
                     model.shrink->method.empty() ? "an unnamed method" : model.shrink->method,
                     plural(model.shrink->replays, "replay", "replays"));
}

std::string facts_html(const model::Exploration& model) {
  std::string out = "<dl class=\"model-facts\">";
  if (model.failure) {
    out += fmt::format("<dt>failure</dt><dd><strong class=\"failure-kind\">{}</strong> {}",
                       escape(model.failure->kind.empty() ? "failure" : model.failure->kind),
                       escape(model.failure->message));
    if (!model.failure->details.empty()) {
      out += "<ul class=\"failure-details\">";
      for (const std::string& d : model.failure->details) out += "<li>" + escape(d) + "</li>";
      out += "</ul>";
    }
    out += "</dd>";
  }
  const std::string schedule = model.schedule.value_or("");
  out += "<dt>schedule</dt><dd>" +
         (schedule.empty()
              ? std::string("<span class=\"muted\">the default order (no forced switch)</span>")
              : "<code>" + escape(schedule) + "</code>") +
         "</dd>";
  if (const std::string shrunk = shrink_text(model); !shrunk.empty()) {
    out += "<dt>shrink</dt><dd>" + escape(shrunk) + "</dd>";
  }
  if (!model.strategy.empty() || !model.summary.empty()) {
    out += fmt::format("<dt>search</dt><dd>{}</dd>",
                       escape(model.summary.empty() ? model.strategy : model.summary));
  }
  return out + "</dl>\n";
}

std::string location_html(const CaseView& c, const Step& s) {
  if (s.file.empty()) return {};
  const std::optional<std::string> own = c.own_file(s.file, s.base);
  if (own && s.line > 0 && c.file_text(*own) != nullptr) {
    const std::string& name = *own;
    const std::string anchor = line_anchor(c.name, name, s.line);
    return fmt::format("<a class=\"frame-link\" href=\"#{0}\" data-line=\"{0}\">{1}:{2}</a>",
                       anchor, escape(name), s.line);
  }
  const auto slash = s.file.rfind('/');
  return fmt::format("<span class=\"loc\" title=\"{}\">{}{}</span>", escape(s.file),
                     escape(slash == std::string::npos ? s.file : s.file.substr(slash + 1)),
                     s.line > 0 ? fmt::format(":{}", s.line) : std::string());
}

std::string step_cell(const CaseView& c, const Step& s) {
  std::string marks;
  if (s.preemption) {
    marks +=
        "<span class=\"mark m-preempt\" title=\"the scheduler switched to this thread here "
        "although the previous one could have gone on\">\u21af preempted</span>";
  }
  if (s.racy) {
    marks +=
        "<span class=\"mark m-racy\" title=\"this access races with another thread's access "
        "to the same location\">\u26a0 racy</span>";
  }
  const std::string where = location_html(c, s);
  return fmt::format("<td class=\"op{}{}\"><span class=\"op-text\">{}</span>{}{}</td>",
                     s.preemption ? " preempt" : "", s.racy ? " racy" : "", escape(s.operation),
                     marks, where.empty() ? "" : " " + where);
}

std::string timeline_html(const CaseView& c, const std::vector<Step>& steps) {
  std::vector<long> threads;
  for (const Step& s : steps) {
    if (std::find(threads.begin(), threads.end(), s.thread) == threads.end())
      threads.push_back(s.thread);
  }
  std::sort(threads.begin(), threads.end());
  std::string out = fmt::format(
      "<div class=\"timeline-wrap\" tabindex=\"0\"><table class=\"timeline\" data-threads=\"{}\" "
      "data-steps=\"{}\"><thead><tr><th scope=\"col\" class=\"step\">step</th>",
      threads.size(), steps.size());
  for (long t : threads) out += fmt::format("<th scope=\"col\">thread {}</th>", t);
  out += "</tr></thead><tbody>\n";
  long previous = -1;
  for (const Step& s : steps) {
    const bool switched = previous >= 0 && s.thread != previous;
    out += fmt::format(
        "<tr class=\"tl-step{}\" data-thread=\"{}\"><th scope=\"row\" class=\"step\"{}>{}</th>",
        switched ? " switch" : "", s.thread,
        switched ? fmt::format(" title=\"switch from thread {}\"", previous) : "", s.step);
    for (long t : threads) out += t == s.thread ? step_cell(c, s) : "<td></td>";
    out += "</tr>\n";
    previous = s.thread;
  }
  return out + "</tbody></table></div>\n";
}

}  // namespace

std::string render_interleaving(const CaseView& c, const model::Trial& trial) {
  if (!trial.outcome || !trial.outcome->model || !trial.outcome->model->trace) return {};
  const model::Exploration& exploration = *trial.outcome->model;
  const std::vector<Step>& steps = *exploration.trace;
  if (steps.empty()) return {};
  long switches = 0;
  for (std::size_t i = 1; i < steps.size(); ++i) switches += steps[i].thread != steps[i - 1].thread;
  std::string out = fmt::format(
      "<div class=\"interleaving\"><h4>Minimal failing interleaving <span class=\"muted\">{}, "
      "{}</span></h4>\n",
      plural(steps.size(), "step", "steps"),
      plural(static_cast<std::uint64_t>(switches), "thread switch", "thread switches"));
  out += facts_html(exploration);
  if (!exploration.replay_command.value_or("").empty()) {
    out += copyable_command(*exploration.replay_command, "replay this schedule:");
  }
  out +=
      "<p class=\"legend\">One column per thread, one row per step, top to bottom. "
      "<span class=\"mark m-preempt\">\u21af preempted</span> the scheduler forced a context "
      "switch; <span class=\"mark m-racy\">\u26a0 racy</span> an access that races; a rule "
      "across the table: another thread runs from there.</p>\n";
  out += timeline_html(c, steps);
  return out + "</div>\n";
}

}  // namespace casebook::reports::html
