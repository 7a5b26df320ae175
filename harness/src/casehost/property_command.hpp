// property_command.hpp - the case host's `property` command (plain configuration only).
//
//   casebook-cases-plain property <case> <variant> [--tests N] [--seed S]
//                                 [--reproduce CODE] [--outcome FILE]
//
// Checks the variant's invariant as a rapidcheck property (property_check.hpp) and writes the
// result as an outcome JSON: the usual invariant/holds/observed/expected fields, and a
// "property" object with tests_run, shrinks, counterexample, reproduce and the replay
// command. RC_PARAMS is honoured as rapidcheck documents it (seed, max_success, reproduce);
// flags win over it. Other configurations answer with a usage error: properties run in the
// plain build, where the case code runs at full speed.
#pragma once

#include <string_view>
#include <vector>

namespace casebook::casehost {

// Returns the process exit status: 0 when the result was written (whatever it says), 2 on a
// usage error, 3 when the outcome file cannot be written.
int property_command(const std::vector<std::string_view>& args);

}  // namespace casebook::casehost
