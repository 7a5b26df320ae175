// results_render_fuzz.cpp - libFuzzer target: a results.json that reads through its model
// (results/results_model.hpp) renders in every writer `casebook report` has: JUnit, SARIF,
// Markdown and the HTML page, given what `casebook report` gives them (the file merged on its
// own: summary and scorecard counted again). The model is the one check a file gets before the
// writers see it, so a writer that throws on (or crashes at) a document the model accepted is a bug
// here: either the model lets through what no writer can draw, or a writer assumes more than the
// schema says. The JUnit output must parse as XML and the SARIF output as JSON.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>
#include <string>

#include "fuzz_checks.hpp"
#include "html/html_writer.hpp"
#include "junit/junit_writer.hpp"
#include "markdown/markdown_writer.hpp"
#include "merge/merge_results.hpp"
#include "results/results_model.hpp"
#include "sarif/sarif_writer.hpp"

namespace {

using casebook::fuzz::check;
using nlohmann::json;
namespace results = casebook::results;
namespace reports = casebook::reports;

template <typename Render>
std::string rendered(const char* writer, Render render) {
  try {
    return render();
  } catch (const std::exception& e) {
    casebook::fuzz::fail(std::string("a results file that reads does not render in the ") + writer +
                         " writer: " + e.what());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const json input = json::parse(data, data + size, nullptr, /*allow_exceptions=*/false);
  if (input.is_discarded()) return 0;
  results::Results read;
  try {
    read = results::read_results(input);
  } catch (const casebook::FieldError&) {
    return 0;  // results_merge_fuzz checks the refusals
  }
  const results::Results shown =
      reports::merge_results({reports::LoadedResults{"results.json", read}}).results;
  const std::string junit = rendered("JUnit", [&] { return reports::junit_from_results(shown); });
  pugi::xml_document xml;
  check(static_cast<bool>(xml.load_string(junit.c_str())), "the JUnit output is not XML");
  const std::string sarif = rendered("SARIF", [&] { return reports::sarif_from_results(shown); });
  check(!json::parse(sarif, nullptr, false).is_discarded(), "the SARIF output is not JSON");
  const std::string md =
      rendered("Markdown", [&] { return reports::markdown_from_results(shown); });
  check(!md.empty(), "the Markdown output is empty");
  const std::string html = rendered("HTML", [&] { return reports::html_from_results(shown); });
  check(html.find("</html>") != std::string::npos, "the HTML page is not complete");
  return 0;
}
