#include "cli/declarations.hpp"

#include <fmt/format.h>

#include "catalog/declaration_check.hpp"
#include "common/errors.hpp"
#include "detectors/detector.hpp"

namespace casebook {

void check_case_declarations(const std::vector<VariantDecl>& variants,
                             const std::vector<std::string>& detectors,
                             const std::string& source_root, std::FILE* warnings) {
  std::string errors;
  int count = 0;
  for (const auto& p : check_declarations(variants, detectors, detector_facts, source_root)) {
    if (!p.error) {
      fmt::print(warnings, "{}\n", p.text());
      continue;
    }
    errors += "\n  " + p.text();
    ++count;
  }
  if (count > 0) {
    throw UsageError(
        fmt::format("{} case declaration(s) cannot be right:{}\nFix them and build "
                    "again (each names the file and line).",
                    count, errors));
  }
}

}  // namespace casebook
