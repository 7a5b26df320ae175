// Tests of the C++ highlighter: the same lines come out, escaped, with spans per line.
#include "cpp_highlight.hpp"

#include <gtest/gtest.h>

namespace casebook::reports::html {
namespace {

TEST(CppHighlight, SplitLinesDropsOnlyTheFinalNewline) {
  EXPECT_EQ(split_lines("a\nb\n").size(), 2U);
  EXPECT_EQ(split_lines("a\n\nb").size(), 3U);
  EXPECT_EQ(split_lines("a\r\nb").at(0), "a");
  EXPECT_TRUE(split_lines("").empty());
}

TEST(CppHighlight, KeepsTheLineCountAndEscapes) {
  const auto lines = highlight_cpp("#include <vector>\nif (a < b && c > d) return;\n\n/* x */\n");
  ASSERT_EQ(lines.size(), 4U);
  EXPECT_EQ(lines[0],
            "<span class=\"tok-pp\">#include</span> <span class=\"tok-str\">&lt;vector&gt;</span>");
  EXPECT_EQ(lines[1],
            "<span class=\"tok-kw\">if</span> (a &lt; b &amp;&amp; c &gt; d) <span "
            "class=\"tok-kw\">return</span>;");
  EXPECT_EQ(lines[2], "");
  EXPECT_EQ(lines[3], "<span class=\"tok-com\">/* x */</span>");
}

TEST(CppHighlight, ABlockCommentIsReopenedOnEveryLine) {
  const auto lines = highlight_cpp("int a; /* one\ntwo */ int b;");
  ASSERT_EQ(lines.size(), 2U);
  EXPECT_EQ(lines[0], "<span class=\"tok-ty\">int</span> a; <span class=\"tok-com\">/* one</span>");
  EXPECT_EQ(lines[1], "<span class=\"tok-com\">two */</span> <span class=\"tok-ty\">int</span> b;");
}

TEST(CppHighlight, LiteralsNumbersAndRawStrings) {
  const auto lines = highlight_cpp(
      "auto s = R\"x(a \"quoted\" )\" b)x\"; char c = '\\'';\nlong n = 1'000'000ULL + 0x1p-3;");
  ASSERT_EQ(lines.size(), 2U);
  EXPECT_NE(lines[0].find(
                "<span class=\"tok-str\">R&quot;x(a &quot;quoted&quot; )&quot; b)x&quot;</span>"),
            std::string::npos);
  EXPECT_NE(lines[0].find("<span class=\"tok-str\">&#39;\\&#39;&#39;</span>"), std::string::npos);
  EXPECT_NE(lines[1].find("<span class=\"tok-num\">1&#39;000&#39;000ULL</span>"),
            std::string::npos);
  EXPECT_NE(lines[1].find("<span class=\"tok-num\">0x1p-3</span>"), std::string::npos);
}

TEST(CppHighlight, AnUnterminatedStringEndsAtTheLine) {
  const auto lines = highlight_cpp("f(\"oops);\nreturn 0;");
  ASSERT_EQ(lines.size(), 2U);
  EXPECT_EQ(lines[1], "<span class=\"tok-kw\">return</span> <span class=\"tok-num\">0</span>;");
}

TEST(CppHighlight, Utf8InCodeStaysWhole) {
  const auto lines = highlight_cpp("x = a \xc3\x97 b; // caf\xc3\xa9");
  ASSERT_EQ(lines.size(), 1U);
  EXPECT_NE(lines[0].find("\xc3\x97"), std::string::npos);
  EXPECT_NE(lines[0].find("caf\xc3\xa9"), std::string::npos);
}

}  // namespace
}  // namespace casebook::reports::html
