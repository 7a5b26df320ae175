// markdown.hpp - the cases' README.md files as HTML fragments of the report.
//
// md4c parses them as GitHub does (CommonMark with tables, strikethrough, task lists and
// autolinks); raw HTML in a README comes out as escaped text, never as markup, because a README
// is data and the page must not run anything from it. Images are shown as their text, never
// loaded. Fenced C++ code blocks are highlighted. Pure functions, no state.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace casebook::reports::html {

struct MarkdownOptions {
  // '#' renders as <h{1 + heading_offset}>, capped at <h6>: a README's title sits below the
  // headings of the page that embeds it.
  int heading_offset = 0;
  // Maps a link target to the href to emit, or "" to render the link text without a link.
  // When unset, only http(s):, mailto: and in-page (#...) targets become links: a relative
  // path means nothing once the README is inside a report somewhere else.
  std::function<std::string(std::string_view url)> resolve_link;
};

// Renders a Markdown document to an HTML fragment.
std::string markdown_to_html(std::string_view markdown, const MarkdownOptions& options = {});

// Renders one line of inline Markdown (code, links, emphasis) to an HTML fragment.
std::string markdown_inline(std::string_view text, const MarkdownOptions& options = {});

// A README cut at its level-2 headings ("## The fix"): the part before the first one has an
// empty heading. Headings inside fenced code blocks do not cut.
struct MarkdownSection {
  std::string heading;  // the heading's text, without the "## "
  std::string body;     // the Markdown up to the next level-2 heading, heading line excluded
};
std::vector<MarkdownSection> split_sections(std::string_view markdown);

}  // namespace casebook::reports::html
