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

}  // namespace casebook
