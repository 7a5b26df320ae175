// section_overview.cpp - the report's first screen: counts, failures, environment, run.
#include <fmt/format.h>

#include <map>

#include "common/results_fields.hpp"
#include "common/verdict_words.hpp"
#include "html_text.hpp"
#include "sections.hpp"

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

// The seed is a 64-bit value; json numbers print it exactly, doubles would not.
std::string integer_text(const Json& object, std::string_view key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_number_integer() ? it->dump() : "-";
}

}  // namespace

std::string render_overview(const ResultsView& view) {
  const Json& results = *view.results;
  const Json& summary = results["summary"];
  const Json empty = Json::object();
  const Json& env = results.contains("environment") ? results["environment"] : empty;
  const Json& run = results.contains("run") ? results["run"] : empty;

  std::string out = "<section id=\"overview\" class=\"overview\">\n";
  const long failed = integer(summary, "failed");
  const long infra = integer(summary, "infrastructure_errors");
  fmt::format_to(std::back_inserter(out),
                 "<h1>casebook report</h1>\n<p class=\"lead\"><span class=\"status {}\">{}</span> "
                 "{} (variant, detector) pairs over {} cases; the run took {}.</p>\n",
                 failed == 0 ? "pass" : "fail",
                 failed == 0 ? "Every expectation held." : "Some expectations failed.",
                 integer(summary, "total"), view.cases.size(),
                 escape(format_seconds(number(run, "duration_seconds", -1))));

  out += "<div class=\"cards\">";
  out += card("pass", integer(summary, "passed"), "passed");
  out += card(failed == 0 ? "zero" : "fail", failed, "failed");
  out += card("skip", integer(summary, "skipped"), "skipped");
  out += card(infra == 0 ? "zero" : "error", infra, "infrastructure errors");
  out += card("total", integer(summary, "total"), "pairs in total");
  out += "</div>\n";

  // The verdict mix as one stacked bar: a glance tells detected vs clean vs trouble.
  std::map<std::string, int> counts;
  for (const CaseView& c : view.cases) {
    for (const Json* v : c.verdicts) ++counts[display_verdict(*v)];
  }
  const double total = static_cast<double>(results["verdicts"].size());
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
    for (const Json* v : c.verdicts) {
      if (v->value("passed", true) || str(*v, "verdict") == "skipped") continue;
      fmt::format_to(
          std::back_inserter(failures),
          "<li><a href=\"#{}\">{} / {} / {}</a> {} <span class=\"expect\">(expected {})</span> "
          "<span class=\"reason\">{}</span>{}</li>\n",
          verdict_anchor(c.name, str(*v, "variant"), str(*v, "detector")), escape(c.name),
          escape(str(*v, "variant")), escape(str(*v, "detector")),
          verdict_badge(display_verdict(*v)), escape(expected_words(*v)), escape(str(*v, "reason")),
          str(*v, "repro").empty() ? "" : copyable_command(str(*v, "repro")));
    }
  }
  if (!failures.empty()) {
    out +=
        "<div class=\"failures\"><h2>Failed expectations</h2><ul>\n" + failures + "</ul></div>\n";
  }

  out += "<div class=\"facts-grid\">\n<table class=\"kv\"><caption>Environment</caption>\n";
  const Json& compiler = env.contains("compiler") ? env["compiler"] : empty;
  row(out, "compiler", escape(str(compiler, "id") + " " + str(compiler, "version")));
  if (env.contains("configurations") && env["configurations"].is_object()) {
    for (const auto& [name, flags] : env["configurations"].items()) {
      row(out, "flags: " + escape(name), code(flags.is_string() ? flags.get<std::string>() : ""));
    }
  }
  row(out, "kernel", escape(str(env, "kernel", "-")));
  row(out, "machine", escape(str(env, "machine", "-")));
  row(out, "CPUs", integer_text(env, "cpu_count"));
  row(out, "commit", code(str(env, "git_commit")));
  if (const auto built = build_provenance(env)) {
    row(out, "built from",
        (built->commit.empty() ? std::string("this commit") : code(built->commit)) +
            (built->dirty ? " with uncommitted changes" : ""));
  }
  out += "</table>\n<table class=\"kv\"><caption>Run</caption>\n";
  const Json& tool = results.contains("tool") ? results["tool"] : empty;
  row(out, "tool", escape(str(tool, "name", "casebook") + " " + str(tool, "version")));
  row(out, "started", escape(str(run, "started_at", "-")));
  row(out, "duration", escape(format_seconds(number(run, "duration_seconds", -1))));
  row(out, "seed", "<code>" + integer_text(run, "seed") + "</code>");
  row(out, "trials",
      fmt::format("repeat {}, deflake budget {}", integer_text(run, "repeat"),
                  integer_text(run, "deflake")));
  row(out, "jobs", integer_text(run, "jobs"));
  row(out, "filter", code(str(run, "filter")));
  std::string detectors;
  if (run.contains("detectors") && run["detectors"].is_array()) {
    for (const Json& d : run["detectors"]) {
      if (!detectors.empty()) detectors += ", ";
      detectors += d.is_string() ? d.get<std::string>() : d.dump();
    }
  }
  row(out, "detectors", escape(detectors.empty() ? "-" : detectors));
  row(out, "command",
      str(run, "command").empty() ? code("") : copyable_command(str(run, "command")));
  out += "</table>\n</div>\n</section>\n";
  return out;
}

}  // namespace casebook::reports::html
