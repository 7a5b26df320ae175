// source_path.hpp - where to open a file a variant names (its source, its compile probe).
//
// The catalog names files relative to the repo root (cases/x/broken.cpp), except for cases
// brought from outside the tree (CASEBOOK_EXTRA_CASES), whose files have no repo-relative name
// and stay absolute. Every reader that opens such a file goes through here, so an outside case
// is read, compiled and graded like a catalog one.
#pragma once

#include <string>

namespace casebook {

// `file` itself when it is absolute, else `file` under source_root.
inline std::string source_path(const std::string& source_root, const std::string& file) {
  if (!file.empty() && file.front() == '/') return file;
  return source_root + "/" + file;
}

}  // namespace casebook
