// stack_capture.cpp - eu-stack, else gdb in batch mode, each run through run_process like any
// other child.
#include "process/stack_capture.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <vector>

#include "process/proc_table.hpp"
#include "process/process.hpp"

namespace casebook {
namespace {

// True when some frame of the process's own executable has its source line: eu-stack printed
// "#N 0x.. name - <exe>" and, below it, an indented "file:line[:col]". Without .debug_aranges
// (clang without -gdwarf-aranges) or without debug info it prints those frames bare.
bool has_program_lines(const std::string& text, const std::string& exe) {
  const std::string tail = " - " + exe;
  std::istringstream in(text);
  std::string line;
  bool after_program_frame = false;
  while (std::getline(in, line)) {
    if (after_program_frame && !line.empty() && (line[0] == ' ' || line[0] == '\t') &&
        line.find(':') != std::string::npos) {
      return true;
    }
    after_program_frame = line.size() > tail.size() && line[0] == '#' &&
                          line.compare(line.size() - tail.size(), tail.size(), tail) == 0;
  }
  return false;
}

// How a stack tool runs: no debuginfod downloads (slow, and nothing is fetched from elsewhere),
// plain C messages, killed after `timeout` (both detach on SIGTERM; if one must be killed, the
// kernel detaches the target anyway), and no watchdog of its own: a timeout here must not
// recurse into another capture.
ProcessSpec stack_tool(std::vector<std::string> argv, std::chrono::milliseconds timeout) {
  ProcessSpec spec;
  spec.argv = std::move(argv);
  spec.env = {{"DEBUGINFOD_URLS", ""}, {"LC_ALL", "C"}};
  spec.timeout = timeout;
  spec.term_grace = std::chrono::milliseconds(1000);
  spec.output_cap = 4 << 20;
  spec.on_timeout = nullptr;
  return spec;
}

// eu-stack's stacks of every thread of pid with inlined frames, source lines and modules, or
// nullopt when it is not installed, failed, or could not give the program's own lines (gdb
// then does better, at several times the cost).
std::optional<std::string> eu_stack_stacks(pid_t pid, std::chrono::milliseconds timeout) {
  std::error_code ec;
  const std::string exe =
      std::filesystem::read_symlink("/proc/" + std::to_string(pid) + "/exe", ec).string();
  ProcessResult r =
      run_process(stack_tool({"eu-stack", "-p", std::to_string(pid), "-i", "-s", "-m"}, timeout));
  if (!r.started || r.timed_out || r.stdout_truncated) return std::nullopt;
  if (ec || !has_program_lines(r.stdout_text, exe)) return std::nullopt;
  return std::move(r.stdout_text);
}

// The tools to try, from CASEBOOK_STACK_TOOL: "gdb" or "eu-stack" alone; unset or anything
// else, eu-stack then gdb.
bool wants(const char* tool) {
  const char* chosen = std::getenv("CASEBOOK_STACK_TOOL");
  if (chosen == nullptr ||
      (std::strcmp(chosen, "gdb") != 0 && std::strcmp(chosen, "eu-stack") != 0)) {
    return true;
  }
  return std::strcmp(chosen, tool) == 0;
}

}  // namespace

std::string capture_thread_stacks(pid_t pid, std::chrono::milliseconds timeout) {
  if (wants("eu-stack")) {
    if (auto text = eu_stack_stacks(pid, timeout)) return std::move(*text);
    if (!wants("gdb")) {
      return "[eu-stack printed no stack with the program's source lines (CASEBOOK_STACK_TOOL="
             "eu-stack); is elfutils installed, and was the program built with debug info?]\n";
    }
  }
  const ProcessSpec spec = stack_tool({"gdb", "-batch", "-nx", "-p", std::to_string(pid), "-ex",
                                       "set pagination off", "-ex", "thread apply all bt"},
                                      timeout);
  ProcessResult gdb = run_process(spec);
  if (!gdb.started) {
    if (gdb.start_error.find(std::strerror(ENOENT)) != std::string::npos) {
      return "neither eu-stack nor gdb gave stacks: install elfutils (eu-stack) or gdb to get "
             "stacks of hung processes\n";
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
