// results_merge_fuzz.cpp - libFuzzer target: a whole results.json read through its model
// (results/results_model.hpp) and merged (merge/merge_results.hpp), as `casebook report` does
// with the files of shards and other machines. Any text is either not JSON, or refused with a
// FieldError naming a field, or read; what is read writes out and reads back the same, and a
// merge of a file with itself equals the merge of the file alone: the same verdicts, summary,
// cases and scorecard, every pair of the second copy noted as a duplicate and none a conflict.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "fuzz_checks.hpp"
#include "merge/merge_results.hpp"
#include "results/results_model.hpp"

namespace {

using casebook::fuzz::check;
using nlohmann::json;
namespace results = casebook::results;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const json input = json::parse(data, data + size, nullptr, /*allow_exceptions=*/false);
  if (input.is_discarded()) return 0;
  results::Results read;
  try {
    read = results::read_results(input);
  } catch (const casebook::FieldError& e) {
    const std::string what = e.what();
    check(what.find(": ") != std::string::npos && what.find(": ") > 0,
          "a refusal that does not name the field: " + what);
    return 0;
  }
  const json written = results::to_json(read);
  try {
    check(results::to_json(results::read_results(written)) == written,
          "a results file read back writes out differently");
  } catch (const casebook::FieldError& e) {
    casebook::fuzz::fail(std::string("what the model wrote does not read back: ") + e.what());
  }

  using casebook::reports::LoadedResults;
  const auto alone = casebook::reports::merge_results({LoadedResults{"a.json", read}});
  const auto twice = casebook::reports::merge_results(
      {LoadedResults{"a.json", read}, LoadedResults{"b.json", read}});
  check(twice.conflicts == 0, "a file merged with itself has conflicts");
  check(twice.results.verdicts == alone.results.verdicts,
        "a file merged with itself has other verdicts than the file alone");
  check(twice.results.summary == alone.results.summary,
        "a file merged with itself is summarised differently");
  check(twice.results.cases == alone.results.cases, "a file merged with itself has other cases");
  check(twice.results.scorecard == alone.results.scorecard,
        "a file merged with itself has another scorecard");
  check(twice.notes.size() == alone.notes.size() + alone.results.verdicts.size(),
        "a file merged with itself does not note each pair of the copy as a duplicate");
  check(alone.results.summary == results::summarize(alone.results.verdicts),
        "the merged summary is not the summary of the merged verdicts");
  return 0;
}
