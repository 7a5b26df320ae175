// located_paths.cpp - see located_paths.hpp.
#include "parse/located_paths.hpp"

#include <cctype>

#include "parse/frame_line.hpp"

namespace casebook {

std::string extra_cases_base_id(std::string_view folder, std::string_view kind) {
  const std::string normal = normalize_source_path(folder, {});
  const auto slash = normal.rfind('/');
  const std::string name = slash == std::string::npos ? normal : normal.substr(slash + 1);
  std::string id = "%" + std::string(kind);
  if (!name.empty() && name != "." && name != "/") {
    id += '_';
    for (const char c : name) {
      const auto u = static_cast<unsigned char>(c);
      id += std::isalnum(u) ? static_cast<char>(std::toupper(u)) : '_';
    }
  }
  return id + "%";
}

LocatedPath locate_path(std::string_view file, std::string_view source_root,
                        const SourceBase& extra) {
  LocatedPath out{std::string(file), ""};
  if (file.empty() || extra.folder.empty()) return out;
  // The absolute path: a repo-relative one (not climbing out with "..") is under source_root.
  std::string absolute;
  if (file.front() == '/') {
    absolute = normalize_source_path(file, {});
  } else if (!source_root.empty() && file.substr(0, 2) != "..") {
    absolute = normalize_source_path(std::string(source_root) + "/" + std::string(file), {});
  } else {
    return out;
  }
  const std::string relative = normalize_source_path(absolute, extra.folder);
  if (relative.empty() || relative.front() == '/' || relative == ".") return out;
  return {relative, extra.id};
}

void locate_frames(std::vector<Finding>& findings, std::string_view source_root,
                   const SourceBase& extra) {
  if (extra.folder.empty()) return;
  for (auto& f : findings) {
    for (auto& s : f.stacks) {
      for (auto& frame : s.frames) {
        if (!frame.base.empty()) continue;
        LocatedPath at = locate_path(frame.file, source_root, extra);
        frame.file = std::move(at.file);
        frame.base = std::move(at.base);
      }
    }
  }
}

}  // namespace casebook
