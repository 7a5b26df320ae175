#include "catalog/bug_markers.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

namespace casebook {

namespace {

std::string_view trim_left(std::string_view s) {
  const auto first = s.find_first_not_of(" \t");
  return first == std::string_view::npos ? std::string_view{} : s.substr(first);
}

bool is_comment_or_blank(std::string_view line) {
  const std::string_view t = trim_left(line);
  // A block comment's continuation line starts with "* " or "*/" (or is a lone "*"); code such
  // as "*p = x;" does not.
  return t.empty() || t.substr(0, 2) == "//" || t.substr(0, 2) == "/*" || t == "*" ||
         t.substr(0, 2) == "* " || t.substr(0, 2) == "*/";
}

}  // namespace

std::vector<int> bug_marker_lines(std::string_view source_text) {
  std::vector<std::string_view> lines;
  for (std::size_t start = 0; start <= source_text.size();) {
    const auto end = source_text.find('\n', start);
    const auto stop = end == std::string_view::npos ? source_text.size() : end;
    lines.push_back(source_text.substr(start, stop - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }

  std::vector<int> marked;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const auto comment = lines[i].find("//");
    if (comment == std::string_view::npos) continue;
    if (lines[i].find(kBugMarker, comment) == std::string_view::npos) continue;
    if (!trim_left(lines[i].substr(0, comment)).empty()) {
      marked.push_back(static_cast<int>(i) + 1);  // a trailing marker: this line
      continue;
    }
    // A marker on a line of its own: the next line with code on it.
    for (std::size_t j = i + 1; j < lines.size(); ++j) {
      if (!is_comment_or_blank(lines[j])) {
        marked.push_back(static_cast<int>(j) + 1);
        break;
      }
    }
  }
  std::sort(marked.begin(), marked.end());
  marked.erase(std::unique(marked.begin(), marked.end()), marked.end());
  return marked;
}

std::vector<int> read_bug_marker_lines(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  std::ostringstream text;
  text << in.rdbuf();
  return bug_marker_lines(text.str());
}

void attach_bug_markers(std::vector<VariantDecl>& variants, const std::string& source_root) {
  for (auto& v : variants) {
    // A standalone program's bug lines from a label file win over its markers; a single
    // program (variant "program") may mark its bug as a broken variant does.
    if (v.program && !v.bug_lines.empty()) continue;
    const bool may_mark = v.variant == "broken" || (v.program && v.variant != "fixed");
    if (!may_mark || v.file.empty()) continue;
    v.bug_lines = read_bug_marker_lines(v.source_path(v.file, source_root));
  }
}

}  // namespace casebook
