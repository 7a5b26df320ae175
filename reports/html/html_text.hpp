// html_text.hpp - text hygiene and small formatting helpers shared by the HTML report's parts.
//
// Everything that reaches the page from results.json passes through escape(): the file holds
// program output (sanitizer reports, gdb stacks, stderr tails) and user-written READMEs, so any
// of it may contain markup, ANSI colour codes, control characters or broken UTF-8.
#pragma once

#include <string>
#include <string_view>

namespace casebook::reports::html {

// Text for element content or a double-quoted attribute value: ANSI codes stripped, control
// characters dropped, invalid UTF-8 replaced (reports/writing/text.hpp), then & < > " ' escaped.
std::string escape(std::string_view text);

// A fragment safe in an id attribute and in a URL fragment: [A-Za-z0-9_-] kept, others '_'.
std::string id_part(std::string_view text);

// The anchor id of one source line as shown in a case's section, e.g.
// line_anchor("unlocked_counter", "broken.cpp", 33) == "L-unlocked_counter-broken_cpp-33".
std::string line_anchor(std::string_view case_name, std::string_view file, long line);

// The anchor id of a case's section: "case-<name>".
std::string case_anchor(std::string_view case_name);

// A duration for people: "0.31 s", "7.8 s", "2 min 05 s"; "-" for a negative value.
std::string format_seconds(double seconds);

// A measured value with about four significant digits and no exponent: "293.3", "0.008695".
std::string format_number(double value);

}  // namespace casebook::reports::html
