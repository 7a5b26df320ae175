// program_path.hpp - finding a program the way execvp() will: by PATH.
//
// casebook starts some tools by name (valgrind under Helgrind and DRD, the compilers of
// standalone programs); a machine without one must hear so before a trial fails on it.
#pragma once

#include <string>

namespace casebook {

// The path of the executable `name` on PATH (/usr/bin:/bin when PATH is unset), or "". A
// name with a slash is checked as it is.
std::string find_program(const std::string& name);

}  // namespace casebook
