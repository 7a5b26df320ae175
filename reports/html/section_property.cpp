// section_property.cpp - a property-detector verdict's counterexample (see sections.hpp).
//
// The property runner generates inputs (threads, iterations, ...), runs the variant on each a
// few times and, when one fails, shrinks it to the smallest input that still fails. What a
// reader wants from that is the shrunk input, what went wrong with it, and a command that
// replays exactly that input: the three come first, the search's counts after them. A
// property that held gets one small line, so "ran and found nothing" is not mistaken for
// "did not run".
#include <fmt/format.h>

#include "html_text.hpp"
#include "sections.hpp"

namespace casebook::reports::html {
namespace {

// A parameter value as written on a command line: strings bare, numbers as numbers.
std::string value_text(const Json& value) {
  return value.is_string() ? value.get<std::string>() : value.dump();
}

// "<n>" for a count present as a number, else "?".
std::string count(const Json& property, std::string_view key) {
  const auto it = property.find(key);
  return it != property.end() && it->is_number_integer() ? it->dump() : std::string("?");
}

std::string params_table(const Json& property) {
  const auto params = property.find("counterexample_params");
  if (params == property.end() || !params->is_object() || params->empty()) {
    // Older files carry only the one-line form "threads=3 iterations=1045".
    const std::string line = str(property, "counterexample");
    return line.empty() ? std::string()
                        : "<p class=\"cx-line\"><code>" + escape(line) + "</code></p>\n";
  }
  std::string rows;
  for (const auto& [name, value] : params->items()) {
    rows += fmt::format("<tr><th scope=\"row\">{}</th><td>{}</td></tr>", escape(name),
                        escape(value_text(value)));
  }
  return "<table class=\"cx-params\"><caption>shrunk input</caption><thead><tr><th "
         "scope=\"col\">parameter</th><th scope=\"col\">value</th></tr></thead><tbody>" +
         rows + "</tbody></table>\n";
}

}  // namespace

std::string render_property(const model::Verdict& verdict) {
  if (!verdict.property.is_object()) return {};
  const Json& p = verdict.property;
  const auto seed = p.find("seed");
  const std::string seed_text =
      seed != p.end() && (seed->is_number() || seed->is_string()) ? value_text(*seed) : "?";
  const auto params = p.find("counterexample_params");
  const bool failed = (params != p.end() && params->is_object() && !params->empty()) ||
                      !str(p, "counterexample").empty() || !str(p, "failure").empty();
  if (!failed) {
    // Held, when the record says how many inputs it tried; else there is nothing to report.
    if (count(p, "tests_run") == "?") return {};
    return fmt::format(
        "<p class=\"property-pass\">{} / property: held for {} of {} generated inputs, no "
        "counterexample (seed {}, {} attempts per input).</p>\n",
        escape(verdict.variant), count(p, "tests_run"), count(p, "tests_wanted"), escape(seed_text),
        count(p, "attempts_per_input"));
  }
  std::string out = fmt::format(
      "<div class=\"counterexample\" id=\"cx-{}-{}\"><h4>Property counterexample</h4>\n",
      id_part(verdict.case_name), id_part(verdict.variant));
  out += params_table(p);
  out += "<dl class=\"cx-facts\">";
  if (!str(p, "failure").empty()) {
    out += "<dt>failure</dt><dd class=\"cx-failure\">" + escape(str(p, "failure")) + "</dd>";
  }
  out += fmt::format(
      "<dt>tests</dt><dd>{} run of {} wanted</dd><dt>shrinks</dt><dd>{}</dd>"
      "<dt>attempts per input</dt><dd>{}</dd><dt>seed</dt><dd>{}</dd>",
      count(p, "tests_run"), count(p, "tests_wanted"), count(p, "shrinks"),
      count(p, "attempts_per_input"), escape(seed_text));
  if (const auto replayed = p.find("replayed");
      replayed != p.end() && replayed->is_boolean() && replayed->get<bool>()) {
    out += "<dt>replayed</dt><dd>yes: this run replayed a recorded counterexample</dd>";
  }
  out += "</dl>\n";
  if (!str(p, "replay_command").empty()) {
    out += copyable_command(str(p, "replay_command"), "replay this input:");
  }
  return out + "</div>\n";
}

}  // namespace casebook::reports::html
