// results_fields.hpp - reading the fields every report writer needs from a results.json
// document, with the error every writer gives when one is missing.
#pragma once

#include <nlohmann/json.hpp>
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

}  // namespace casebook::reports
