// Tests of the README renderer (md4c underneath): the constructs the cases' READMEs use, as
// GitHub renders them, and that nothing in a README can become markup, a script or a network
// load.
#include "markdown.hpp"

#include <gtest/gtest.h>

namespace casebook::reports::html {
namespace {

TEST(Markdown, HeadingsShiftByTheOffset) {
  MarkdownOptions options;
  options.heading_offset = 2;
  EXPECT_EQ(markdown_to_html("# Title\n## The fix ##\n", options),
            "<h3>Title</h3>\n<h4>The fix</h4>\n");
  EXPECT_EQ(markdown_to_html("#hashtag"), "<p>#hashtag</p>\n");
}

TEST(Markdown, ParagraphsJoinTheirLines) {
  EXPECT_EQ(markdown_to_html("one\ntwo\n\nthree"), "<p>one\ntwo</p>\n<p>three</p>\n");
}

TEST(Markdown, InlineCodeEmphasisAndStrong) {
  EXPECT_EQ(markdown_inline("`a < b` and *em* and **strong** and ***both***"),
            "<code>a &lt; b</code> and <em>em</em> and <strong>strong</strong> and "
            "<em><strong>both</strong></em>");
  EXPECT_EQ(markdown_inline("``a ` b``"), "<code>a ` b</code>");
}

TEST(Markdown, SnakeCaseAndLoneStarsStayLiteral) {
  EXPECT_EQ(markdown_inline("unlocked_counter and lock_order_deadlock"),
            "unlocked_counter and lock_order_deadlock");
  EXPECT_EQ(markdown_inline("threads * iterations"), "threads * iterations");
  EXPECT_EQ(markdown_inline("_em_ here"), "<em>em</em> here");
}

TEST(Markdown, LinksAreResolvedOrDropped) {
  EXPECT_EQ(markdown_inline("[doc](https://example.org/a_(b))"),
            "<a href=\"https://example.org/a_(b)\">doc</a>");
  EXPECT_EQ(markdown_inline("[other](../forgotten_join/README.md)"),
            "<span class=\"md-link\" title=\"../forgotten_join/README.md\">other</span>");
  EXPECT_EQ(markdown_inline("[x](javascript:alert(1))"),
            "<span class=\"md-link\" title=\"javascript:alert(1)\">x</span>");
  MarkdownOptions options;
  options.resolve_link = [](std::string_view url) {
    return url == "a.md" ? std::string("#case-a") : std::string();
  };
  EXPECT_EQ(markdown_inline("see [**a**](a.md)", options),
            "see <a href=\"#case-a\"><strong>a</strong></a>");
  EXPECT_EQ(markdown_inline("[not a link] (x)"), "[not a link] (x)");
}

TEST(Markdown, ImagesAreNeverLoaded) {
  EXPECT_EQ(markdown_inline("![chart](https://example.org/x.png)"),
            "<span class=\"md-image\">[image: chart]</span>");
}

TEST(Markdown, RawHtmlIsText) {
  EXPECT_EQ(markdown_to_html("<script>alert(1)</script>\n"),
            "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n");
  EXPECT_EQ(markdown_inline("a <b onclick=\"x()\">bold</b> &amp; &copy;"),
            "a &lt;b onclick=&quot;x()&quot;&gt;bold&lt;/b&gt; &amp; &copy;");
}

TEST(Markdown, HeadingsStopAtLevelSix) {
  MarkdownOptions options;
  options.heading_offset = 3;
  EXPECT_EQ(markdown_to_html("#### deep\n", options), "<h6>deep</h6>\n");
}

TEST(Markdown, GitHubExtensions) {
  EXPECT_EQ(markdown_inline("~~gone~~ and https://example.org/x"),
            "<del>gone</del> and <a href=\"https://example.org/x\">https://example.org/x</a>");
  EXPECT_EQ(markdown_to_html("- [x] done\n- [ ] to do\n"),
            "<ul>\n<li>[x] done</li>\n<li>[ ] to do</li>\n</ul>\n");
}

TEST(Markdown, ListsNestAndContinue) {
  EXPECT_EQ(markdown_to_html("- one\n  more\n- two\n  - inner\n\n3. x\n4. y\n"),
            "<ul>\n<li>one\nmore</li>\n<li>two\n<ul>\n<li>inner</li>\n</ul>\n</li>\n</ul>\n"
            "<ol start=\"3\">\n<li>x</li>\n<li>y</li>\n</ol>\n");
  // A blank line between items makes the list loose, as on GitHub: each item a paragraph.
  EXPECT_EQ(markdown_to_html("- a\n\n- b\n"),
            "<ul>\n<li><p>a</p>\n</li>\n<li><p>b</p>\n</li>\n</ul>\n");
}

TEST(Markdown, ListItemsHoldCodeBlocks) {
  const std::string html = markdown_to_html("1. run:\n\n   ```\n   make\n   ```\n2. done\n");
  EXPECT_EQ(html,
            "<ol>\n<li><p>run:</p>\n<pre "
            "class=\"md-code\"><code>make</code></pre>\n</li>\n<li><p>done</p>\n</li>\n</ol>\n");
}

TEST(Markdown, TablesWithAlignmentAndPipesInCode) {
  EXPECT_EQ(markdown_to_html("| a | b |\n|---|--:|\n| `x|y` | **2** |\n| only |\n"),
            "<div class=\"md-table\"><table>\n<thead><tr><th>a</th><th "
            "style=\"text-align:right\">b</th></tr></thead>\n"
            "<tbody>\n<tr><td><code>x|y</code></td><td "
            "style=\"text-align:right\"><strong>2</strong></td></tr>\n"
            "<tr><td>only</td><td style=\"text-align:right\"></td></tr>\n</tbody></table></div>\n");
}

TEST(Markdown, FencedCodeIsHighlightedForCpp) {
  EXPECT_EQ(markdown_to_html("```cpp\nint x = 1; // <one>\n```\n"),
            "<pre class=\"md-code\"><code class=\"lang-cpp\"><span class=\"tok-ty\">int</span> x = "
            "<span class=\"tok-num\">1</span>; <span class=\"tok-com\">// "
            "&lt;one&gt;</span></code></pre>\n");
  EXPECT_EQ(markdown_to_html("```\n# not a heading\n<b>\n```\n"),
            "<pre class=\"md-code\"><code># not a heading\n&lt;b&gt;</code></pre>\n");
}

TEST(Markdown, QuotesAndRules) {
  EXPECT_EQ(markdown_to_html("> quoted *text*\n\n---\n"),
            "<blockquote>\n<p>quoted <em>text</em></p>\n</blockquote>\n<hr>\n");
}

TEST(Markdown, SplitSectionsCutsAtLevelTwoOutsideCode) {
  const auto sections =
      split_sections("# t\nlead\n## The bug\nb\n```\n## not a cut\n```\n## The fix\nf\n");
  ASSERT_EQ(sections.size(), 3U);
  EXPECT_EQ(sections[0].heading, "");
  EXPECT_EQ(sections[0].body, "# t\nlead\n");
  EXPECT_EQ(sections[1].heading, "The bug");
  EXPECT_EQ(sections[1].body, "b\n```\n## not a cut\n```\n");
  EXPECT_EQ(sections[2].heading, "The fix");
  EXPECT_EQ(sections[2].body, "f\n");
}

}  // namespace
}  // namespace casebook::reports::html
