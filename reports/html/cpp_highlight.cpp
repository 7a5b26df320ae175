// cpp_highlight.cpp - the lexer behind highlight_cpp (see cpp_highlight.hpp).
#include "cpp_highlight.hpp"

#include <array>
#include <cctype>
#include <string_view>

#include "html_text.hpp"

namespace casebook::reports::html {
namespace {

constexpr std::array<std::string_view, 66> kKeywords = {
    "alignas",      "alignof",      "asm",        "break",     "case",
    "catch",        "class",        "co_await",   "co_return", "co_yield",
    "concept",      "const",        "const_cast", "consteval", "constexpr",
    "constinit",    "continue",     "decltype",   "default",   "delete",
    "do",           "dynamic_cast", "else",       "enum",      "explicit",
    "export",       "extern",       "false",      "final",     "for",
    "friend",       "goto",         "if",         "inline",    "mutable",
    "namespace",    "new",          "noexcept",   "nullptr",   "operator",
    "override",     "private",      "protected",  "public",    "reinterpret_cast",
    "requires",     "return",       "sizeof",     "static",    "static_assert",
    "static_cast",  "struct",       "switch",     "template",  "this",
    "thread_local", "throw",        "true",       "try",       "typedef",
    "typename",     "union",        "using",      "virtual",   "volatile",
    "while"};

constexpr std::array<std::string_view, 16> kTypes = {
    "auto", "bool", "char",  "char8_t", "char16_t", "char32_t", "double",  "float",
    "int",  "long", "short", "signed",  "unsigned", "void",     "wchar_t", "size_t"};

template <std::size_t N>
bool contains(const std::array<std::string_view, N>& words, std::string_view word) {
  for (auto w : words) {
    if (w == word) return true;
  }
  return false;
}

bool ident_start(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) || c == '_';
}
bool ident_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

// Collects tokens and cuts them into per-line fragments as they arrive.
class LineWriter {
 public:
  void add(std::string_view text, const char* cls) {
    while (!text.empty()) {
      const auto nl = text.find('\n');
      const std::string_view piece = text.substr(0, nl);
      if (!piece.empty()) {
        if (cls != nullptr) current_ += std::string("<span class=\"") + cls + "\">";
        current_ += escape(piece);
        if (cls != nullptr) current_ += "</span>";
      }
      if (nl == std::string_view::npos) break;
      finish_line();
      text.remove_prefix(nl + 1);
    }
  }
  std::vector<std::string> take(std::size_t expected_lines) {
    if (!current_.empty() || lines_.size() < expected_lines) finish_line();
    lines_.resize(expected_lines);
    return std::move(lines_);
  }

 private:
  void finish_line() {
    if (!current_.empty() && current_.back() == '\r') current_.pop_back();
    lines_.push_back(std::move(current_));
    current_.clear();
  }
  std::vector<std::string> lines_;
  std::string current_;
};

// The length of a string literal starting at `i` (at its opening quote), or of a raw string
// when `raw` (i at the quote after R). Unterminated literals end at the end of the line, so a
// stray quote cannot colour the rest of the file.
std::size_t literal_length(std::string_view s, std::size_t i, bool raw) {
  if (raw) {
    const auto open = s.find('(', i + 1);
    const auto line_end = s.find('\n', i);
    if (open != std::string_view::npos && open < line_end) {
      const std::string close = ")" + std::string(s.substr(i + 1, open - i - 1)) + "\"";
      const auto end = s.find(close, open + 1);
      if (end != std::string_view::npos) return end + close.size() - i;
      return s.size() - i;
    }
  }
  const char quote = s[i];
  std::size_t j = i + 1;
  while (j < s.size() && s[j] != quote && s[j] != '\n')
    j += (s[j] == '\\' && j + 1 < s.size()) ? 2 : 1;
  if (j < s.size() && s[j] == quote) ++j;
  return j - i;
}

}  // namespace

std::vector<std::string> split_lines(std::string_view text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    auto nl = text.find('\n', start);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(start, nl - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.emplace_back(line);
    start = nl + 1;
  }
  return lines;
}

std::vector<std::string> highlight_cpp(std::string_view s) {
  const std::size_t line_count = split_lines(s).size();
  LineWriter out;
  bool line_start = true;  // only whitespace seen since the last newline
  std::size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    const char next = i + 1 < s.size() ? s[i + 1] : '\0';
    std::size_t len = 1;
    const char* cls = nullptr;
    if (c == '/' && next == '/') {
      len = s.find('\n', i) == std::string_view::npos ? s.size() - i : s.find('\n', i) - i;
      cls = "tok-com";
    } else if (c == '/' && next == '*') {
      const auto end = s.find("*/", i + 2);
      len = end == std::string_view::npos ? s.size() - i : end + 2 - i;
      cls = "tok-com";
    } else if (c == '#' && line_start) {
      // The directive word; an #include's <header> is then lexed like a string.
      len = 1;
      while (i + len < s.size() && (s[i + len] == ' ' || s[i + len] == '\t')) ++len;
      while (i + len < s.size() && ident_char(s[i + len])) ++len;
      cls = "tok-pp";
      if (s.substr(i, len).ends_with("include")) {
        out.add(s.substr(i, len), cls);
        i += len;
        while (i < s.size() && s[i] == ' ') out.add(s.substr(i++, 1), nullptr);
        if (i < s.size() && s[i] == '<') {
          const auto end = s.find_first_of(">\n", i);
          len = (end == std::string_view::npos || s[end] == '\n') ? 1 : end + 1 - i;
          out.add(s.substr(i, len), "tok-str");
          i += len;
        }
        line_start = false;
        continue;
      }
    } else if (c == '"' || c == '\'') {
      len = literal_length(s, i, false);
      cls = "tok-str";
    } else if (std::isdigit(static_cast<unsigned char>(c)) ||
               (c == '.' && std::isdigit(static_cast<unsigned char>(next)))) {
      // Digits, digit separators (1'000), suffixes, hex, and signed exponents (1e-3, 0x1p+4).
      while (i + len < s.size()) {
        const char d = s[i + len];
        const char prev = s[i + len - 1];
        if (ident_char(d) || d == '.' || d == '\'' ||
            ((d == '+' || d == '-') &&
             (prev == 'e' || prev == 'E' || prev == 'p' || prev == 'P'))) {
          ++len;
        } else {
          break;
        }
      }
      cls = "tok-num";
    } else if (static_cast<unsigned char>(c) >= 0x80) {
      // A UTF-8 sequence stays in one piece, so escape() does not see half a character.
      while (i + len < s.size() && static_cast<unsigned char>(s[i + len]) >= 0x80) ++len;
    } else if (ident_start(c)) {
      while (i + len < s.size() && ident_char(s[i + len])) ++len;
      const std::string_view word = s.substr(i, len);
      const bool raw_prefix =
          word == "R" || word == "u8R" || word == "uR" || word == "UR" || word == "LR";
      if (raw_prefix && i + len < s.size() && s[i + len] == '"') {
        len += literal_length(s, i + len, true);
        cls = "tok-str";
      } else if (contains(kKeywords, word)) {
        cls = "tok-kw";
      } else if (contains(kTypes, word)) {
        cls = "tok-ty";
      }
    }
    out.add(s.substr(i, len), cls);
    for (std::size_t k = i; k < i + len; ++k) {
      if (s[k] == '\n') {
        line_start = true;
      } else if (s[k] != ' ' && s[k] != '\t') {
        line_start = false;
      }
    }
    i += len;
  }
  return out.take(line_count);
}

}  // namespace casebook::reports::html
