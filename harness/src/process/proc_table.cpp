#include "process/proc_table.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace casebook {

// Fields of /proc/<pid>/stat: "pid (comm) state ppid pgrp ...". comm may hold spaces and
// parentheses, so it is cut at the last ')'.
std::optional<ProcEntry> read_proc_entry(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(in, line)) return std::nullopt;
  const auto open = line.find('('), close = line.rfind(')');
  if (open == std::string::npos || close == std::string::npos || close < open) return std::nullopt;
  ProcEntry e;
  e.pid = pid;
  e.comm = line.substr(open + 1, close - open - 1);
  std::istringstream rest(line.substr(close + 1));
  std::string state;
  long ppid = 0, group = 0, session = 0;
  if (!(rest >> state >> ppid >> group >> session)) return std::nullopt;
  e.ppid = static_cast<pid_t>(ppid);
  e.pgrp = static_cast<pid_t>(group);
  e.session = static_cast<pid_t>(session);
  // Then tty_nr, tpgid, flags and four fault counts, then utime and stime (fields 14 and 15).
  long long skipped = 0;
  unsigned long long utime = 0, stime = 0;
  for (int i = 0; i < 7 && rest; ++i) rest >> skipped;
  if (rest >> utime >> stime) e.cpu_ticks = utime + stime;
  return e;
}

std::vector<ProcEntry> list_processes() {
  std::vector<ProcEntry> all;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/proc", ec)) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
    if (auto e = read_proc_entry(static_cast<pid_t>(std::stol(name)))) all.push_back(*e);
  }
  return all;
}

std::vector<pid_t> process_group_members(pid_t pgid) {
  std::vector<pid_t> members;
  for (const auto& e : list_processes()) {
    if (e.pgrp == pgid) members.push_back(e.pid);
  }
  std::sort(members.begin(), members.end(),
            [pgid](pid_t a, pid_t b) { return (a == pgid) != (b == pgid) ? a == pgid : a < b; });
  return members;
}

unsigned long long group_cpu_ticks(pid_t pgid) {
  unsigned long long total = 0;
  for (const auto& e : list_processes()) {
    if (e.pgrp == pgid) total += e.cpu_ticks;
  }
  return total;
}

}  // namespace casebook
