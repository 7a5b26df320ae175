#include "registry.hpp"

#include <utility>

namespace casebook::casehost {
namespace {
// Function-local so registration from other translation units' static initialisers is safe
// regardless of initialisation order.
std::vector<registered_variant>& mutable_variants() {
  static std::vector<registered_variant> variants;
  return variants;
}
}  // namespace

const std::vector<registered_variant>& all_variants() {
  return mutable_variants();
}

const registered_variant* find_variant(const std::string& case_name, const std::string& variant) {
  for (const auto& v : all_variants()) {
    if (v.case_name == case_name && v.variant == variant) return &v;
  }
  return nullptr;
}

}  // namespace casebook::casehost

namespace cb::detail {
registrar::registrar(const char* case_name, const char* variant_name, const char* file,
                     const char* cases_root, variant_spec spec) {
  casebook::casehost::mutable_variants().push_back(
      {case_name, variant_name, file, cases_root, std::move(spec)});
}
}  // namespace cb::detail
