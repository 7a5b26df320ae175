// registry.hpp - the process-wide list of variants compiled into a case binary.
//
// Internal to the case host: case code registers through CASEBOOK_VARIANT (casebook/case.hpp)
// and never includes this. Filled during static initialisation, read-only afterwards, so no
// locking is needed once main() runs.
#pragma once

#include <string>
#include <vector>

#include "casebook/case.hpp"

namespace casebook::casehost {

struct registered_variant {
  std::string case_name;
  std::string variant;     // "broken" or "fixed"
  std::string file;        // the variant's source file as the compiler saw it (__FILE__)
  std::string cases_root;  // CASEBOOK_EXTRA_CASES folder holding the case's folder, or ""
  cb::variant_spec spec;
};

// All variants of this binary, in registration order (unspecified across files).
const std::vector<registered_variant>& all_variants();

// The variant case_name/variant, or nullptr when this binary has none by that name.
const registered_variant* find_variant(const std::string& case_name, const std::string& variant);

}  // namespace casebook::casehost
