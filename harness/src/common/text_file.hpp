// text_file.hpp - a whole file's bytes as a string, for the small text files the harness reads
// (sources, labels, logs). An unreadable file reads as "": callers that must tell a missing
// file from an empty one check for it first.
#pragma once

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace casebook {

inline std::string read_text_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Every file of `folder` named "<prefix>.<anything>" (a tool's per-process logs,
// "<prefix>.<pid>"), read and joined in directory order; "" when there is none.
inline std::string read_prefixed_files(const std::filesystem::path& folder,
                                       const std::string& prefix) {
  std::string text;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(folder, ec)) {
    if (entry.path().filename().string().rfind(prefix + ".", 0) == 0) {
      text += read_text_file(entry.path());
    }
  }
  return text;
}

}  // namespace casebook
