// text_file.hpp - a whole file's bytes as a string, for the small text files the harness reads
// (sources, labels, logs). An unreadable file reads as "": callers that must tell a missing
// file from an empty one check for it first.
#pragma once

#include <algorithm>
#include <cstdint>
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
// "<prefix>.<pid>"), read and joined in directory order; "" when there is none. Past
// max_bytes in all, the rest is not read, and a line saying how much was left is added.
inline std::string read_prefixed_files(const std::filesystem::path& folder,
                                       const std::string& prefix,
                                       std::size_t max_bytes = std::string::npos) {
  std::string text;
  std::uintmax_t left_out = 0;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(folder, ec)) {
    if (entry.path().filename().string().rfind(prefix + ".", 0) != 0) continue;
    const std::uintmax_t size = std::filesystem::file_size(entry.path(), ec);
    if (ec) continue;
    const std::size_t room = max_bytes - std::min(max_bytes, text.size());
    if (size <= room) {
      text += read_text_file(entry.path());
      continue;
    }
    std::ifstream in(entry.path(), std::ios::binary);
    std::string part(room, '\0');
    in.read(part.data(), static_cast<std::streamsize>(room));
    part.resize(static_cast<std::size_t>(in.gcount()));
    text += part;
    left_out += size - part.size();
  }
  if (left_out > 0) {
    text +=
        "\n[... " + std::to_string(left_out) + " more bytes of tool logs not read by casebook]\n";
  }
  return text;
}

}  // namespace casebook
