// Tests of the LCS line diff behind the side-by-side view.
#include "line_diff.hpp"

#include <gtest/gtest.h>

namespace casebook::reports::html {
namespace {

std::string ops(const std::vector<DiffRow>& rows) {
  std::string out;
  for (const DiffRow& r : rows) {
    out += r.op == DiffOp::same      ? '='
           : r.op == DiffOp::changed ? '~'
           : r.op == DiffOp::removed ? '-'
                                     : '+';
  }
  return out;
}

TEST(LineDiff, IdenticalFilesAreAllSame) {
  const std::vector<std::string> a = {"a", "b", "c"};
  const auto rows = diff_lines(a, a);
  EXPECT_EQ(ops(rows), "===");
  EXPECT_EQ(rows[2].left, 2);
  EXPECT_EQ(rows[2].right, 2);
}

TEST(LineDiff, AnAddedLineIsAnAddedRowNotAShift) {
  const auto rows = diff_lines({"int x;", "f();", "}"}, {"int x;", "lock();", "f();", "}"});
  EXPECT_EQ(ops(rows), "=+==");
  EXPECT_EQ(rows[1].left, -1);
  EXPECT_EQ(rows[1].right, 1);
  EXPECT_EQ(rows[2].left, 1);
  EXPECT_EQ(rows[2].right, 2);
}

TEST(LineDiff, ARewrittenLineSitsBesideItsReplacement) {
  const auto rows =
      diff_lines({"a", "counter.write(seen + 1);", "b"}, {"a", "counter.fetch_add(1);", "b"});
  EXPECT_EQ(ops(rows), "=~=");
  EXPECT_EQ(rows[1].left, 1);
  EXPECT_EQ(rows[1].right, 1);
}

TEST(LineDiff, UnevenHunksPairThenSpill) {
  EXPECT_EQ(ops(diff_lines({"a", "x", "y", "z", "b"}, {"a", "q", "b"})), "=~--=");
  EXPECT_EQ(ops(diff_lines({"a", "b"}, {"c", "d", "e"})), "~~+");
  EXPECT_EQ(ops(diff_lines({}, {"a"})), "+");
  EXPECT_EQ(ops(diff_lines({"a"}, {})), "-");
}

TEST(LineDiff, TrailingWhitespaceDoesNotDiffer) {
  EXPECT_EQ(ops(diff_lines({"a  ", "b\t"}, {"a", "b"})), "==");
}

TEST(LineDiff, EveryLineAppearsOnceInOrder) {
  const std::vector<std::string> a = {"1", "2", "3", "4", "5", "6", "7"};
  const std::vector<std::string> b = {"0", "2", "3", "x", "5", "7", "8"};
  int next_left = 0, next_right = 0;
  for (const DiffRow& r : diff_lines(a, b)) {
    if (r.left >= 0) {
      EXPECT_EQ(r.left, next_left++);
    }
    if (r.right >= 0) {
      EXPECT_EQ(r.right, next_right++);
    }
    if (r.op == DiffOp::same) {
      EXPECT_EQ(a[static_cast<std::size_t>(r.left)], b[static_cast<std::size_t>(r.right)]);
    }
  }
  EXPECT_EQ(next_left, 7);
  EXPECT_EQ(next_right, 7);
}

}  // namespace
}  // namespace casebook::reports::html
