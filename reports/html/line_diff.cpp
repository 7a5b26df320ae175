// line_diff.cpp - LCS line alignment (see line_diff.hpp).
#include "line_diff.hpp"

#include <algorithm>
#include <cstddef>
#include <string_view>

namespace casebook::reports::html {
namespace {

std::string_view trim_right(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

bool same_line(const std::string& a, const std::string& b) {
  return trim_right(a) == trim_right(b);
}

// Emits one hunk of removed lines [l0, l1) and added lines [r0, r1): pairs them up in order as
// changed rows, so a line rewritten in place sits beside its replacement.
void emit_hunk(std::vector<DiffRow>& rows, int l0, int l1, int r0, int r1) {
  while (l0 < l1 && r0 < r1) rows.push_back({DiffOp::changed, l0++, r0++});
  while (l0 < l1) rows.push_back({DiffOp::removed, l0++, -1});
  while (r0 < r1) rows.push_back({DiffOp::added, -1, r0++});
}

constexpr std::size_t kMaxCells = std::size_t{16} << 20;

}  // namespace

std::vector<DiffRow> diff_lines(const std::vector<std::string>& left,
                                const std::vector<std::string>& right) {
  const int n = static_cast<int>(left.size());
  const int m = static_cast<int>(right.size());
  std::vector<DiffRow> rows;
  rows.reserve(static_cast<std::size_t>(std::max(n, m)) + 8);

  // The common prefix and suffix need no table; most pairs share their includes and tail.
  int prefix = 0;
  while (prefix < n && prefix < m && same_line(left[prefix], right[prefix])) ++prefix;
  int suffix = 0;
  while (suffix < n - prefix && suffix < m - prefix &&
         same_line(left[n - 1 - suffix], right[m - 1 - suffix])) {
    ++suffix;
  }
  for (int i = 0; i < prefix; ++i) rows.push_back({DiffOp::same, i, i});

  const int a = n - prefix - suffix;  // middle lengths
  const int b = m - prefix - suffix;
  const auto width = static_cast<std::size_t>(b) + 1;
  if (static_cast<std::size_t>(a + 1) * width > kMaxCells) {
    emit_hunk(rows, prefix, prefix + a, prefix, prefix + b);
  } else {
    // lcs[i][j]: length of the LCS of left-middle[i..] and right-middle[j..].
    std::vector<int> lcs(static_cast<std::size_t>(a + 1) * width, 0);
    auto at = [&](int i, int j) -> int& {
      return lcs[static_cast<std::size_t>(i) * width + static_cast<std::size_t>(j)];
    };
    for (int i = a - 1; i >= 0; --i) {
      for (int j = b - 1; j >= 0; --j) {
        at(i, j) = same_line(left[prefix + i], right[prefix + j])
                       ? at(i + 1, j + 1) + 1
                       : std::max(at(i + 1, j), at(i, j + 1));
      }
    }
    int i = 0, j = 0, hunk_i = 0, hunk_j = 0;
    while (i < a || j < b) {
      if (i < a && j < b && same_line(left[prefix + i], right[prefix + j])) {
        emit_hunk(rows, prefix + hunk_i, prefix + i, prefix + hunk_j, prefix + j);
        rows.push_back({DiffOp::same, prefix + i, prefix + j});
        hunk_i = ++i;
        hunk_j = ++j;
      } else if (j < b && (i == a || at(i, j + 1) >= at(i + 1, j))) {
        ++j;
      } else {
        ++i;
      }
    }
    emit_hunk(rows, prefix + hunk_i, prefix + a, prefix + hunk_j, prefix + b);
  }
  for (int k = suffix; k > 0; --k) rows.push_back({DiffOp::same, n - k, m - k});
  return rows;
}

}  // namespace casebook::reports::html
