// Unit tests of the bug-marker reader (catalog/bug_markers.hpp).
#include "catalog/bug_markers.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

namespace casebook {
namespace {

TEST(BugMarkers, TrailingMarkerMarksItsOwnLine) {
  const std::string text =
      "int a = 0;\n"
      "a = a + 1;  // casebook-bug: the lost update\n"
      "return a;\n";
  EXPECT_EQ(bug_marker_lines(text), std::vector<int>{2});
}

TEST(BugMarkers, StandaloneMarkerMarksTheNextLineWithCode) {
  const std::string text =
      "void f() {\n"
      "  // casebook-bug: the second lock, taken in the other order\n"
      "  // (the comment goes on)\n"
      "\n"
      "  std::lock_guard second(b);\n"
      "}\n";
  EXPECT_EQ(bug_marker_lines(text), std::vector<int>{5});
}

TEST(BugMarkers, BlockCommentLinesAreSkippedButADereferenceIsCode) {
  const std::string text =
      "// casebook-bug: the store through the stale pointer\n"
      "/* a block comment\n"
      " * goes on\n"
      " */\n"
      "*p = 42;\n";
  EXPECT_EQ(bug_marker_lines(text), std::vector<int>{5});
}

TEST(BugMarkers, SeveralMarkersAreSortedAndDeduplicated) {
  const std::string text =
      "x.write(1);  // casebook-bug\n"
      "// casebook-bug\n"
      "y.write(2);  // casebook-bug: same line twice\n"
      "z.read();\n";
  EXPECT_EQ(bug_marker_lines(text), (std::vector<int>{1, 3}));
}

TEST(BugMarkers, TheWordOutsideACommentOrWithoutAMarkerIsNotAMarker) {
  const std::string text =
      "const char* s = \"casebook-bug\";\n"
      "// an ordinary comment\n"
      "int casebook = 1;\n";
  EXPECT_TRUE(bug_marker_lines(text).empty());
}

TEST(BugMarkers, AStandaloneMarkerAtTheEndMarksNothing) {
  EXPECT_TRUE(bug_marker_lines("int a;\n// casebook-bug\n").empty());
  EXPECT_TRUE(bug_marker_lines("").empty());
}

TEST(BugMarkers, ReadsAFileAndGivesNothingForAMissingOne) {
  const std::string path = ::testing::TempDir() + "/bug_markers_test.cpp";
  {
    std::ofstream out(path);
    out << "a();\nb();  // casebook-bug\n";
  }
  EXPECT_EQ(read_bug_marker_lines(path), std::vector<int>{2});
  std::remove(path.c_str());
  EXPECT_TRUE(read_bug_marker_lines(path).empty());
}

}  // namespace
}  // namespace casebook
