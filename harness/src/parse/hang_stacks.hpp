// hang_stacks.hpp - the stacks of a hung trial, whichever tool took them.
//
// The watchdog's evidence (process/stack_capture.hpp) is eu-stack's output, or gdb's where
// eu-stack is missing or could not give the program's source lines; for a trial that forked,
// one such block per process, each after a "Process <pid> (<command>)..." line. This reads
// each block with the parser of the tool that printed it.
#pragma once

#include <string_view>
#include <vector>

#include "parse/finding.hpp"

namespace casebook {

// Every thread's Stack of every process in `text`, in the order printed: eu-stack's blocks
// (a "TID N:" header) through parse_eu_stack, others through parse_gdb_backtrace.
std::vector<Stack> parse_hang_stacks(std::string_view text, std::string_view source_root);

}  // namespace casebook
