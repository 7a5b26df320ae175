// eu_stack_parser.cpp - see eu_stack_parser.hpp.
#include "parse/eu_stack_parser.hpp"

#include <cctype>
#include <charconv>
#include <optional>
#include <string>

#include "parse/frame_line.hpp"
#include "parse/report_text.hpp"

namespace casebook {
namespace {

using parse_text::trim;

std::string_view leading_digits(std::string_view s) {
  std::size_t end = 0;
  while (end < s.size() && std::isdigit(static_cast<unsigned char>(s[end])) != 0) ++end;
  return s.substr(0, end);
}

// "TID 4243:" -> "4243"; "" when the line is not a thread header.
std::string_view tid_of_header(std::string_view t) {
  if (t.substr(0, 4) != "TID " || t.back() != ':') return {};
  const std::string_view id = leading_digits(t.substr(4));
  return id.size() + 5 == t.size() ? id : std::string_view{};
}

// "#4  0x55.. name - /path/module" (name may be absent) -> Frame without its location.
std::optional<Frame> parse_frame(std::string_view t) {
  if (t.size() < 2 || t[0] != '#') return std::nullopt;
  const std::string_view index = leading_digits(t.substr(1));
  if (index.empty()) return std::nullopt;
  std::string_view rest = trim(t.substr(1 + index.size()));
  if (rest.substr(0, 2) != "0x") return std::nullopt;
  const std::size_t address_end = rest.find(' ');
  rest = address_end == std::string_view::npos ? std::string_view{} : rest.substr(address_end);
  Frame frame;
  std::from_chars(index.data(), index.data() + index.size(), frame.index);
  // The module is the path after the last " - " (a path has no blanks; a function may hold
  // " - " only inside an operator's name, which comes before it).
  if (const auto dash = rest.rfind(" - "); dash != std::string_view::npos) {
    const std::string_view path = trim(rest.substr(dash + 3));
    if (!path.empty() && path.find(' ') == std::string_view::npos) {
      const auto slash = path.rfind('/');
      frame.module = std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
      rest = rest.substr(0, dash);
    }
  }
  const std::string_view function = trim(rest);
  frame.function = function.empty() || function == "??" ? "<null>" : std::string(function);
  return frame;
}

}  // namespace

std::vector<Stack> parse_eu_stack(std::string_view text, std::string_view source_root) {
  std::vector<Stack> stacks;
  int threads_of_process = 0;   // threads seen since the last "PID N - process" line
  bool last_was_frame = false;  // the line before was a frame: a location line may follow
  for (std::string_view line : parse_text::split_lines(text)) {
    const std::string_view t = trim(line);
    if (t.empty()) {
      last_was_frame = false;
      continue;
    }
    if (t.rfind("PID ", 0) == 0 && t.find(" - process") != std::string_view::npos) {
      // A new process: its threads are numbered from 1 again, as gdb numbers them.
      threads_of_process = 0;
      last_was_frame = false;
      continue;
    }
    if (const std::string_view tid = tid_of_header(t); !tid.empty()) {
      Stack stack;
      stack.title = std::string(t);
      stack.thread =
          "Thread " + std::to_string(++threads_of_process) + " (LWP " + std::string(tid) + ")";
      stacks.push_back(std::move(stack));
      last_was_frame = false;
      continue;
    }
    if (auto frame = parse_frame(t); frame && !stacks.empty()) {
      stacks.back().frames.push_back(std::move(*frame));
      last_was_frame = true;
      continue;
    }
    // The indented "file:line:col" below a frame.
    if (last_was_frame && line.size() > t.size() && (line[0] == ' ' || line[0] == '\t')) {
      if (auto loc = parse_source_location(t, source_root)) {
        Frame& frame = stacks.back().frames.back();
        frame.file = std::move(loc->file);
        frame.line = loc->line;
        frame.column = loc->column;
      }
    }
    last_was_frame = false;
  }
  return stacks;
}

}  // namespace casebook
