// declarations.hpp - the check of the selected variants' declarations that `casebook list` and
// `casebook run` make before anything runs (catalog/declaration_check.hpp has the rules).
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "catalog/catalog.hpp"

namespace casebook {

// Checks every declared kind against its detector, and warns about missing .small inputs for
// the detectors in `detectors` (a run's own selection, or every detector for `list`). Prints
// every warning to `warnings` as "file:line: warning: ..."; throws UsageError listing every
// error the same way, so one run shows all of them.
// With summarise_small, the missing-.small warnings become one line that counts them and names
// the first (a run's console is not the place for one line per variant; `list` shows each).
void check_case_declarations(const std::vector<VariantDecl>& variants,
                             const std::vector<std::string>& detectors,
                             const std::string& source_root, std::FILE* warnings,
                             bool summarise_small = false);

}  // namespace casebook
