#include "writing/input_file.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace casebook::reports {

std::optional<std::string> read_input_file(const std::string& path, const InputFileKind& kind,
                                           std::string* problem) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    *problem = fmt::format("{}: no such file. Pass {}.", path, kind.made_by);
    return std::nullopt;
  }
  if (fs::is_directory(path, ec)) {
    *problem = fmt::format("{} is a folder. Pass the {} inside it ({}/{}).", path, kind.file_name,
                           path, kind.file_name);
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (!in.is_open() || (!in.good() && !in.eof())) {
    *problem = fmt::format("{}: cannot be read; check its permissions.", path);
    return std::nullopt;
  }
  std::string text = buffer.str();
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) {
    *problem = fmt::format("{} is empty: the {} that should have written it did not finish. {}",
                           path, kind.producer, kind.remake);
    return std::nullopt;
  }
  return text;
}

}  // namespace casebook::reports
