#include "parse/compiler_diagnostics.hpp"

#include <charconv>
#include <optional>

#include "parse/frame_line.hpp"

namespace casebook {

namespace {

// The decimal number at text[pos] (digits only: a line is never "-3"), advancing pos past it.
std::optional<int> number_at(std::string_view text, std::size_t& pos) {
  if (pos >= text.size() || text[pos] < '0' || text[pos] > '9') return std::nullopt;
  int value = 0;
  const char* first = text.data() + pos;
  auto [end, ec] = std::from_chars(first, text.data() + text.size(), value);
  if (ec != std::errc{} || end == first) return std::nullopt;
  pos += static_cast<std::size_t>(end - first);
  return value;
}

// Parses "<file>:<line>[:<col>]: " at the start of line; returns the position after it.
// The file part may hold colons of its own only in theory: compilers print paths as given,
// and ours never hold ':', so the first ":<digits>" ends the file.
std::optional<std::size_t> location_prefix(std::string_view line, Diagnostic& d) {
  for (std::size_t colon = line.find(':'); colon != std::string_view::npos;
       colon = line.find(':', colon + 1)) {
    std::size_t pos = colon + 1;
    auto line_number = number_at(line, pos);
    if (!line_number) continue;
    d.file = std::string(line.substr(0, colon));
    d.line = *line_number;
    if (pos < line.size() && line[pos] == ':') {
      std::size_t after = pos + 1;
      if (auto column = number_at(line, after)) {
        d.column = *column;
        pos = after;
      }
    }
    if (pos >= line.size() || line[pos] != ':') return std::nullopt;
    return pos + 1;
  }
  return std::nullopt;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::vector<Diagnostic> parse_compiler_diagnostics(std::string_view text,
                                                   std::string_view source_root) {
  std::vector<Diagnostic> out;
  while (!text.empty()) {
    const std::size_t nl = text.find('\n');
    const std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);

    Diagnostic d;
    const auto rest_at = location_prefix(line, d);
    if (!rest_at) continue;
    std::string_view rest = line.substr(*rest_at);
    const bool gcc_context = rest.size() > 2 && rest.substr(0, 3) == "   ";
    rest = trim(rest);
    if (gcc_context && rest.rfind("required from", 0) == 0) {
      d.severity = "note";
      d.message = std::string(rest);
    } else {
      bool matched = false;
      for (std::string_view severity : {"fatal error", "error", "warning", "note"}) {
        if (rest.size() > severity.size() && rest.substr(0, severity.size()) == severity &&
            rest[severity.size()] == ':') {
          d.severity = std::string(severity);
          d.message = std::string(trim(rest.substr(severity.size() + 1)));
          matched = true;
          break;
        }
      }
      if (!matched) continue;
    }
    d.file = normalize_source_path(d.file, source_root);
    out.push_back(std::move(d));
  }
  return out;
}

}  // namespace casebook
