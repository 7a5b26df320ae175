// results_fields.hpp - the model's rules (results/results_model.hpp) over a results.json
// document as JSON, for the HTML writer, which still walks the document; it goes when that
// writer reads the typed model like the others.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "results/results_model.hpp"

namespace casebook::reports {

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
