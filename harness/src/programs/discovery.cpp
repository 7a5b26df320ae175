#include "programs/discovery.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <regex>
#include <sstream>

#include "common/errors.hpp"
#include "common/text_file.hpp"

namespace casebook {

namespace fs = std::filesystem;

namespace {

bool is_cxx_source(const fs::path& p) {
  const std::string ext = p.extension().string();
  return ext == ".cpp" || ext == ".cc" || ext == ".cxx" || ext == ".C";
}

// Comments and string literals blanked out, line breaks kept, so a `main(` in either does not
// count.
std::string code_only(const std::string& text) {
  std::string out = text;
  enum { code, line_comment, block_comment, string_lit, char_lit } state = code;
  for (std::size_t i = 0; i < out.size(); ++i) {
    const char c = out[i];
    const char next = i + 1 < out.size() ? out[i + 1] : '\0';
    switch (state) {
      case code:
        if (c == '/' && next == '/') {
          state = line_comment;
        } else if (c == '/' && next == '*') {
          state = block_comment;
          out[i + 1] = ' ';
          out[i] = ' ';
          ++i;
          continue;
        } else if (c == '"') {
          state = string_lit;
        } else if (c == '\'') {
          state = char_lit;
        }
        if (state == line_comment) out[i] = ' ';
        break;
      case line_comment:
        if (c == '\n') {
          state = code;
        } else {
          out[i] = ' ';
        }
        break;
      case block_comment:
        if (c == '*' && next == '/') {
          out[i] = ' ';
          out[i + 1] = ' ';
          ++i;
          state = code;
        } else if (c != '\n') {
          out[i] = ' ';
        }
        break;
      case string_lit:
      case char_lit:
        if (c == '\\') {
          out[i] = ' ';
          if (i + 1 < out.size() && out[i + 1] != '\n') out[i + 1] = ' ';
          ++i;
        } else if ((state == string_lit && c == '"') || (state == char_lit && c == '\'')) {
          state = code;
        } else if (c != '\n') {
          out[i] = ' ';
        }
        break;
    }
  }
  return out;
}

bool has_main(const fs::path& p) {
  return defines_main(read_text_file(p));
}

// The C/C++ sources directly in dir, sorted.
std::vector<fs::path> sources_in(const fs::path& dir) {
  std::vector<fs::path> found;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (e.is_regular_file(ec) && is_c_or_cxx_source(e.path().string())) found.push_back(e.path());
  }
  std::sort(found.begin(), found.end());
  return found;
}

// broken.* and fixed.* in dir, when both are there.
std::optional<std::pair<fs::path, fs::path>> pair_in(const fs::path& dir) {
  std::optional<fs::path> broken;
  std::optional<fs::path> fixed;
  for (const auto& p : sources_in(dir)) {
    const std::string stem = p.stem().string();
    if (stem == "broken") broken = p;
    if (stem == "fixed") fixed = p;
  }
  if (!broken || !fixed) return std::nullopt;
  return std::make_pair(*broken, *fixed);
}

std::string relative_to(const fs::path& p, const fs::path& root) {
  return fs::relative(p, root).generic_string();
}

ProgramSource program_of(const std::string& case_name, const std::string& variant,
                         const fs::path& root, std::vector<fs::path> files) {
  ProgramSource s;
  s.case_name = case_name;
  s.variant = variant;
  s.root = root.string();
  // The file with main() first: it is the program's face in reports.
  std::stable_partition(files.begin(), files.end(), [](const fs::path& p) { return has_main(p); });
  for (const auto& f : files) {
    s.files.push_back(relative_to(f, root));
    s.cxx = s.cxx || is_cxx_source(f);
  }
  return s;
}

void add_pair(std::vector<ProgramSource>& out, const std::string& case_name, const fs::path& root,
              const std::pair<fs::path, fs::path>& pair) {
  for (const auto& [variant, file] : {std::pair{"broken", pair.first}, {"fixed", pair.second}}) {
    if (!has_main(file)) {
      throw UsageError(file.string() + " has no main(): a program pair's broken and fixed files " +
                       "are whole programs, each with its own main()");
    }
    out.push_back(program_of(case_name, variant, root, {file}));
  }
}

std::vector<ProgramSource> programs_under(const fs::path& given) {
  std::error_code ec;
  const fs::path root = fs::absolute(given, ec).lexically_normal();
  std::vector<ProgramSource> out;
  if (fs::is_regular_file(root, ec)) {
    if (!is_c_or_cxx_source(root.string())) {
      throw UsageError("--programs " + given.string() +
                       ": not a C or C++ source file (.c, .cpp, .cc, .cxx) nor a folder of them");
    }
    if (!has_main(root)) {
      throw UsageError("--programs " + given.string() + ": has no main(); a program needs one");
    }
    out.push_back(program_of(root.stem().string(), "program", root.parent_path(), {root}));
    return out;
  }
  if (!fs::is_directory(root, ec)) {
    throw UsageError("--programs " + given.string() + ": no such folder or file");
  }
  std::string folder_name = root.filename().string();
  if (auto pair = pair_in(root)) {
    add_pair(out, folder_name, root.parent_path(), *pair);
    return out;
  }
  std::vector<fs::directory_entry> entries;
  for (const auto& e : fs::directory_iterator(root, ec)) entries.push_back(e);
  std::sort(entries.begin(), entries.end(),
            [](const auto& a, const auto& b) { return a.path() < b.path(); });
  for (const auto& e : entries) {
    const fs::path p = e.path();
    if (e.is_directory(ec)) {
      if (auto pair = pair_in(p)) {
        add_pair(out, p.filename().string(), root, *pair);
        continue;
      }
      std::vector<fs::path> files = sources_in(p);
      const auto mains = std::count_if(files.begin(), files.end(), has_main);
      if (mains == 1) out.push_back(program_of(p.filename().string(), "program", root, files));
      // No main: shared code of the corpus. Several: not one program; neither is run.
      continue;
    }
    if (e.is_regular_file(ec) && is_c_or_cxx_source(p.string()) && has_main(p)) {
      out.push_back(program_of(p.stem().string(), "program", root, {p}));
    }
  }
  if (out.empty()) {
    throw UsageError("--programs " + given.string() +
                     ": no program found; expected C or C++ files with main(), folders with "
                     "broken.* and fixed.*, or folders holding one program's sources");
  }
  return out;
}

}  // namespace

bool is_c_or_cxx_source(const std::string& path) {
  const fs::path p(path);
  return p.extension() == ".c" || is_cxx_source(p);
}

bool defines_main(const std::string& source_text) {
  static const std::regex main_definition(R"((^|[\s*&])main\s*\()");
  std::istringstream lines(code_only(source_text));
  std::string line;
  while (std::getline(lines, line)) {
    if (std::regex_search(line, main_definition)) return true;
  }
  return false;
}

std::vector<ProgramSource> discover_programs(const std::vector<std::string>& roots) {
  std::vector<ProgramSource> all;
  std::map<std::string, std::string> where;  // case/variant -> the file it came from
  for (const auto& given : roots) {
    std::vector<ProgramSource> found = programs_under(given);
    std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
      return std::tie(a.case_name, a.variant) < std::tie(b.case_name, b.variant);
    });
    for (auto& p : found) {
      const std::string id = p.case_name + "/" + p.variant;
      const std::string file = (fs::path(p.root) / p.files.front()).string();
      auto [it, fresh] = where.emplace(id, file);
      if (!fresh) {
        throw UsageError("two programs are both called " + id + ": " + it->second + " and " + file +
                         "; rename one, or run their folders separately");
      }
      all.push_back(std::move(p));
    }
  }
  return all;
}

}  // namespace casebook
