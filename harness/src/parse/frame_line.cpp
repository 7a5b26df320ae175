// frame_line.cpp - see frame_line.hpp.
#include "parse/frame_line.hpp"

#include <cctype>
#include <charconv>
#include <vector>

namespace casebook {
namespace {

bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_blank(s.back())) s.remove_suffix(1);
  return s;
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

bool all_hex(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

std::optional<int> to_int(std::string_view digits) {
  int value = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  return value;
}

std::string_view base_name(std::string_view path) {
  auto slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

// A bare path (no line) is only believed when it cannot be the tail of a function name.
bool looks_like_bare_path(std::string_view s) {
  if (s.empty() || s.front() == '<') return false;
  for (char c : s) {
    if (c == '(' || c == ')' || c == '<' || c == '>' || c == ',' || c == '*' || c == '&') {
      return false;
    }
  }
  if (s.find('/') != std::string_view::npos) return true;
  for (std::string_view ext : {".c", ".cc", ".cpp", ".cxx", ".h", ".hh", ".hpp", ".inc", ".S"}) {
    if (s.size() > ext.size() && s.substr(s.size() - ext.size()) == ext) return true;
  }
  return false;
}

// Index of the '(' matching the ')' at s.back(), or npos.
std::size_t matching_open_paren(std::string_view s) {
  int depth = 0;
  for (std::size_t i = s.size(); i-- > 0;) {
    if (s[i] == ')') {
      ++depth;
    } else if (s[i] == '(') {
      if (--depth == 0) return i;
    }
  }
  return std::string_view::npos;
}

}  // namespace

std::string normalize_source_path(std::string_view path, std::string_view source_root) {
  if (path.empty()) return {};
  const bool absolute = path.front() == '/';
  std::vector<std::string_view> parts;
  std::size_t pos = 0;
  while (pos <= path.size()) {
    std::size_t slash = path.find('/', pos);
    if (slash == std::string_view::npos) slash = path.size();
    std::string_view part = path.substr(pos, slash - pos);
    pos = slash + 1;
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      if (!parts.empty() && parts.back() != "..") {
        parts.pop_back();
      } else if (!absolute) {
        parts.push_back(part);  // "../x" stays: nothing to cancel lexically
      }
      continue;  // "/.." is "/"
    }
    parts.push_back(part);
  }
  std::string out = absolute ? "/" : "";
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += '/';
    out += parts[i];
  }
  if (out.empty()) out.push_back('.');  // (not `out = "."`: gcc 12 -Wrestrict false positive)

  if (absolute && !source_root.empty()) {
    std::string root = normalize_source_path(source_root, {});
    if (root == "/") return out.size() > 1 ? out.substr(1) : ".";
    if (out == root) return ".";
    if (out.size() > root.size() && out.compare(0, root.size(), root) == 0 &&
        out[root.size()] == '/') {
      return out.substr(root.size() + 1);
    }
  }
  return out;
}

std::optional<SourceLocation> parse_source_location(std::string_view text,
                                                    std::string_view source_root,
                                                    bool allow_bare_path) {
  text = trim(text);
  if (text.empty() || text.front() == '<') return std::nullopt;
  for (char c : text) {
    if (is_blank(c)) return std::nullopt;
  }
  SourceLocation loc;
  std::string_view path = text;
  auto colon = path.rfind(':');
  if (colon != std::string_view::npos && all_digits(path.substr(colon + 1))) {
    auto last = to_int(path.substr(colon + 1));
    if (!last) return std::nullopt;
    path = path.substr(0, colon);
    auto colon2 = path.rfind(':');
    if (colon2 != std::string_view::npos && all_digits(path.substr(colon2 + 1))) {
      auto first = to_int(path.substr(colon2 + 1));
      if (!first) return std::nullopt;
      loc.line = *first;
      loc.column = *last;
      path = path.substr(0, colon2);
    } else {
      loc.line = *last;
    }
    if (path.empty()) return std::nullopt;
  } else if (!allow_bare_path || !looks_like_bare_path(path)) {
    return std::nullopt;
  }
  loc.file = normalize_source_path(path, source_root);
  return loc;
}

bool is_frame_line(std::string_view line) {
  while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
  if (line.size() < 3 || line.front() != '#') return false;
  std::size_t i = 1;
  while (i < line.size() && std::isdigit(static_cast<unsigned char>(line[i]))) ++i;
  return i > 1 && i < line.size() && (line[i] == ' ' || line[i] == '\t');
}

std::optional<Frame> parse_frame_line(std::string_view line, std::string_view source_root) {
  if (!is_frame_line(line)) return std::nullopt;
  std::string_view rest = trim(line);
  std::size_t i = 1;
  while (std::isdigit(static_cast<unsigned char>(rest[i]))) ++i;
  Frame frame;
  frame.index = to_int(rest.substr(1, i - 1)).value_or(0);
  rest = trim(rest.substr(i));

  // ASan's form: "0x<pc> in <function> <location>" or "0x<pc> (<module>+0x<off>)".
  if (rest.size() > 2 && rest[0] == '0' && (rest[1] == 'x' || rest[1] == 'X')) {
    std::size_t end = 2;
    while (end < rest.size() && std::isxdigit(static_cast<unsigned char>(rest[end]))) ++end;
    if (end == rest.size() || is_blank(rest[end])) {
      rest = trim(rest.substr(end));
      if (rest.substr(0, 3) == "in ") rest = trim(rest.substr(3));
    }
  }

  // Trailing "(module+0x...)", "(BuildId: ...)" and "(<unknown module>)" groups.
  for (;;) {
    rest = trim(rest);
    if (rest.empty() || rest.back() != ')') break;
    std::size_t open = matching_open_paren(rest);
    if (open == std::string_view::npos || (open > 0 && !is_blank(rest[open - 1]))) break;
    std::string_view group = rest.substr(open + 1, rest.size() - open - 2);
    if (group.substr(0, 8) == "BuildId:" || group == "<unknown module>") {
      rest = rest.substr(0, open);
      continue;
    }
    auto plus = group.rfind("+0x");
    if (plus == std::string_view::npos || plus == 0 || !all_hex(group.substr(plus + 3))) break;
    frame.module = std::string(base_name(group.substr(0, plus)));
    rest = rest.substr(0, open);
  }

  // The last token is the source location when it reads as one.
  std::string_view function = rest;
  auto space = rest.find_last_of(" \t");
  if (space != std::string_view::npos) {
    std::string_view token = rest.substr(space + 1);
    if (token == "<null>") {
      function = trim(rest.substr(0, space));
    } else if (auto loc = parse_source_location(token, source_root, /*allow_bare_path=*/true)) {
      frame.file = std::move(loc->file);
      frame.line = loc->line;
      frame.column = loc->column;
      function = trim(rest.substr(0, space));
    }
  }
  // ASan prints "in f+0x1a" when it knows the function but not the line.
  auto offset = function.rfind("+0x");
  if (offset != std::string_view::npos && offset > 0 && all_hex(function.substr(offset + 3))) {
    function = function.substr(0, offset);
  }
  frame.function = function.empty() ? std::string("<null>") : std::string(function);
  return frame;
}

}  // namespace casebook
