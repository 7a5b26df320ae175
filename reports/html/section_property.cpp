// section_property.cpp - a property-detector verdict's counterexample (see sections.hpp).
//
// The property runner generates inputs (threads, iterations, ...), runs the variant on each a
// few times and, when one fails, shrinks it to the smallest input that still fails. What a
// reader wants from that is the shrunk input, what went wrong with it, and a command that
// replays exactly that input: the three come first, the search's counts after them. A
// property that held gets one small line, so "ran and found nothing" is not mistaken for
// "did not run".
#include <fmt/format.h>

#include <optional>
#include <string>

#include "html_text.hpp"
#include "sections.hpp"

namespace casebook::reports::html {
namespace {

// "<n>" for a count the record holds, else "?" (attempts per input, in older files).
std::string count(std::optional<int> value) {
  return value ? std::to_string(*value) : std::string("?");
}

std::string params_table(const results::PropertyCheck& property) {
  if (!property.counterexample_params || property.counterexample_params->empty()) {
    // Older files carry only the one-line form "threads=3 iterations=1045".
    const std::string line = property.counterexample.value_or("");
    return line.empty() ? std::string()
                        : "<p class=\"cx-line\"><code>" + escape(line) + "</code></p>\n";
  }
  std::string rows;
  for (const auto& [name, value] : *property.counterexample_params) {
    rows += fmt::format("<tr><th scope=\"row\">{}</th><td>{}</td></tr>", escape(name), value);
  }
  return "<table class=\"cx-params\"><caption>shrunk input</caption><thead><tr><th "
         "scope=\"col\">parameter</th><th scope=\"col\">value</th></tr></thead><tbody>" +
         rows + "</tbody></table>\n";
}

}  // namespace

std::string render_property(const model::Verdict& verdict) {
  if (!verdict.property) return {};
  const results::PropertyCheck& p = *verdict.property;
  if (!p.failed()) {
    return fmt::format(
        "<p class=\"property-pass\">{} / property: held for {} of {} generated inputs, no "
        "counterexample (seed {}, {} attempts per input).</p>\n",
        escape(verdict.variant), p.tests_run, p.tests_wanted, p.seed, count(p.attempts_per_input));
  }
  std::string out = fmt::format(
      "<div class=\"counterexample\" id=\"cx-{}-{}\"><h4>Property counterexample</h4>\n",
      id_part(verdict.case_name), id_part(verdict.variant));
  out += params_table(p);
  out += "<dl class=\"cx-facts\">";
  if (!p.failure.value_or("").empty()) {
    out += "<dt>failure</dt><dd class=\"cx-failure\">" + escape(*p.failure) + "</dd>";
  }
  out += fmt::format(
      "<dt>tests</dt><dd>{} run of {} wanted</dd><dt>shrinks</dt><dd>{}</dd>"
      "<dt>attempts per input</dt><dd>{}</dd><dt>seed</dt><dd>{}</dd>",
      p.tests_run, p.tests_wanted, p.shrinks, count(p.attempts_per_input), p.seed);
  if (p.replayed) {
    out += "<dt>replayed</dt><dd>yes: this run replayed a recorded counterexample</dd>";
  }
  out += "</dl>\n";
  if (!p.replay_command.value_or("").empty()) {
    out += copyable_command(*p.replay_command, "replay this input:");
  }
  return out + "</div>\n";
}

}  // namespace casebook::reports::html
