// Unit tests of the progress display: plain lines for logs, one rewritten line on a terminal
// with failures kept above it, and no torn lines when workers report at once.
#include "cli/progress.hpp"

#include <gtest/gtest.h>
#include <stdio_ext.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace casebook {
namespace {

// Captures what a ConsoleProgress writes, through a real FILE*.
class Captured {
 public:
  Captured() : file_(std::tmpfile()) {}
  ~Captured() { std::fclose(file_); }
  std::FILE* file() { return file_; }
  std::string text() {
    std::fflush(file_);
    std::rewind(file_);
    std::string out;
    char buf[4096];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, file_)) > 0) out.append(buf, n);
    return out;
  }

 private:
  std::FILE* file_;
};

// A FILE* with stdio's own locking turned off (FSETLOCKING_BYCALLER) and no buffer, so every
// write of the progress display reaches write() at once and nothing but ConsoleProgress's own
// mutex keeps two workers' writes apart. write() holds each call open for a moment and notes
// any call that starts while another is still in it: with the mutex gone, the concurrent test
// below sees overlapping writes (stdio's lock would hide that with an ordinary FILE*).
class OverlapCheckingFile {
 public:
  OverlapCheckingFile() {
    cookie_io_functions_t io{};
    io.write = &OverlapCheckingFile::write;
    file_ = fopencookie(this, "w", io);
    __fsetlocking(file_, FSETLOCKING_BYCALLER);
    std::setvbuf(file_, nullptr, _IONBF, 0);
  }
  ~OverlapCheckingFile() { std::fclose(file_); }
  std::FILE* file() { return file_; }
  bool overlapped() const { return overlapped_.load(); }
  std::string text() {
    std::lock_guard<std::mutex> lock(text_mu_);
    return text_;
  }

 private:
  static ssize_t write(void* cookie, const char* buf, size_t size) {
    auto* self = static_cast<OverlapCheckingFile*>(cookie);
    if (self->in_write_.fetch_add(1) != 0) self->overlapped_.store(true);
    std::this_thread::sleep_for(std::chrono::microseconds(50));
    {
      std::lock_guard<std::mutex> lock(self->text_mu_);
      self->text_.append(buf, size);
    }
    self->in_write_.fetch_sub(1);
    return static_cast<ssize_t>(size);
  }

  std::FILE* file_;
  std::atomic<int> in_write_{0};
  std::atomic<bool> overlapped_{false};
  std::mutex text_mu_;
  std::string text_;
};

VerdictRecord record(const std::string& case_name, bool passed) {
  VerdictRecord r;
  r.variant.case_name = case_name;
  r.variant.variant = "broken";
  r.detector = "tsan";
  r.grade.verdict = passed ? Verdict::detected : Verdict::missed;
  r.grade.passed = passed;
  r.trials.resize(passed ? 1 : 5);
  return r;
}

int count(const std::string& text, const std::string& what) {
  int n = 0;
  for (auto pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + 1)) ++n;
  return n;
}

TEST(ConsoleProgress, PlainModeWritesOneLinePerFinishedPair) {
  Captured out;
  ConsoleProgress p(out.file(), /*interactive=*/false);
  p.started(record("a", true).variant, "tsan");
  p.finished(record("a", true), 1, 2);
  p.finished(record("b", false), 2, 2);
  p.close();
  const std::string text = out.text();
  EXPECT_EQ(text,
            "[1/2] PASS a/broken tsan: detected (1 trial, 0.0 s)\n"
            "[2/2] FAIL b/broken tsan: missed (5 trials, 0.0 s)\n");
  EXPECT_EQ(text.find('\r'), std::string::npos) << "no cursor tricks in logs";
}

// The progress line names a false positive as every report does (reports/writing/
// verdict_words.hpp): a declared known one that passed reads known-false-positive.
TEST(ConsoleProgress, APassingKnownFalsePositiveIsNamedAsTheReportsNameIt) {
  Captured out;
  ConsoleProgress p(out.file(), /*interactive=*/false);
  VerdictRecord known = record("a", true);
  known.variant.variant = "fixed";
  known.expected.want = Want::false_positive;
  known.expected.kinds = {"unlocked-signal"};
  known.grade.verdict = Verdict::false_positive;
  VerdictRecord unexpected = record("b", false);
  unexpected.variant.variant = "fixed";
  unexpected.expected.want = Want::clean;
  unexpected.grade.verdict = Verdict::false_positive;
  p.finished(known, 1, 2);
  p.finished(unexpected, 2, 2);
  p.close();
  EXPECT_EQ(out.text(),
            "[1/2] PASS a/fixed tsan: known-false-positive (1 trial, 0.0 s)\n"
            "[2/2] FAIL b/fixed tsan: false-positive (5 trials, 0.0 s)\n");
}

TEST(ConsoleProgress, InteractiveModeRewritesOneLineAndKeepsFailures) {
  Captured out;
  ConsoleProgress p(out.file(), /*interactive=*/true);
  p.started(record("a", true).variant, "tsan");
  p.finished(record("a", true), 1, 2);
  p.finished(record("b", false), 2, 2);
  p.close();
  const std::string text = out.text();
  EXPECT_EQ(count(text, "PASS"), 0) << "passes only update the live line";
  EXPECT_EQ(count(text, "FAIL b/broken tsan: missed"), 1);
  EXPECT_GE(count(text, "\r\033[K"), 3);
  EXPECT_NE(text.find("[2/2]"), std::string::npos);
  EXPECT_EQ(text.substr(text.size() - 4), "\r\033[K") << "close() clears the live line";
}

TEST(ConsoleProgress, ConcurrentReportsNeverTearALine) {
  OverlapCheckingFile out;
  ConsoleProgress p(out.file(), /*interactive=*/false);
  std::vector<std::thread> workers;
  for (int t = 0; t < 4; ++t) {
    workers.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) p.finished(record("case" + std::to_string(t), true), i, 200);
    });
  }
  for (auto& w : workers) w.join();
  EXPECT_FALSE(out.overlapped()) << "two workers wrote to the console at the same time";
  const std::string text = out.text();
  EXPECT_EQ(count(text, "\n"), 200);
  std::size_t start = 0;
  for (std::size_t nl = text.find('\n'); nl != std::string::npos; nl = text.find('\n', start)) {
    const std::string line = text.substr(start, nl - start);
    EXPECT_EQ(line.rfind("[", 0), 0u) << line;
    EXPECT_NE(line.find("tsan: detected (1 trial"), std::string::npos) << line;
    start = nl + 1;
  }
}

// On a terminal a failure is two writes (the failure's line, then the live line redrawn) and a
// start is one; a worker's writes must not land inside another's.
TEST(ConsoleProgress, ConcurrentStartsAndFailuresOnATerminalNeverOverlap) {
  OverlapCheckingFile out;
  ConsoleProgress p(out.file(), /*interactive=*/true);
  std::vector<std::thread> workers;
  for (int t = 0; t < 4; ++t) {
    workers.emplace_back([&, t] {
      const VerdictRecord failed = record("case" + std::to_string(t), false);
      for (int i = 0; i < 30; ++i) {
        p.started(failed.variant, failed.detector);
        p.finished(failed, i, 120);
      }
    });
  }
  for (auto& w : workers) w.join();
  p.close();
  EXPECT_FALSE(out.overlapped()) << "two workers wrote to the console at the same time";
  const std::string text = out.text();
  EXPECT_EQ(count(text, "FAIL "), 120) << "every failure stays on screen";
}

}  // namespace
}  // namespace casebook
