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
#include <vector>

#include "html_text.hpp"
#include "sections.hpp"

namespace casebook::reports::html {
namespace {

struct Step {
  long step = 0;
  long thread = 0;
  std::string operation;
  std::string file;
  std::string base;  // the root file is relative to, off the repository (located_paths.hpp)
  long line = 0;
  bool preemption = false;
  bool racy = false;
};

bool flag(const Json& object, std::string_view key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_boolean() && it->get<bool>();
}

// The trace's steps, or nothing when any step is not what the model writes: a half-drawn
// timeline would claim an interleaving that did not happen.
std::vector<Step> read_trace(const Json& model) {
  const auto trace = model.find("trace");
  if (trace == model.end() || !trace->is_array()) return {};
  std::vector<Step> steps;
  for (const Json& s : *trace) {
    if (!s.is_object()) return {};
    const auto thread = s.find("thread");
    const auto operation = s.find("operation");
    if (thread == s.end() || !thread->is_number_integer() || thread->get<long>() < 0 ||
        operation == s.end() || !operation->is_string()) {
      return {};
    }
    Step step;
    step.step = integer(s, "step", static_cast<long>(steps.size()));
    step.thread = thread->get<long>();
    step.operation = operation->get<std::string>();
    step.file = str(s, "file");
    step.base = str(s, "base");
    step.line = integer(s, "line");
    step.preemption = flag(s, "preemption");
    step.racy = flag(s, "racy");
    steps.push_back(std::move(step));
  }
  return steps;
}

std::string plural(long n, std::string_view one, std::string_view many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

// "shrunk from 18 steps/1 preemption to 12/1 by <method> in 45 replays", or "".
std::string shrink_text(const Json& model) {
  const auto original = model.find("original");
  const auto shrink = model.find("shrink");
  if (original == model.end() || !original->is_object() || shrink == model.end() ||
      !shrink->is_object()) {
    return {};
  }
  return fmt::format("shrunk from {}/{} to {}/{} by {} in {}",
                     plural(integer(*original, "steps"), "step", "steps"),
                     plural(integer(*original, "preemptions"), "preemption", "preemptions"),
                     plural(integer(model, "steps"), "step", "steps"),
                     plural(integer(model, "preemptions"), "preemption", "preemptions"),
                     str(*shrink, "method", "an unnamed method"),
                     plural(integer(*shrink, "replays"), "replay", "replays"));
}

std::string facts_html(const Json& model) {
  std::string out = "<dl class=\"model-facts\">";
  if (const auto failure = model.find("failure"); failure != model.end() && failure->is_object()) {
    out += fmt::format("<dt>failure</dt><dd><strong class=\"failure-kind\">{}</strong> {}",
                       escape(str(*failure, "kind", "failure")), escape(str(*failure, "message")));
    const auto details = failure->find("details");
    if (details != failure->end() && details->is_array() && !details->empty()) {
      out += "<ul class=\"failure-details\">";
      for (const Json& d : *details) {
        if (d.is_string()) out += "<li>" + escape(d.get<std::string>()) + "</li>";
      }
      out += "</ul>";
    }
    out += "</dd>";
  }
  const std::string schedule = str(model, "schedule");
  out += "<dt>schedule</dt><dd>" +
         (schedule.empty()
              ? std::string("<span class=\"muted\">the default order (no forced switch)</span>")
              : "<code>" + escape(schedule) + "</code>") +
         "</dd>";
  if (const std::string shrunk = shrink_text(model); !shrunk.empty()) {
    out += "<dt>shrink</dt><dd>" + escape(shrunk) + "</dd>";
  }
  if (!str(model, "strategy").empty() || !str(model, "summary").empty()) {
    out += fmt::format("<dt>search</dt><dd>{}</dd>",
                       escape(str(model, "summary", str(model, "strategy"))));
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
  // The model checker's own document, read tolerantly: it is the model library's format.
  if (!trial.outcome || !trial.outcome->model.is_object()) return {};
  const Json* model = &trial.outcome->model;
  const std::vector<Step> steps = read_trace(*model);
  if (steps.empty()) return {};
  long switches = 0;
  for (std::size_t i = 1; i < steps.size(); ++i) switches += steps[i].thread != steps[i - 1].thread;
  std::string out = fmt::format(
      "<div class=\"interleaving\"><h4>Minimal failing interleaving <span class=\"muted\">{}, "
      "{}</span></h4>\n",
      plural(static_cast<long>(steps.size()), "step", "steps"),
      plural(switches, "thread switch", "thread switches"));
  out += facts_html(*model);
  if (!str(*model, "replay_command").empty()) {
    out += copyable_command(str(*model, "replay_command"), "replay this schedule:");
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
