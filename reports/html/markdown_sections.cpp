// markdown_sections.cpp - split_sections (see markdown.hpp): a README cut at its level-2
// headings, line by line. Rendering is md4c's (markdown.cpp); this only needs to know which
// lines are fences and which are "## " headings, which a line scan answers exactly.
#include <algorithm>

#include "cpp_highlight.hpp"
#include "markdown.hpp"

namespace casebook::reports::html {
namespace {

std::size_t indent_of(std::string_view s) {
  std::size_t n = 0;
  while (n < s.size() && s[n] == ' ') ++n;
  return n;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// ``` or ~~~ (3 or more) after at most three spaces: the fence run, else empty.
std::string_view fence_of(std::string_view line) {
  const std::size_t ind = indent_of(line);
  if (ind > 3 || ind >= line.size()) return {};
  const char c = line[ind];
  if (c != '`' && c != '~') return {};
  std::size_t n = ind;
  while (n < line.size() && line[n] == c) ++n;
  return n - ind >= 3 ? line.substr(ind, n - ind) : std::string_view{};
}

// The level of an ATX heading line ("## The fix"), or 0.
int heading_level(std::string_view line) {
  const std::size_t ind = indent_of(line);
  if (ind > 3) return 0;
  std::size_t n = ind;
  while (n < line.size() && line[n] == '#') ++n;
  const auto level = static_cast<int>(n - ind);
  if (level < 1 || level > 6) return 0;
  return (n == line.size() || line[n] == ' ') ? level : 0;
}

// A heading's text: without its '#'s, the closing '#'s CommonMark allows, and the spaces.
std::string heading_text(std::string_view line, int level) {
  std::string_view text = trim(line.substr(indent_of(line) + static_cast<std::size_t>(level)));
  const std::size_t closing = text.find_last_not_of('#');
  if (closing != std::string_view::npos && closing + 1 < text.size() && text[closing] == ' ') {
    text = trim(text.substr(0, closing));
  }
  return std::string(text);
}

}  // namespace

std::vector<MarkdownSection> split_sections(std::string_view markdown) {
  std::vector<MarkdownSection> sections(1);
  std::string fence;
  for (const std::string& line : split_lines(markdown)) {
    const std::string_view f = fence_of(line);
    if (!f.empty()) {
      if (fence.empty()) {
        fence = std::string(f);
      } else if (f[0] == fence[0] && f.size() >= fence.size()) {
        fence.clear();
      }
    }
    if (fence.empty() && f.empty() && heading_level(line) == 2) {
      sections.push_back({heading_text(line, 2), {}});
      continue;
    }
    sections.back().body += line;
    sections.back().body += '\n';
  }
  return sections;
}

}  // namespace casebook::reports::html
