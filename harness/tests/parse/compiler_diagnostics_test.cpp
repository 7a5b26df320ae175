// Tests of the compiler-diagnostics parser: real clang and gcc output on a refused
// cb::send_record (programs/compile_refused.cpp), and hand-written lines for the edge cases.
#include "parse/compiler_diagnostics.hpp"

#include <gtest/gtest.h>

#include <string>

#include "run_program.hpp"

namespace casebook {
namespace {

const std::string kProbe =
    std::string(CASEBOOK_SOURCE_ROOT) + "/harness/tests/parse/programs/compile_refused.cpp";
const std::string kProbeRelative = "harness/tests/parse/programs/compile_refused.cpp";

std::vector<Diagnostic> compile_probe(const std::string& compiler) {
  const auto out =
      testing::run_program(compiler, {}, false,
                           {"-std=c++20", "-fsyntax-only",
                            "-I" + std::string(CASEBOOK_SOURCE_ROOT) + "/harness/include", kProbe});
  EXPECT_NE(out.exit_code, 0) << compiler << " accepted the probe";
  return parse_compiler_diagnostics(out.stderr_text, CASEBOOK_SOURCE_ROOT);
}

// Both compilers: one error carrying the static_assert's message at the check in
// crossing.hpp, and the probe's own refused line among the notes.
void expect_refusal(const std::vector<Diagnostic>& diagnostics) {
  const int refused_line = testing::marker_line(kProbe, "REFUSED-HERE");
  bool error_seen = false, probe_line_seen = false;
  for (const auto& d : diagnostics) {
    if (d.severity == "error") {
      error_seen = true;
      EXPECT_EQ(d.file, "harness/include/casebook/crossing.hpp");
      EXPECT_GT(d.line, 0);
      EXPECT_NE(d.message.find("cannot cross a process boundary"), std::string::npos) << d.message;
    }
    if (d.file == kProbeRelative && d.line == refused_line) probe_line_seen = true;
  }
  EXPECT_TRUE(error_seen);
  EXPECT_TRUE(probe_line_seen) << "no diagnostic at " << kProbeRelative << ":" << refused_line;
}

TEST(CompilerDiagnostics, RealClangRefusal) {
  if (std::string(CASEBOOK_CLANGXX).empty()) GTEST_SKIP() << "clang++ not found at configure time";
  expect_refusal(compile_probe(CASEBOOK_CLANGXX));
}

TEST(CompilerDiagnostics, RealGccRefusal) {
  if (std::string(CASEBOOK_GXX).empty()) GTEST_SKIP() << "g++ not found at configure time";
  expect_refusal(compile_probe(CASEBOOK_GXX));
}

TEST(CompilerDiagnostics, ReadsEveryShape) {
  const auto d = parse_compiler_diagnostics(
      "In file included from /src/cases/x/p.cpp:6:\n"
      "/src/h.hpp: In instantiation of 'constexpr void cb::f() [with T = a::b]':\n"
      "/src/cases/x/p.cpp:12:17:   required from here\n"
      "/src/h.hpp:37:17: error: static assertion failed: no\n"
      "   37 |   static_assert(x, \"no\");\n"
      "      |                 ^\n"
      "/src/h.hpp:9: warning: line without column\n"
      "/src/h.hpp:40:2: fatal error: 'missing.hpp' file not found\n"
      "1 error generated.\n",
      "/src");
  ASSERT_EQ(d.size(), 4u);
  EXPECT_EQ(d[0].file, "cases/x/p.cpp");
  EXPECT_EQ(d[0].line, 12);
  EXPECT_EQ(d[0].column, 17);
  EXPECT_EQ(d[0].severity, "note");
  EXPECT_EQ(d[0].message, "required from here");
  EXPECT_EQ(d[1].severity, "error");
  EXPECT_EQ(d[1].message, "static assertion failed: no");
  EXPECT_EQ(d[2].severity, "warning");
  EXPECT_EQ(d[2].line, 9);
  EXPECT_EQ(d[2].column, 0);
  EXPECT_EQ(d[3].severity, "fatal error");
}

// A line or column is digits: in "p.cpp:-3:25:" (found by the fuzz target,
// tests/fuzz/regressions/compiler_diagnostics) -3 is no line number.
TEST(CompilerDiagnostics, ANegativeNumberIsNoLine) {
  const auto d = parse_compiler_diagnostics("/src/p.cpp:-3:25:   required from here\n", "/src");
  for (const auto& diagnostic : d) {
    EXPECT_GT(diagnostic.line, 0) << diagnostic.file;
    EXPECT_GE(diagnostic.column, 0) << diagnostic.file;
  }
}

TEST(CompilerDiagnostics, TextWithoutDiagnosticsGivesNone) {
  EXPECT_TRUE(parse_compiler_diagnostics("", "/src").empty());
  EXPECT_TRUE(
      parse_compiler_diagnostics("1 error generated.\nsee: http://x:80/\n", "/src").empty());
}

}  // namespace
}  // namespace casebook
