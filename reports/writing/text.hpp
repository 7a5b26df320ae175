// text.hpp - text hygiene shared by the report writers.
#pragma once

#include <string>
#include <string_view>

namespace casebook::reports {

// Removes ANSI escape sequences (colour codes from sanitizers and compilers).
std::string strip_ansi(std::string_view text);

// Drops characters XML 1.0 cannot carry (C0 controls other than tab, newline, carriage return)
// and replaces invalid UTF-8 bytes with U+FFFD, so any child output becomes a valid document.
std::string xml_safe(std::string_view text);

}  // namespace casebook::reports
