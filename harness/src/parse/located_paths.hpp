// located_paths.hpp - which folder a source path is relative to: the repository, or a
// CASEBOOK_EXTRA_CASES folder holding cases from outside the catalog.
//
// Evidence names files relative to a root so a results file reads the same on any machine:
// repo-relative for the catalog ("cases/x/broken.cpp"), and relative to the folder that holds
// the case for a case brought in from elsewhere ("request_ids/broken.cpp" under that folder).
// A relative path alone does not say which root it is under, so each carries a base id, the
// name SARIF gives the root (uriBaseId): kRepositoryBase, or an extra folder's id. Tools print
// absolute paths of the build machine; parsers already strip the repository root
// (frame_line.hpp), and locate_frames() then moves the frames in the case's extra folder
// under it. System paths stay as printed. Pure functions; safe from any thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "parse/finding.hpp"

namespace casebook {

// The repository's base id (SARIF's conventional name for the source root).
inline constexpr std::string_view kRepositoryBase = "%SRCROOT%";

// The base id of an extra-cases folder: "%EXTRA_CASES_<NAME>%", NAME its base name in capitals
// with anything but letters and digits as '_' (the catalog adds "_2", "_3"... when two folders
// share a name: catalog/catalog.hpp). A --programs folder's is "%PROGRAMS_<NAME>%" (kind
// "PROGRAMS").
std::string extra_cases_base_id(std::string_view folder, std::string_view kind = "EXTRA_CASES");

// A folder paths may be relative to: its base id and absolute path. An empty folder is none.
struct SourceBase {
  std::string id;
  std::string folder;
};

struct LocatedPath {
  std::string file;  // relative to the base's folder, or as given
  std::string base;  // the extra folder's id, or "" (repo-relative or as printed)
};

// Where file lies: relative to extra.folder (with extra.id) when it is inside it, given either
// absolute or repo-relative (under source_root; an extra folder may sit inside the repository,
// as examples/ does); else unchanged with an empty base.
LocatedPath locate_path(std::string_view file, std::string_view source_root,
                        const SourceBase& extra);

// locate_path() applied to every frame of every stack of findings.
void locate_frames(std::vector<Finding>& findings, std::string_view source_root,
                   const SourceBase& extra);

}  // namespace casebook
