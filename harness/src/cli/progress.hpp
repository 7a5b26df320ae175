// progress.hpp - what a person watching `casebook run` sees while it works.
//
// On a terminal: one line, rewritten in place (done/total, the pair last started, elapsed),
// with failures printed above it as they happen. Otherwise (CI logs, pipes): one plain line
// per finished pair. Written to stderr so stdout stays the summary. Thread-safe: worker
// threads report through it concurrently.
#pragma once

#include <chrono>
#include <cstdio>
#include <string>

#include "common/mutex.hpp"
#include "suite/suite.hpp"

namespace casebook {

class ConsoleProgress final : public ProgressSink {
 public:
  // interactive: rewrite one line in place (true for a TTY).
  ConsoleProgress(std::FILE* out, bool interactive);

  void started(const VariantDecl& variant, std::string_view detector) override CB_EXCLUDES(mu_);
  void finished(const VerdictRecord& record, int done, int total) override CB_EXCLUDES(mu_);
  // Clears the in-place line so the final output starts on a clean line.
  void close() CB_EXCLUDES(mu_);

 private:
  void redraw() CB_REQUIRES(mu_);

  std::FILE* const out_;
  const bool interactive_;
  const std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  Mutex mu_;
  int done_ CB_GUARDED_BY(mu_) = 0;
  int total_ CB_GUARDED_BY(mu_) = 0;
  std::string current_ CB_GUARDED_BY(mu_);
  bool line_open_ CB_GUARDED_BY(mu_) = false;
};

}  // namespace casebook
