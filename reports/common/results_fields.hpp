// results_fields.hpp - reading the fields every report writer needs from a results.json
// document, with the error every writer gives when one is missing.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>

namespace casebook::reports {

// object[name]; throws std::invalid_argument ("not a casebook results file: no 'name'") when
// object is not an object or has no such field.
inline const nlohmann::json& require_field(const nlohmann::json& object, const char* name) {
  if (!object.is_object() || !object.contains(name)) {
    throw std::invalid_argument(std::string("not a casebook results file: no '") + name + "'");
  }
  return object.at(name);
}

// What a report adds about the binaries to environment.git_commit (the checkout when the run
// started): `commit` is environment.build_commit when the binaries were built from another
// commit (empty when it is the same one), `dirty` is environment.build_dirty (tracked files had
// uncommitted changes). Nothing when the build commit is unknown or would only repeat git_commit.
struct BuildProvenance {
  std::string commit;
  bool dirty = false;
};
inline std::optional<BuildProvenance> build_provenance(const nlohmann::json& environment) {
  if (!environment.is_object()) return std::nullopt;
  const std::string built = environment.value("build_commit", "");
  if (built.empty()) return std::nullopt;
  BuildProvenance provenance;
  if (built != environment.value("git_commit", "")) provenance.commit = built;
  provenance.dirty = environment.value("build_dirty", false);
  if (provenance.commit.empty() && !provenance.dirty) return std::nullopt;
  return provenance;
}

}  // namespace casebook::reports
