// section_overview.cpp - the report's first screen: counts, failures, environment, run.
#include <fmt/format.h>

#include <map>

#include "html_text.hpp"
#include "sections.hpp"
#include "writing/verdict_words.hpp"

namespace casebook::reports::html {
namespace {

std::string card(std::string_view cls, long value, std::string_view label) {
  return fmt::format(
      "<div class=\"card {}\"><div class=\"card-value\">{}</div>"
      "<div class=\"card-label\">{}</div></div>",
      cls, value, label);
}

void row(std::string& out, std::string_view key, std::string_view value_html) {
  fmt::format_to(std::back_inserter(out), "<tr><th>{}</th><td>{}</td></tr>\n", key, value_html);
}

std::string code(std::string_view text) {
  return text.empty() ? "<span class=\"muted\">-</span>" : "<code>" + escape(text) + "</code>";
}

}  // namespace

std::string render_overview(const ResultsView& view) {
  const model::Results& results = *view.results;
  const model::Summary& summary = results.summary;
  const model::Environment& env = results.environment;
  const model::Run& run = results.run;

  std::string out = "<section id=\"overview\" class=\"overview\">\n";
  const long failed = summary.failed;
  const long infra = summary.infrastructure_errors;
  fmt::format_to(std::back_inserter(out),
                 "<h1>casebook report</h1>\n<p class=\"lead\"><span class=\"status {}\">{}</span> "
                 "{} (variant, detector) pairs over {} cases; the run took {}.</p>\n",
                 failed == 0 ? "pass" : "fail",
                 failed == 0 ? "Every expectation held." : "Some expectations failed.",
                 summary.total, view.cases.size(), escape(format_seconds(run.duration_seconds)));

  out += "<div class=\"cards\">";
  out += card("pass", summary.passed, "passed");
  out += card(failed == 0 ? "zero" : "fail", failed, "failed");
  out += card("skip", summary.skipped, "skipped");
  out += card(infra == 0 ? "zero" : "error", infra, "infrastructure errors");
  out += card("total", summary.total, "pairs in total");
  out += "</div>\n";

  // The verdict mix as one stacked bar: a glance tells detected vs clean vs trouble.
  std::map<std::string, int> counts;
  for (const CaseView& c : view.cases) {
    for (const model::Verdict* v : c.verdicts) ++counts[display_verdict(*v)];
  }
  const double total = static_cast<double>(results.verdicts.size());
  if (total > 0) {
    out += "<div class=\"mix\" role=\"img\" aria-label=\"verdicts\">";
    for (const std::string_view verdict : kVerdictOrder) {
      const auto it = counts.find(std::string(verdict));
      if (it == counts.end()) continue;
      fmt::format_to(
          std::back_inserter(out),
          "<span class=\"mix-part v-{}\" style=\"flex-grow:{}\" title=\"{}: {}\">{} {}</span>",
          id_part(verdict), it->second, verdict, it->second, it->second, verdict);
    }
    out += "</div>\n";
  }

  // Failed expectations first: they are why someone opens the report.
  std::string failures;
  for (const CaseView& c : view.cases) {
    for (const model::Verdict* v : c.verdicts) {
      if (v->passed || v->verdict == "skipped") continue;
      fmt::format_to(
          std::back_inserter(failures),
          "<li><a href=\"#{}\">{} / {} / {}</a> {} <span class=\"expect\">(expected {})</span> "
          "<span class=\"reason\">{}</span>{}</li>\n",
          verdict_anchor(c.name, v->variant, v->detector), escape(c.name), escape(v->variant),
          escape(v->detector), verdict_badge(display_verdict(*v)),
          escape(expected_words(v->expected)), escape(v->reason),
          v->repro.empty() ? "" : copyable_command(v->repro));
    }
  }
  if (!failures.empty()) {
    out +=
        "<div class=\"failures\"><h2>Failed expectations</h2><ul>\n" + failures + "</ul></div>\n";
  }

  out += "<div class=\"facts-grid\">\n<table class=\"kv\"><caption>Environment</caption>\n";
  row(out, "compiler", escape(env.compiler_id + " " + env.compiler_version));
  for (const auto& [name, flags] : env.configurations) {
    row(out, "flags: " + escape(name), code(flags));
  }
  row(out, "kernel", escape(env.kernel.empty() ? "-" : env.kernel));
  row(out, "machine", escape(env.machine.empty() ? "-" : env.machine));
  row(out, "CPUs", std::to_string(env.cpu_count));
  row(out, "commit", code(env.git_commit));
  if (const auto built = model::build_provenance(env)) {
    row(out, "built from",
        (built->commit.empty() ? std::string("this commit") : code(built->commit)) +
            (built->dirty ? " with uncommitted changes" : ""));
  }
  out += "</table>\n<table class=\"kv\"><caption>Run</caption>\n";
  row(out, "tool", escape(results.tool_name + " " + results.tool_version));
  row(out, "started", escape(run.started_at.empty() ? "-" : run.started_at));
  row(out, "duration", escape(format_seconds(run.duration_seconds)));
  row(out, "seed", "<code>" + std::to_string(run.seed) + "</code>");
  row(out, "trials", fmt::format("repeat {}, deflake budget {}", run.repeat, run.deflake));
  row(out, "jobs", std::to_string(run.jobs));
  row(out, "filter", code(run.filter));
  std::string detectors;
  for (const std::string& d : run.detectors) {
    if (!detectors.empty()) detectors += ", ";
    detectors += d;
  }
  row(out, "detectors", escape(detectors.empty() ? "-" : detectors));
  row(out, "command", run.command.empty() ? code("") : copyable_command(run.command));
  out += "</table>\n</div>\n</section>\n";
  return out;
}

}  // namespace casebook::reports::html
