// results_reader_fuzz.cpp - libFuzzer target: the verdicts `casebook run --resume` reads back
// from a journal or a results.json written on another machine, by another build, or cut short
// (record/results_reader.hpp). Any text is either not JSON, or refused with a FieldError that
// names a field, or read; and what is read writes out to JSON that reads back and writes out
// the same (one round makes it canonical; a second changes nothing).
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "fuzz_checks.hpp"
#include "record/results_json.hpp"
#include "record/results_reader.hpp"

namespace {

using casebook::fuzz::check;
using nlohmann::json;

// The expectation a verdict's "expected" object describes, so that the reader's own check
// (the file's expectation is the one declared now) can pass and the round trip be tested.
casebook::Expectation expectation_in(const json& verdict) {
  casebook::Expectation e;
  if (!verdict.is_object()) return e;
  e.detector = verdict.value("detector", json("")).is_string() ? verdict.value("detector", "") : "";
  const json expected = verdict.value("expected", json::object());
  if (!expected.is_object()) return e;
  const auto text = [&](const char* key) {
    const auto it = expected.find(key);
    return it != expected.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  const auto list = [&](const char* key) {
    std::vector<std::string> out;
    const auto it = expected.find(key);
    if (it == expected.end() || !it->is_array()) return out;
    for (const auto& k : *it) {
      if (k.is_string()) out.push_back(k.get<std::string>());
    }
    return out;
  };
  const std::string want = text("verdict");
  e.want = want == "detected"         ? casebook::Want::finds
           : want == "skipped"        ? casebook::Want::skip
           : want == "false-positive" ? casebook::Want::false_positive
           : want == "may-find"       ? casebook::Want::may_find
                                      : casebook::Want::clean;
  const auto declared = expected.find("declared");
  e.declared = declared != expected.end() && declared->is_boolean() && declared->get<bool>();
  e.kinds = list("kinds");
  e.reason = text("reason");
  e.false_positive_kinds = list("false_positive_kinds");
  e.false_positive_reason = text("false_positive_reason");
  return e;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const json input = json::parse(data, data + size, nullptr, /*allow_exceptions=*/false);
  if (input.is_discarded()) return 0;
  casebook::VariantDecl variant;
  variant.case_name = "fuzzed";
  variant.variant = "broken";
  variant.file = "cases/fuzzed/broken.cpp";
  variant.expectations = {expectation_in(input)};
  casebook::VerdictRecord read;
  try {
    read = casebook::verdict_from_json(input, "verdicts[0]", variant);
  } catch (const casebook::FieldError& e) {
    check(std::string(e.what()).rfind("verdicts[0]", 0) == 0,
          std::string("a refusal that does not name the field: ") + e.what());
    return 0;
  }
  const json once = casebook::verdict_to_json(read);
  casebook::VerdictRecord again;
  try {
    again = casebook::verdict_from_json(once, "verdicts[0]", variant);
  } catch (const casebook::FieldError& e) {
    casebook::fuzz::fail(std::string("what the reader wrote does not read back: ") + e.what());
  }
  check(casebook::verdict_to_json(again) == once, "a verdict read back writes out differently");
  return 0;
}
