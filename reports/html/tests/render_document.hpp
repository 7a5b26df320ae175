// render_document.hpp - the HTML writer over a results document given as JSON, read the way
// `casebook report` reads it (results::read_results), for tests that build or edit documents.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "html/html_writer.hpp"
#include "results/results_model.hpp"

namespace casebook::reports::testing {

inline std::string render_document(const nlohmann::json& doc, const BenchInput& bench = {}) {
  return reports::html_from_results(results::read_results(doc), bench);
}

}  // namespace casebook::reports::testing
