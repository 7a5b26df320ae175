// results_fields.hpp - reading the fields every report writer needs from a results.json
// document, with the error every writer gives when one is missing.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>

#include "results/results_model.hpp"

namespace casebook::reports {

// object[name]; throws std::invalid_argument ("not a casebook results file: no 'name'") when
// object is not an object or has no such field.
inline const nlohmann::json& require_field(const nlohmann::json& object, const char* name) {
  if (!object.is_object() || !object.contains(name)) {
    throw std::invalid_argument(std::string("not a casebook results file: no '") + name + "'");
  }
  return object.at(name);
}

// results::build_provenance of a document's environment object, read tolerantly (for the
// writers that still walk the document).
inline std::optional<results::BuildProvenance> build_provenance(const nlohmann::json& environment) {
  if (!environment.is_object()) return std::nullopt;
  results::Environment e;
  e.git_commit = environment.value("git_commit", "");
  e.build_commit = environment.value("build_commit", "");
  e.build_dirty = environment.value("build_dirty", false);
  return results::build_provenance(e);
}

}  // namespace casebook::reports
