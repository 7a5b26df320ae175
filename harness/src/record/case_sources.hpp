// case_sources.hpp - the text of every case a run covered, for results.json.
//
// Reports show a case's README and its broken and fixed sources beside the evidence. They are
// built from results.json alone (a file from another machine or commit must render what that
// run saw), so the run copies the case folders' text files into the file.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "catalog/catalog.hpp"
#include "results/results_model.hpp"

namespace casebook {

// Per case name: its category, folder and files, and folder_base (the folder's base id) for a
// case from a CASEBOOK_EXTRA_CASES folder, whose folder is relative to that one, not to the
// repository. The files are
// the case folder's README.md and its .cpp/.hpp/.h files (the variants, shared headers and
// compile probes), each cut at 256 KiB with a marker; other files and subfolders are left
// out. A folder that cannot be read gives no files, never an error: the run's verdicts matter
// more than its illustrations.
std::map<std::string, results::CaseText> describe_case_sources(
    const std::vector<VariantDecl>& variants, const std::string& source_root);

// The CASEBOOK_EXTRA_CASES folders the variants' files are relative to, by base id
// (parse/located_paths.hpp): the path (absolute on the machine that built the cases) and a
// description. Empty when every variant is the repository's: the repository is always
// "%SRCROOT%" and needs no entry.
std::map<std::string, results::SourceBase> describe_source_bases(
    const std::vector<VariantDecl>& variants);

}  // namespace casebook
