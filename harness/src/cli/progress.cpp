#include "cli/progress.hpp"

#include <fmt/format.h>

#include "record/results_json.hpp"
#include "writing/verdict_words.hpp"

namespace casebook {

ConsoleProgress::ConsoleProgress(std::FILE* out, bool interactive)
    : out_(out), interactive_(interactive) {}

void ConsoleProgress::started(const VariantDecl& variant, std::string_view detector) {
  MutexLock lock(mu_);
  current_ = variant.id() + " " + std::string(detector);
  if (interactive_) redraw();
}

void ConsoleProgress::finished(const VerdictRecord& r, int done, int total) {
  // The verdict as every report names it (a passing declared false positive reads
  // known-false-positive), worked out before the lock.
  const std::string verdict = reports::shown_verdict(verdict_heading(r));
  MutexLock lock(mu_);
  done_ = done;
  total_ = total;
  const std::string line = fmt::format("[{:>{}}/{}] {} {} {}: {} ({} trial{}, {:.1f} s)", done,
                                       std::to_string(total).size(), total,
                                       r.grade.verdict == Verdict::skipped ? "SKIP"
                                       : r.grade.passed                    ? "PASS"
                                                                           : "FAIL",
                                       r.variant.id(), r.detector, verdict, r.trials.size(),
                                       r.trials.size() == 1 ? "" : "s", r.duration_seconds);
  if (!interactive_) {
    fmt::print(out_, "{}\n", line);
  } else if (!r.grade.passed) {
    fmt::print(out_, "\r\033[K{}\n", line);  // failures stay on screen above the live line
    line_open_ = false;
  }
  if (interactive_) redraw();
  std::fflush(out_);
}

void ConsoleProgress::close() {
  MutexLock lock(mu_);
  if (interactive_ && line_open_) fmt::print(out_, "\r\033[K");
  line_open_ = false;
  std::fflush(out_);
}

void ConsoleProgress::redraw() {
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  fmt::print(out_, "\r\033[K[{}/{}] {:.1f} s  {}", done_, total_, elapsed, current_);
  line_open_ = true;
  std::fflush(out_);
}

}  // namespace casebook
