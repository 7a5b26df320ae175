// declaration_check.hpp - what a case file declares, checked against what the detectors can
// do, before any trial runs: a typo in a finding kind would otherwise show only as `missed` at
// run time, after the whole run.
//
// Problems point at the file and line of the declaration (found in the case's source text), as
// a compiler does, so an editor can jump there:
//
//   cases/x/broken.cpp:42: error: tsan cannot report 'data-rce'; it reports data-race, ...
//   cases/x/broken.cpp:30: warning: x/broken declares no .small; model runs it ...
//
// Errors stop `casebook list` and `casebook run` with exit 2; warnings are printed and the run
// goes on. Pure functions apart from reading the case sources; thread-safe.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalog.hpp"

namespace casebook {

// The finding kinds one detector reports. open: the tool names kinds beyond the list (a
// sanitizer's report types grow with its version, and an unknown one is kept as a slug of
// its banner), so an unlisted kind in a declaration is a warning there, an error elsewhere.
struct KindVocabulary {
  std::vector<std::string> kinds;
  bool open = false;
};

struct DeclarationProblem {
  bool error = false;
  std::string file;  // as the variant names it (repo-relative for the catalog)
  int line = 0;      // 1-based; 0 when the text was not found in the file
  std::string message;
  bool about_small_inputs = false;  // the missing-.small warning (a run may summarise those)

  // "file:line: error: message" (without ":line" when it is 0).
  std::string text() const;
};

// What the check needs of each detector, by name.
struct DetectorFacts {
  KindVocabulary kinds;
  std::string expectations_of;        // whose declaration stands for an undeclared pair's
  bool uses_small_inputs = false;     // runs the variant's .small inputs (model, Valgrind)
  bool derives_small_inputs = false;  // ... and without them derives its own (the model)
  bool applies = true;                // false: not applicable to this variant at all
};

// The 1-based number of the first line of the file at path that contains needle, or 0.
int source_line_of(const std::string& path, std::string_view needle);

// Every problem in the variants' declarations. facts(variant, detector name) gives the facts
// of one detector for one variant; detectors lists the names to check. A relative
// VariantDecl::file is read under source_root.
using FactsOf = DetectorFacts (*)(const VariantDecl& variant, const std::string& detector);
std::vector<DeclarationProblem> check_declarations(const std::vector<VariantDecl>& variants,
                                                   const std::vector<std::string>& detectors,
                                                   FactsOf facts, const std::string& source_root);

}  // namespace casebook
