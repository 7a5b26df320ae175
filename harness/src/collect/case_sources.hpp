// case_sources.hpp - the text of every case a run covered, for results.json.
//
// Reports show a case's README and its broken and fixed sources beside the evidence. They are
// built from results.json alone (a file from another machine or commit must render what that
// run saw), so the run copies the case folders' text files into the file.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "catalog/catalog.hpp"

namespace casebook {

// Per case name: {"category", "folder" (repo-relative), "files": {name: text}}. The files are
// the case folder's README.md and its .cpp/.hpp/.h files (the variants, shared headers and
// compile probes), each cut at 256 KiB with a marker; other files and subfolders are left
// out. A folder that cannot be read gives an empty "files" object, never an error: the run's
// verdicts matter more than its illustrations.
nlohmann::json describe_case_sources(const std::vector<VariantDecl>& variants,
                                     const std::string& source_root);

}  // namespace casebook
