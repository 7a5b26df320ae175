// finished_process.hpp - the ProcessResult of a trial that ran and exited 0, for detector unit
// tests that feed a detector's read() a finished trial without running one.
#pragma once

#include "process/process.hpp"

namespace casebook::test {

inline ProcessResult exited_ok() {
  ProcessResult p;
  p.started = true;
  p.exited = true;
  p.exit_code = 0;
  return p;
}

}  // namespace casebook::test
