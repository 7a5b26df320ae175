// declarations.hpp - what a standalone program declares about itself, in comment lines, the
// way lit's CHECK lines do: the program's source stays a plain program.
//
//   // casebook-expect: tsan finds data-race
//   // casebook-expect: tsan-gcc, asan clean
//   // casebook-expect: helgrind may-find data-race -- Helgrind runs one thread at a time
//   // casebook-expect: drd false-positive data-race -- DRD cannot see the atomic's ordering
//   // casebook-expect: watchdog skip -- the program waits for input by design
//   // casebook-timeout: 5
//   // casebook-flags: -fopenmp -lm
//
// `casebook-expect: DETECTORS WANT [KINDS] [-- REASON]`: one or more detectors (comma-
// separated), what they must do (finds, may-find, false-positive, clean, skip, with the
// meanings of cb::expect:: in casebook/case.hpp), the finding kinds (comma-separated; any one
// detects), and after `--` the reason (required for may-find, false-positive and skip). A
// detector the program does not name is expected to stay clean, as for a catalog case.
// `casebook-timeout: SECONDS` replaces the runner's default timeout; `casebook-flags:` adds
// compiler flags for every configuration (-fopenmp, -I, -D, -l...). The marker may sit in any
// comment (`//`, `/* */`, or a ` * ` line of a block comment). Pure functions; thread-safe.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "catalog/declaration_check.hpp"

namespace casebook {

struct ProgramDeclarations {
  // One entry per (detector, declaration) in the case listing's form ({"detector", "want",
  // "kinds", "reason"}), so a program's expectations are parsed, merged and graded exactly
  // as a catalog case's (catalog/catalog.hpp).
  nlohmann::json expectations = nlohmann::json::array();
  double timeout_seconds = 0;      // 0: none declared
  std::vector<std::string> flags;  // extra compiler flags, in order
  std::vector<DeclarationProblem> problems;
};

// The kinds a detector a declaration names can report; nullopt for a name that is no detector,
// or one that cannot run the program, which then sets why_not to the reason.
using VocabularyOf =
    std::function<std::optional<KindVocabulary>(const std::string& detector, std::string& why_not)>;

// Reads the declaration lines of source_text. file is how problems name it. Every problem
// (an unknown detector, want or kind, a missing reason, a detector declared twice where only
// may-find with false-positive may pair up, a bad timeout) is an error at its line; the
// caller stops the run when there are any.
ProgramDeclarations read_program_declarations(const std::string& source_text,
                                              const std::string& file,
                                              const VocabularyOf& vocabulary_of);

}  // namespace casebook
