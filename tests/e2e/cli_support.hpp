// cli_support.hpp - what the end-to-end tests share: running the real casebook CLI as a user
// does, and reading what it wrote.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "process/process.hpp"

namespace casebook::e2e {

// Runs the casebook binary with args, in its own process group, killed after timeout_s.
ProcessResult run_cli(std::vector<std::string> args, int timeout_s = 600);

// Runs a shell command line (a repro line, say) with /bin/sh -c.
ProcessResult run_shell(const std::string& line);

// Starts the real casebook with args in the background, its stdout and stderr going to the
// files `stdout` and `stderr` in dir (created). Returns its pid (-1 when it cannot start);
// the caller waits for it. Not through run_process, whose sweep of escaped processes would
// hide any that casebook itself left behind.
pid_t spawn_casebook(const std::filesystem::path& dir, const std::vector<std::string>& args);

// Waits for a child started with spawn_casebook; its exit code, or 128 + the signal that
// ended it (as a shell reports it).
int wait_exit(pid_t pid);

nlohmann::json read_json(const std::filesystem::path& p);
std::string read_text(const std::filesystem::path& p);

// The last non-empty line of text.
std::string last_line(const std::string& text);

// Every live process whose command line mentions `marker` ("<pid>: <command line>"). Given a
// run's own output folder, which every trial's --outcome path holds, these are the processes
// of that run still alive (zombies have no command line and do not count).
std::vector<std::string> survivors(const std::string& marker);

// The verdict for (case, variant, detector) in a results document, or nullptr.
const nlohmann::json* find_verdict(const nlohmann::json& results, const std::string& c,
                                   const std::string& v, const std::string& d);

}  // namespace casebook::e2e
