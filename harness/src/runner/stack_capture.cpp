// stack_capture.cpp - gdb in batch mode, run through run_process like any other child.
#include "runner/stack_capture.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "runner/proc_table.hpp"
#include "runner/process.hpp"

namespace casebook {

std::string capture_thread_stacks(pid_t pid, std::chrono::milliseconds timeout) {
  ProcessSpec spec;
  spec.argv = {"gdb",
               "-batch",
               "-nx",
               "-p",
               std::to_string(pid),
               "-ex",
               "set pagination off",
               "-ex",
               "thread apply all bt"};
  // No debuginfod downloads (slow, and nothing is fetched from elsewhere); plain C messages.
  spec.env = {{"DEBUGINFOD_URLS", ""}, {"LC_ALL", "C"}};
  spec.timeout = timeout;
  // gdb detaches on SIGTERM; if it must be killed, the kernel detaches the target anyway.
  spec.term_grace = std::chrono::milliseconds(1000);
  spec.output_cap = 4 << 20;
  // gdb itself has no watchdog: a timeout here must not recurse into another capture.
  spec.on_timeout = nullptr;

  ProcessResult gdb = run_process(spec);
  if (!gdb.started) {
    if (gdb.start_error.find(std::strerror(ENOENT)) != std::string::npos) {
      return "gdb not found: install the gdb package to get stacks of hung processes\n";
    }
    return "gdb could not start: " + gdb.start_error + "\n";
  }

  std::string text = std::move(gdb.stdout_text);
  if (gdb.stdout_truncated) text += "\n[gdb output truncated]\n";
  if (gdb.timed_out) {
    text += "\n[gdb " + describe_status(gdb) + "; the stacks above may be incomplete]\n";
  }
  // Without a single frame the attach failed (no permission, process gone, already traced):
  // gdb's stderr says why. Otherwise its stderr is only noise about missing debug info.
  if (text.find("#0") == std::string::npos) {
    text += "[gdb printed no stack (" + describe_status(gdb) + ")";
    if (!gdb.stderr_text.empty()) text += "; its stderr:\n" + gdb.stderr_text;
    if (text.back() != '\n') text += '\n';
    text += "]\n";
  }
  return text;
}

std::string capture_group_stacks(pid_t pgid, std::chrono::milliseconds timeout) {
  const std::vector<pid_t> members = process_group_members(pgid);
  if (members.size() <= 1) return capture_thread_stacks(pgid, timeout);
  std::string text;
  for (pid_t pid : members) {
    const auto entry = read_proc_entry(pid);
    const std::string comm = entry ? entry->comm : "gone";
    text += "Process " + std::to_string(pid) + " (" + comm + ")" +
            (pid == pgid ? ", the trial's own" : ", forked by the trial") + ":\n";
    text += capture_thread_stacks(pid, timeout);
  }
  return text;
}

}  // namespace casebook
