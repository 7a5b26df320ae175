// run_program.hpp - test-only helper: run one of the buggy programs with sanitizer options and
// collect what it wrote. Deliberately independent of the runner (harness/src/process), which
// the parsers must not depend on.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace casebook::testing {

struct ProgramOutput {
  int exit_code = -1;  // -1 when killed by a signal
  std::string stdout_text;
  std::string stderr_text;
  std::string log_text;  // all "<dir>/log.*" files (sanitizer log_path), concatenated
};

// Runs `program` with `args` and with `env` added to the environment. Each value and each
// argument may contain "@LOG@", which is replaced by a log_path prefix in a fresh temporary
// directory (Valgrind takes it as --xml-file=@LOG@.%p); files that prefix produced are read
// back into log_text. With merge_output, stderr goes to the same file as stdout
// (both end up in stdout_text, interleaved as written). Blocks until the program exits.
ProgramOutput run_program(const std::string& program,
                          const std::vector<std::pair<std::string, std::string>>& env,
                          bool merge_output = false, const std::vector<std::string>& args = {});

// Keeps `text`, real output of a tool that a test produced, as a seed for the parsers' fuzz
// targets (tests/fuzz): written to $CASEBOOK_FUZZ_SEEDS/<name> when that variable names a
// folder (ctest sets it), else nothing. Empty text is not kept. run_program keeps everything
// it collects this way.
void keep_as_fuzz_seed(const std::string& name, const std::string& text);

// 1-based number of the first line of `file` that contains `marker`; 0 when none does.
int marker_line(const std::string& file, const std::string& marker);

}  // namespace casebook::testing
