#include "cli/declarations.hpp"

#include <fmt/format.h>

#include "catalog/declaration_check.hpp"
#include "common/errors.hpp"
#include "detectors/detector.hpp"

namespace casebook {

void check_case_declarations(const std::vector<VariantDecl>& variants,
                             const std::vector<std::string>& detectors,
                             const std::string& source_root, std::FILE* warnings,
                             bool summarise_small) {
  std::string errors;
  int count = 0;
  std::vector<DeclarationProblem> small;
  for (auto& p : check_declarations(variants, detectors, detector_facts, source_root)) {
    if (!p.error && p.about_small_inputs && summarise_small) {
      small.push_back(std::move(p));
      continue;
    }
    if (!p.error) {
      fmt::print(warnings, "{}\n", p.text());
      continue;
    }
    errors += "\n  " + p.text();
    ++count;
  }
  if (small.size() == 1) fmt::print(warnings, "{}\n", small.front().text());
  if (small.size() > 1) {
    fmt::print(warnings,
               "casebook: warning: {} variants declare no .small although this run's slow "
               "detectors run them, the first at {}:{}; `casebook list` names each\n",
               small.size(), small.front().file, small.front().line);
  }
  if (count > 0) {
    throw UsageError(
        fmt::format("{} case declaration(s) cannot be right:{}\nFix them and build "
                    "again (each names the file and line).",
                    count, errors));
  }
}

}  // namespace casebook
