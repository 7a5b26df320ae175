// cpp_highlight.hpp - a small C++ syntax highlighter for the report's source views.
//
// It is a lexer, not a parser: comments, string and character literals (raw strings
// included), numbers, preprocessor directives and keywords get a class; everything else is
// plain text. That is what a reader needs to scan a case quickly, and it cannot fail: any
// input produces escaped output with the same lines.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace casebook::reports::html {

// Splits text into lines on '\n' (a trailing '\r' is dropped). A final newline does not start
// an extra empty line; empty text has no lines.
std::vector<std::string> split_lines(std::string_view text);

// One escaped HTML fragment per line of `source` (same count as split_lines), with tokens
// wrapped in <span class="tok-com|tok-str|tok-num|tok-kw|tok-ty|tok-pp">. A span never crosses
// a line, so each line can stand alone in a table cell.
std::vector<std::string> highlight_cpp(std::string_view source);

}  // namespace casebook::reports::html
