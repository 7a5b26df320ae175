// tsan_parser.cpp - see tsan_parser.hpp.
#include "parse/tsan_parser.hpp"

#include <algorithm>
#include <optional>
#include <utility>

#include "parse/asan_parser.hpp"
#include "parse/frame_line.hpp"
#include "parse/report_text.hpp"

namespace casebook {
namespace {

using parse_text::trim;

constexpr std::string_view kWarning = "WARNING: ThreadSanitizer: ";
constexpr std::string_view kError = "ERROR: ThreadSanitizer: ";
constexpr std::string_view kSummary = "SUMMARY: ThreadSanitizer: ";

bool contains(std::string_view s, std::string_view part) {
  return s.find(part) != std::string_view::npos;
}

bool is_fatal_line(std::string_view line) {
  return contains(line, "FATAL: ThreadSanitizer") ||
         contains(line, "ThreadSanitizer: CHECK failed") ||
         contains(line, "ThreadSanitizer: nested bug");
}

void add_unique(std::vector<std::string>& list, std::string value) {
  if (std::find(list.begin(), list.end(), value) == list.end()) list.push_back(std::move(value));
}

// "M0 (0x5601) => M1 (0x5602) => M0" -> {"M0", "M1", "M0"}.
std::vector<std::string> read_cycle(std::string_view graph) {
  std::vector<std::string> cycle;
  std::size_t pos = 0;
  while (pos <= graph.size()) {
    std::size_t arrow = graph.find("=>", pos);
    if (arrow == std::string_view::npos) arrow = graph.size();
    std::string_view node = trim(graph.substr(pos, arrow - pos));
    node = node.substr(0, node.find(' '));
    if (!node.empty()) cycle.emplace_back(node);
    pos = arrow + 2;
  }
  return cycle;
}

// "global 'c' of size 8 at 0x55.. (bin+0x14)" -> "global 'c' of size 8".
std::string read_location(std::string_view what) {
  std::size_t at = what.find(" at 0x");
  if (at != std::string_view::npos) what = what.substr(0, at);
  while (!what.empty() && (what.back() == '.' || what.back() == ':')) what.remove_suffix(1);
  return std::string(trim(what));
}

// Accumulates one report while its lines go by.
// Mutex-misuse reports print their first stack straight under the banner and the second
// under a bare "and:". Readers (and reports) need to know which is which, so they get names.
void name_untitled_stacks(Finding& f) {
  std::string first = "where it happened", second = "and here";
  if (f.kind == "destroy-of-locked-mutex") {
    first = "mutex destroyed here";
    second = "mutex locked here, still held at destruction";
  } else if (f.kind == "double-lock") {
    first = "mutex locked again here";
    second = "mutex first locked here";
  } else if (f.kind == "unlock-of-unlocked-mutex") {
    first = "mutex unlocked here";
    second = "mutex last locked here";
  }
  for (std::size_t i = 0; i < f.stacks.size(); ++i) {
    Stack& s = f.stacks[i];
    if (i == 0 && s.title.empty()) s.title = first;
    if (s.title == "and") s.title = second;
  }
}

class ReportBuilder {
 public:
  ReportBuilder(std::string_view text, std::string_view source_root)
      : text_(text), root_(source_root) {}

  bool open() const { return current_.has_value(); }

  void start(std::string_view line, std::size_t text_pos, std::string kind) {
    current_.emplace();
    current_->tool = "tsan";
    current_->kind = std::move(kind);
    raw_begin_ = text_pos;
    raw_end_ = text_pos + line.size();
    stack_open_ = false;
    pending_title_.reset();
  }

  // Feeds one line of an open report; a SUMMARY line closes it into `out`.
  void feed(std::string_view line, std::size_t text_pos, std::vector<Finding>& out) {
    std::string_view t = trim(line);
    if (t.empty()) {
      stack_open_ = false;
      pending_title_.reset();
      return;
    }
    raw_end_ = text_pos + line.size();
    if (auto s = line.find(kSummary); s != std::string_view::npos) {
      current_->summary =
          parse_text::strip_source_root(trim(line.substr(s + kSummary.size())), root_);
      close(out);
      return;
    }
    if (is_frame_line(t)) {
      auto frame = parse_frame_line(t, root_);
      if (!frame) return;
      if (!stack_open_) {
        Stack stack;
        if (pending_title_) {
          stack.title = *pending_title_;
          stack.thread = parse_text::thread_of_title(stack.title);
          if (parse_text::names_same_thread(stack.title) && !current_->stacks.empty()) {
            stack.thread = current_->stacks.back().thread;
          }
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
    if (parse_text::has_pid_prefix(t)) return;  // "==42==The signal is caused by ..." and such
    constexpr std::string_view kCycle = "Cycle in lock order graph:";
    constexpr std::string_view kLocation = "Location is ";
    if (t.substr(0, kCycle.size()) == kCycle) {
      current_->lock_cycle = read_cycle(t.substr(kCycle.size()));
    } else if (t.substr(0, kLocation.size()) == kLocation) {
      if (current_->location.empty())
        current_->location = read_location(t.substr(kLocation.size()));
    }
    if (t.back() == ':') pending_title_ = std::string(t.substr(0, t.size() - 1));
    if (t.substr(0, kLocation.size()) != kLocation) {
      for (auto& id : parse_text::mutex_ids(t)) add_unique(current_->mutexes, std::move(id));
    }
  }

  // Ends the open report (if any) where it stands: a cut-off report keeps an empty summary.
  void close(std::vector<Finding>& out) {
    if (!current_) return;
    name_untitled_stacks(*current_);
    current_->raw = std::string(text_.substr(raw_begin_, raw_end_ - raw_begin_));
    out.push_back(std::move(*current_));
    current_.reset();
  }

 private:
  std::string_view text_;
  std::string_view root_;
  std::optional<Finding> current_;
  std::size_t raw_begin_ = 0;
  std::size_t raw_end_ = 0;
  bool stack_open_ = false;
  std::optional<std::string> pending_title_;
};

}  // namespace

namespace {

constexpr std::pair<std::string_view, std::string_view> kTsanKinds[] = {
    {"data race", "data-race"},
    {"data race on vptr (ctor/dtor vs virtual call)", "data-race-vptr"},
    {"lock-order-inversion (potential deadlock)", "lock-order-inversion"},
    {"thread leak", "thread-leak"},
    {"double lock of a mutex", "double-lock"},
    {"unlock of an unlocked mutex (or by a wrong thread)", "unlock-of-unlocked-mutex"},
    {"destroy of a locked mutex", "destroy-of-locked-mutex"},
    {"use of an invalid mutex (e.g. uninitialized or destroyed)", "invalid-mutex"},
    {"signal-unsafe call inside of a signal", "signal-unsafe-call"},
    {"signal handler spoils errno", "signal-handler-spoils-errno"},
    {"heap-use-after-free", "heap-use-after-free"},
};

}  // namespace

std::vector<std::string> tsan_known_kinds() {
  std::vector<std::string> kinds;
  for (const auto& [text, kind] : kTsanKinds) kinds.emplace_back(kind);
  kinds.emplace_back("segv");  // a deadly signal's report
  return kinds;
}

std::string tsan_kind(std::string_view description) {
  description = trim(description);
  for (const auto& [text, kind] : kTsanKinds) {
    if (description == text) return std::string(kind);
  }
  return parse_text::kind_slug(description);
}

std::vector<Finding> parse_tsan(std::string_view text, std::string_view source_root) {
  std::vector<Finding> out;
  ReportBuilder report(text, source_root);
  for (std::string_view line : parse_text::split_lines(text)) {
    const std::size_t text_pos = static_cast<std::size_t>(line.data() - text.data());
    if (auto w = line.find(kWarning); w != std::string_view::npos) {
      report.close(out);
      std::string_view description = trim(line.substr(w + kWarning.size()));
      // Drop the " (pid=N)" tail.
      if (auto pid = description.rfind(" (pid="); pid != std::string_view::npos) {
        description = description.substr(0, pid);
      }
      report.start(line.substr(w), text_pos + w, tsan_kind(description));
      continue;
    }
    if (auto e = line.find(kError); e != std::string_view::npos) {
      report.close(out);
      report.start(line.substr(e), text_pos + e, asan_kind(line.substr(e + kError.size())));
      continue;
    }
    if (is_fatal_line(line)) {
      report.close(out);
      Finding fatal;
      fatal.tool = "tsan";
      fatal.kind = "sanitizer-fatal";
      std::string_view t = trim(line);
      fatal.summary = std::string(t);
      fatal.raw = std::string(t);
      out.push_back(std::move(fatal));
      continue;
    }
    if (!report.open()) continue;
    if (line.find("ThreadSanitizer: reported ") != std::string_view::npos) {
      report.close(out);
      continue;
    }
    report.feed(line, text_pos, out);
  }
  report.close(out);
  return out;
}

}  // namespace casebook
