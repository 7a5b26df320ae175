// asan_parser.cpp - see asan_parser.hpp.
#include "parse/asan_parser.hpp"

#include <algorithm>
#include <cctype>
#include <optional>
#include <utility>

#include "parse/frame_line.hpp"
#include "parse/report_text.hpp"

namespace casebook {
namespace {

using parse_text::trim;

bool contains(std::string_view s, std::string_view part) {
  return s.find(part) != std::string_view::npos;
}

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// Internal sanitizer failures: the run says nothing about the program.
std::optional<std::string> fatal_tool(std::string_view line) {
  if (contains(line, "LeakSanitizer has encountered a fatal error")) return "lsan";
  if (contains(line, "UndefinedBehaviorSanitizer: CHECK failed")) return "ubsan";
  for (std::string_view marker :
       {"AddressSanitizer: CHECK failed", "ERROR: AddressSanitizer failed",
        "FATAL: AddressSanitizer", "AddressSanitizer: nested bug", "ASan cannot proceed",
        "ERROR: Failed to mmap"}) {
    if (contains(line, marker)) return "asan";
  }
  return std::nullopt;
}

bool is_separator(std::string_view t) {
  return !t.empty() && t.find_first_not_of('=') == std::string_view::npos;
}

// "(pc 0x.. bp 0x.. sp 0x.. T0)" at the end of a deadly-signal ERROR line -> "T0".
std::string thread_of_error_line(std::string_view description) {
  description = trim(description);
  if (description.empty() || description.back() != ')') return {};
  auto space = description.rfind(' ');
  if (space == std::string_view::npos) return {};
  std::string_view id = description.substr(space + 1, description.size() - space - 2);
  if (id.size() < 2 || id[0] != 'T') return {};
  for (char c : id.substr(1)) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return {};
  }
  return std::string(id);
}

// "8 bytes inside of 80-byte region [0x60..,0x60..)" -> "8 bytes inside of 80-byte region".
std::string read_location(std::string_view what) {
  if (auto bounds = what.find(" [0x"); bounds != std::string_view::npos) {
    what = what.substr(0, bounds);
  }
  what = trim(what);
  while (!what.empty() && (what.back() == '.' || what.back() == ':')) what.remove_suffix(1);
  return std::string(what);
}

enum class Shape { kError, kUbsanRuntime };

class ReportBuilder {
 public:
  ReportBuilder(std::string_view text, std::string_view source_root)
      : text_(text), root_(source_root) {}

  bool open() const { return current_.has_value(); }
  const std::string& tool() const { return current_->tool; }

  // An "ERROR: <Tool>: <description>" report starts at text_pos.
  void start_error(std::string tool, std::string kind, std::string_view description,
                   std::string_view line, std::size_t text_pos) {
    begin(std::move(tool), std::move(kind), Shape::kError, line, text_pos);
    description = trim(description);
    // "attempting double-free on 0x.. in thread T0:" titles the frames right under it.
    if (!description.empty() && description.back() == ':') {
      pending_title_ = std::string(description.substr(0, description.size() - 1));
    }
    untitled_thread_ = thread_of_error_line(description);
  }

  // A "<file>:<line>:<col>: runtime error: <message>" report starts at text_pos.
  void start_runtime_error(std::string_view line, std::size_t text_pos,
                           std::optional<SourceLocation> where, std::string_view message) {
    begin("ubsan", "", Shape::kUbsanRuntime, line, text_pos);
    where_ = std::move(where);
    message_ = std::string(trim(message));
    error_line_ = std::string(trim(line));
    pending_title_ = error_line_;
  }

  void feed(std::string_view line, std::size_t text_pos, std::vector<Finding>& out) {
    std::string_view t = trim(line);
    if (t.empty()) {
      stack_open_ = false;
      pending_title_.reset();
      return;
    }
    if (auto s = line.find("SUMMARY: "); s != std::string_view::npos) {
      std::string_view rest = line.substr(s + 9);
      auto colon = rest.find("Sanitizer: ");
      if (colon != std::string_view::npos) {
        // A SUMMARY of another tool means this report was cut off before its own.
        const bool ubsan_summary = starts_with(rest, "UndefinedBehaviorSanitizer");
        if (ubsan_summary == (tool() == "ubsan")) {
          raw_end_ = text_pos + line.size();
          summary_ = std::string(trim(rest.substr(colon + 11)));
          has_summary_ = true;
        }
        close(out);
        return;
      }
    }
    if (is_frame_line(t)) {
      auto frame = parse_frame_line(t, root_);
      if (!frame) return;
      raw_end_ = text_pos + line.size();
      if (!stack_open_) {
        Stack stack;
        if (pending_title_) {
          stack.title = *pending_title_;
          stack.thread = parse_text::thread_of_title(stack.title);
          if (parse_text::names_same_thread(stack.title) && !current_->stacks.empty()) {
            stack.thread = current_->stacks.back().thread;
          }
        } else {
          stack.thread = untitled_thread_;
        }
        current_->stacks.push_back(std::move(stack));
        stack_open_ = true;
        pending_title_.reset();
      }
      current_->stacks.back().frames.push_back(std::move(*frame));
      return;
    }
    stack_open_ = false;
    pending_title_.reset();
    if (shape_ == Shape::kUbsanRuntime) {
      // Only UBSan's own notes belong to the report; anything else is program output.
      if (contains(t, ": note: ")) raw_end_ = text_pos + line.size();
      return;
    }
    raw_end_ = text_pos + line.size();
    if (parse_text::has_pid_prefix(t) || is_separator(t)) return;
    if (auto located = t.find(" is located ");
        located != std::string_view::npos && (starts_with(t, "0x") || starts_with(t, "Address "))) {
      if (current_->location.empty()) {
        current_->location = read_location(t.substr(located + 12));
      }
    }
    pending_title_ = std::string(t.back() == ':' ? t.substr(0, t.size() - 1) : t);
  }

  // Ends the open report where it stands (a cut-off ASan/LSan report keeps an empty summary).
  void close(std::vector<Finding>& out) {
    if (!current_) return;
    Finding& f = *current_;
    if (has_summary_) f.summary = parse_text::strip_source_root(summary_, root_);
    if (shape_ == Shape::kUbsanRuntime) finish_runtime_error(f);
    f.raw = std::string(text_.substr(raw_begin_, raw_end_ - raw_begin_));
    out.push_back(std::move(f));
    current_.reset();
  }

 private:
  void begin(std::string tool, std::string kind, Shape shape, std::string_view line,
             std::size_t text_pos) {
    current_.emplace();
    current_->tool = std::move(tool);
    current_->kind = std::move(kind);
    shape_ = shape;
    raw_begin_ = text_pos;
    raw_end_ = text_pos + line.size();
    stack_open_ = false;
    pending_title_.reset();
    untitled_thread_.clear();
    where_.reset();
    message_.clear();
    error_line_.clear();
    summary_.clear();
    has_summary_ = false;
  }

  void finish_runtime_error(Finding& f) {
    // SUMMARY: UndefinedBehaviorSanitizer: <check> <file>:<line>:<col> in <function>
    std::string_view check;
    std::string_view function;
    if (has_summary_) {
      std::string_view s = summary_;
      check = s.substr(0, s.find(' '));
      if (auto in = s.find(" in "); in != std::string_view::npos) function = trim(s.substr(in + 4));
    }
    // The check's name as a slug: the SUMMARY line is the program's stderr, whatever it holds.
    const std::string check_slug = parse_text::slugify(check);
    if (!check_slug.empty() && check_slug != "undefined-behavior") {
      f.kind = check_slug;
    } else {
      f.kind = ubsan_check_of_message(message_);
    }
    if (!has_summary_) f.summary = parse_text::strip_source_root(error_line_, root_);
    if (f.stacks.empty() && where_) {
      Stack stack;
      stack.title = error_line_;
      Frame frame;
      frame.function = function.empty() ? std::string("<null>") : std::string(function);
      frame.file = where_->file;
      frame.line = where_->line;
      frame.column = where_->column;
      stack.frames.push_back(std::move(frame));
      f.stacks.push_back(std::move(stack));
    }
  }

  std::string_view text_;
  std::string_view root_;
  std::optional<Finding> current_;
  Shape shape_ = Shape::kError;
  std::size_t raw_begin_ = 0;
  std::size_t raw_end_ = 0;
  bool stack_open_ = false;
  std::optional<std::string> pending_title_;
  std::string untitled_thread_;
  std::optional<SourceLocation> where_;
  std::string message_;
  std::string error_line_;
  std::string summary_;
  bool has_summary_ = false;
};

}  // namespace

std::string asan_kind(std::string_view description) {
  description = trim(description);
  static constexpr std::pair<std::string_view, std::string_view> kPrefixes[] = {
      {"attempting double-free", "double-free"},
      {"attempting free on address which was not malloc()-ed", "bad-free"},
      {"requested allocation size", "allocation-size-too-big"},
      {"allocator is out of memory", "out-of-memory"},
      {"out of memory", "out-of-memory"},
  };
  for (const auto& [prefix, kind] : kPrefixes) {
    if (starts_with(description, prefix)) return std::string(kind);
  }
  std::string_view first = description.substr(0, description.find_first_of(" :"));
  if (contains(description, " on unknown address")) {  // SEGV, BUS, FPE, ...
    return parse_text::kind_slug(first);
  }
  bool dashed = first.find('-') != std::string_view::npos;
  for (char c : first) {
    if (!(std::islower(static_cast<unsigned char>(c)) ||
          std::isdigit(static_cast<unsigned char>(c)) || c == '-' || c == '_')) {
      dashed = false;
    }
  }
  if (dashed) return std::string(first);
  std::string_view head = description.substr(0, description.find(':'));
  head = head.substr(0, head.find(" on "));
  return parse_text::kind_slug(head);
}

namespace {

struct UbsanRule {
  std::string_view needle;
  std::string_view check;
};

// Order matters: the more specific wording first.
constexpr UbsanRule kUbsanRules[] = {
    {"null pointer passed as argument", "invalid-null-argument"},
    {"null pointer returned from function", "invalid-null-return"},
    {"to null pointer", "nullptr-with-offset"},  // "applying non-zero offset 8 to null pointer"
    {"null pointer", "null-pointer-use"},        // load of / store to / member access within
    {"unsigned integer overflow", "unsigned-integer-overflow"},
    {"signed integer overflow", "signed-integer-overflow"},
    {"division by zero", "integer-divide-by-zero"},
    {"shift exponent", "invalid-shift-exponent"},
    {"left shift of", "invalid-shift-base"},
    {"out of bounds for type", "out-of-bounds-index"},
    {"misaligned address", "misaligned-pointer-use"},
    {"not a valid value for type 'bool'", "invalid-bool-load"},
    {"not a valid value for type", "invalid-enum-load"},
    {"execution reached an unreachable program point", "unreachable-call"},
    {"execution reached the end of a value-returning function", "missing-return"},
    {"pointer index expression with base", "pointer-overflow"},
    {"unsigned offset", "pointer-overflow"},
    {"is outside the range of representable values", "float-cast-overflow"},
    {"variable length array bound", "non-positive-vla-index"},
    {"which does not point to an object of type", "dynamic-type-mismatch"},
    {"through pointer to incorrect function type", "function"},
    {"passing zero to", "invalid-builtin-use"},
    {"cannot be represented in type", "signed-integer-overflow"},  // negation, INT_MIN / -1
};

}  // namespace

std::string ubsan_check_of_message(std::string_view message) {
  for (const auto& rule : kUbsanRules) {
    if (contains(message, rule.needle)) return std::string(rule.check);
  }
  return "undefined-behavior";
}

std::vector<Finding> parse_asan(std::string_view text, std::string_view source_root) {
  std::vector<Finding> out;
  ReportBuilder report(text, source_root);
  constexpr std::string_view kRuntimeError = ": runtime error: ";
  for (std::string_view line : parse_text::split_lines(text)) {
    const std::size_t text_pos = static_cast<std::size_t>(line.data() - text.data());
    if (auto tool = fatal_tool(line)) {
      report.close(out);
      Finding fatal;
      fatal.tool = *tool;
      fatal.kind = "sanitizer-fatal";
      fatal.summary = std::string(trim(line));
      fatal.raw = fatal.summary;
      out.push_back(std::move(fatal));
      continue;
    }
    if (auto e = line.find("ERROR: "); e != std::string_view::npos) {
      std::string_view rest = line.substr(e + 7);
      struct Banner {
        std::string_view prefix;
        std::string_view tool;
      };
      static constexpr Banner kBanners[] = {{"AddressSanitizer: ", "asan"},
                                            {"LeakSanitizer: ", "lsan"},
                                            {"UndefinedBehaviorSanitizer: ", "ubsan"}};
      bool started = false;
      for (const auto& banner : kBanners) {
        if (!starts_with(rest, banner.prefix)) continue;
        std::string_view description = rest.substr(banner.prefix.size());
        std::string kind;
        if (banner.tool == "lsan") {
          kind = starts_with(description, "detected memory leaks")
                     ? "memory-leak"
                     : parse_text::kind_slug(description.substr(0, description.find(':')));
        } else {
          kind = asan_kind(description);
        }
        report.close(out);
        report.start_error(std::string(banner.tool), std::move(kind), description, line.substr(e),
                           text_pos + e);
        started = true;
        break;
      }
      if (started) continue;
    }
    if (auto r = line.find(kRuntimeError); r != std::string_view::npos) {
      // The location is the last token before the marker; program output may precede it.
      std::string_view before = line.substr(0, r);
      std::size_t token = before.find_last_of(" \t");
      token = token == std::string_view::npos ? 0 : token + 1;
      report.close(out);
      report.start_runtime_error(line.substr(token), text_pos + token,
                                 parse_source_location(before.substr(token), source_root),
                                 line.substr(r + kRuntimeError.size()));
      continue;
    }
    if (!report.open()) continue;
    report.feed(line, text_pos, out);
  }
  report.close(out);
  return out;
}

std::vector<std::string> asan_known_kinds() {
  // ASan's report types (the bug names its banners print), LeakSanitizer's, then UBSan's checks.
  std::vector<std::string> kinds = {"heap-use-after-free",
                                    "heap-buffer-overflow",
                                    "stack-buffer-overflow",
                                    "stack-buffer-underflow",
                                    "global-buffer-overflow",
                                    "stack-use-after-return",
                                    "stack-use-after-scope",
                                    "use-after-poison",
                                    "container-overflow",
                                    "dynamic-stack-buffer-overflow",
                                    "intra-object-overflow",
                                    "initialization-order-fiasco",
                                    "alloc-dealloc-mismatch",
                                    "new-delete-type-mismatch",
                                    "double-free",
                                    "bad-free",
                                    "allocation-size-too-big",
                                    "calloc-overflow",
                                    "out-of-memory",
                                    "stack-overflow",
                                    "odr-violation",
                                    "invalid-pointer-pair",
                                    "unknown-crash",
                                    "segv",
                                    "bus",
                                    "fpe",
                                    "memory-leak",
                                    "undefined-behavior"};
  for (const auto& rule : kUbsanRules) {
    if (std::find(kinds.begin(), kinds.end(), rule.check) == kinds.end()) {
      kinds.emplace_back(rule.check);
    }
  }
  return kinds;
}

}  // namespace casebook
