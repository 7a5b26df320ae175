// demo_variant.hpp - the declaration of a made-up case variant (cases/demo/<variant>.cpp) for
// detector unit tests that feed a detector's read() a trial without a catalog.
#pragma once

#include <string>

#include "catalog/catalog.hpp"

namespace casebook::test {

inline VariantDecl demo_variant(const std::string& variant = "broken") {
  VariantDecl v;
  v.case_name = "demo";
  v.variant = variant;
  v.file = "cases/demo/" + variant + ".cpp";
  return v;
}

}  // namespace casebook::test
