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

// Per case name: {"category", "folder", "files": {name: text}}, and "folder_base" (the
// folder's base id) for a case from a CASEBOOK_EXTRA_CASES folder, whose "folder" is relative
// to that one, not to the repository. The files are
// the case folder's README.md and its .cpp/.hpp/.h files (the variants, shared headers and
// compile probes), each cut at 256 KiB with a marker; other files and subfolders are left
// out. A folder that cannot be read gives an empty "files" object, never an error: the run's
// verdicts matter more than its illustrations.
nlohmann::json describe_case_sources(const std::vector<VariantDecl>& variants,
                                     const std::string& source_root);

// The CASEBOOK_EXTRA_CASES folders the variants' files are relative to, by base id
// (parse/located_paths.hpp): {"path": absolute on the machine that built the cases,
// "description"}. Empty when every variant is the repository's: the repository is always
// "%SRCROOT%" and needs no entry.
nlohmann::json describe_source_bases(const std::vector<VariantDecl>& variants);

}  // namespace casebook
