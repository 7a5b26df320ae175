// gdb_parser.cpp - see gdb_parser.hpp.
#include "parse/gdb_parser.hpp"

#include <cctype>
#include <charconv>
#include <optional>
#include <string>
#include <utility>

#include "parse/frame_line.hpp"
#include "parse/report_text.hpp"

namespace casebook {
namespace {

using parse_text::trim;

bool is_digit(char c) {
  return std::isdigit(static_cast<unsigned char>(c)) != 0;
}

std::string_view leading_digits(std::string_view s) {
  std::size_t end = 0;
  while (end < s.size() && is_digit(s[end])) ++end;
  return s.substr(0, end);
}

// "Thread 2 (Thread 0x7f.. (LWP 4242) "name"):" -> "Thread 2 (LWP 4242)"; nullopt if no header.
std::optional<std::string> thread_of_header(std::string_view t) {
  if (t.substr(0, 7) != "Thread " || t.back() != ':') return std::nullopt;
  std::string_view number = leading_digits(t.substr(7));
  if (number.empty()) return std::nullopt;
  std::string thread = "Thread " + std::string(number);
  if (auto lwp = t.find("(LWP "); lwp != std::string_view::npos) {
    std::string_view id = leading_digits(t.substr(lwp + 5));
    if (!id.empty()) thread += " (LWP " + std::string(id) + ")";
  }
  return thread;
}

int paren_balance(std::string_view s) {
  int balance = 0;
  for (char c : s) {
    if (c == '(') ++balance;
    if (c == ')') --balance;
  }
  return balance;
}

// Index of the '(' matching the ')' at s.back(), or npos.
std::size_t matching_open_paren(std::string_view s) {
  int depth = 0;
  for (std::size_t i = s.size(); i-- > 0;) {
    if (s[i] == ')') {
      ++depth;
    } else if (s[i] == '(' && --depth == 0) {
      return i;
    }
  }
  return std::string_view::npos;
}

// "#4  0x55.. in f (a=1) at /src/x.cpp:11" -> Frame.
std::optional<Frame> parse_gdb_frame(std::string_view t, std::string_view source_root) {
  if (t.size() < 2 || t[0] != '#') return std::nullopt;
  std::string_view index = leading_digits(t.substr(1));
  if (index.empty()) return std::nullopt;
  Frame frame;
  std::from_chars(index.data(), index.data() + index.size(), frame.index);
  std::string_view rest = trim(t.substr(1 + index.size()));
  if (rest.substr(0, 2) == "0x") {
    if (auto in = rest.find(" in "); in != std::string_view::npos) rest = trim(rest.substr(in + 4));
  }
  // " at <file>:<line>" or " from <library>" close the line when present.
  if (auto at = rest.rfind(" at "); at != std::string_view::npos) {
    std::string_view where = trim(rest.substr(at + 4));
    if (where.find(' ') == std::string_view::npos) {
      if (auto loc = parse_source_location(where, source_root, /*allow_bare_path=*/true)) {
        frame.file = std::move(loc->file);
        frame.line = loc->line;
        frame.column = loc->column;
        rest = trim(rest.substr(0, at));
      }
    }
  }
  if (frame.file.empty()) {
    if (auto from = rest.rfind(" from "); from != std::string_view::npos) {
      std::string_view library = trim(rest.substr(from + 6));
      if (!library.empty() && library.find(' ') == std::string_view::npos) {
        auto slash = library.rfind('/');
        frame.module =
            std::string(slash == std::string_view::npos ? library : library.substr(slash + 1));
        rest = trim(rest.substr(0, from));
      }
    }
  }
  // Drop the argument list: the last balanced "(...)" group.
  std::string_view function = rest;
  if (!rest.empty() && rest.back() == ')') {
    std::size_t open = matching_open_paren(rest);
    if (open != std::string_view::npos && open > 0) function = trim(rest.substr(0, open));
  }
  if (function.empty() || function == "??") function = "<null>";
  frame.function = std::string(function);
  return frame;
}

}  // namespace

std::vector<Stack> parse_gdb_backtrace(std::string_view text, std::string_view source_root) {
  std::vector<Stack> stacks;
  bool in_thread = false;  // a header was seen and no blank line since
  std::string pending;     // a frame line gdb wrapped, waiting for its continuation
  auto flush = [&] {
    if (pending.empty()) return;
    if (auto frame = parse_gdb_frame(pending, source_root)) {
      if (!in_thread) {
        stacks.emplace_back();  // frames of a plain `bt`, outside any thread block
        in_thread = true;
      }
      stacks.back().frames.push_back(std::move(*frame));
    }
    pending.clear();
  };
  for (std::string_view line : parse_text::split_lines(text)) {
    std::string_view t = trim(line);
    if (!pending.empty() && !t.empty() && t[0] != '#' && !thread_of_header(t) &&
        paren_balance(pending) > 0) {
      pending += ' ';
      pending += t;
      continue;
    }
    flush();
    if (t.empty()) {
      in_thread = false;
      continue;
    }
    if (auto thread = thread_of_header(t)) {
      Stack stack;
      stack.title = std::string(t);
      stack.thread = std::move(*thread);
      stacks.push_back(std::move(stack));
      in_thread = true;
      continue;
    }
    if (t[0] == '#' && !leading_digits(t.substr(1)).empty()) pending = std::string(t);
  }
  flush();
  return stacks;
}

}  // namespace casebook
