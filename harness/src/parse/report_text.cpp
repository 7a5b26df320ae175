// report_text.cpp - see report_text.hpp.
#include "parse/report_text.hpp"

#include <cctype>

namespace casebook::parse_text {
namespace {

bool is_digit(char c) {
  return std::isdigit(static_cast<unsigned char>(c)) != 0;
}

bool is_word_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
}

// "T<digits>" at the start of s, or "".
std::string thread_id_at(std::string_view s) {
  if (s.size() < 2 || s[0] != 'T' || !is_digit(s[1])) return {};
  std::size_t end = 1;
  while (end < s.size() && is_digit(s[end])) ++end;
  if (end < s.size() && is_word_char(s[end])) return {};
  return std::string(s.substr(0, end));
}

// The thread named right after position `pos` ("main thread", "thread T1", "T1"), or "".
std::string thread_named_at(std::string_view s) {
  if (s.substr(0, 11) == "main thread") return "main thread";
  if (s.substr(0, 7) == "thread ") return thread_id_at(s.substr(7));
  return thread_id_at(s);
}

}  // namespace

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(pos, nl - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    pos = nl + 1;
  }
  return lines;
}

std::string_view trim(std::string_view s) {
  auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && blank(s.back())) s.remove_suffix(1);
  return s;
}

bool has_pid_prefix(std::string_view line) {
  if (line.size() < 5 || line.substr(0, 2) != "==") return false;
  std::size_t i = 2;
  while (i < line.size() && is_digit(line[i])) ++i;
  return i > 2 && line.substr(i, 2) == "==";
}

std::string thread_of_title(std::string_view title) {
  // "<verb> by <thread>": the thread that ran the frames (for creation stacks, the creator).
  for (std::size_t pos = title.find("by "); pos != std::string_view::npos;
       pos = title.find("by ", pos + 1)) {
    if (pos > 0 && title[pos - 1] != ' ') continue;
    std::string named = thread_named_at(title.substr(pos + 3));
    if (!named.empty()) return named;
  }
  // "... in thread T1:" and ASan's access line "... thread T1".
  for (std::size_t pos = title.find("thread "); pos != std::string_view::npos;
       pos = title.find("thread ", pos + 1)) {
    if (pos > 0 && title[pos - 1] != ' ') continue;
    std::string named = thread_id_at(title.substr(pos + 7));
    if (!named.empty()) return named;
  }
  if (title.find("main thread") != std::string_view::npos) return "main thread";
  return {};
}

bool names_same_thread(std::string_view title) {
  return title.find("by the same thread") != std::string_view::npos;
}

std::vector<std::string> mutex_ids(std::string_view line) {
  std::vector<std::string> ids;
  for (std::size_t i = 0; i + 1 < line.size(); ++i) {
    if (line[i] != 'M' || !is_digit(line[i + 1])) continue;
    if (i > 0 && is_word_char(line[i - 1])) continue;
    std::size_t end = i + 1;
    while (end < line.size() && is_digit(line[end])) ++end;
    if (end < line.size() && is_word_char(line[end])) continue;
    ids.emplace_back(line.substr(i, end - i));
    i = end - 1;
  }
  return ids;
}

std::string slugify(std::string_view description) {
  std::string slug;
  int depth = 0;
  bool dash = false;
  for (char c : description) {
    if (c == '(') {
      ++depth;
      continue;
    }
    if (c == ')') {
      if (depth > 0) --depth;
      continue;
    }
    if (depth > 0) continue;
    char lower = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (std::isalnum(static_cast<unsigned char>(lower)) || lower == '_') {
      if (dash && !slug.empty()) slug += '-';
      dash = false;
      slug += lower;
    } else {
      dash = true;
    }
  }
  return slug;
}

std::string kind_slug(std::string_view description) {
  std::string slug = slugify(description);
  return slug.empty() ? std::string("unnamed-report") : slug;
}

std::string strip_source_root(std::string_view text, std::string_view source_root) {
  while (!source_root.empty() && source_root.back() == '/') source_root.remove_suffix(1);
  if (source_root.empty()) return std::string(text);
  std::string prefix = std::string(source_root) + "/";
  std::string out;
  std::size_t pos = 0;
  auto path_char = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '/' || c == '.' || c == '_' ||
           c == '-' || c == '+';
  };
  for (std::size_t hit = text.find(prefix); hit != std::string_view::npos;
       hit = text.find(prefix, hit + 1)) {
    if (hit < pos || (hit > 0 && path_char(text[hit - 1]))) continue;  // inside another path
    out.append(text.substr(pos, hit - pos));
    pos = hit + prefix.size();
  }
  out.append(text.substr(pos));
  return out;
}

}  // namespace casebook::parse_text
