#include "cli_support.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>

#include <fstream>
#include <sstream>

namespace casebook::e2e {

namespace fs = std::filesystem;
using nlohmann::json;

ProcessResult run_cli(std::vector<std::string> args, int timeout_s) {
  ProcessSpec spec;
  spec.argv = {CASEBOOK_BIN};
  spec.argv.insert(spec.argv.end(), args.begin(), args.end());
  spec.timeout = std::chrono::seconds(timeout_s);
  return run_process(spec);
}

ProcessResult run_shell(const std::string& line) {
  ProcessSpec spec;
  spec.argv = {"/bin/sh", "-c", line};
  spec.timeout = std::chrono::seconds(600);
  return run_process(spec);
}

int wait_exit(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

json read_json(const fs::path& p) {
  std::ifstream in(p);
  return json::parse(in);
}

std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string last_line(const std::string& text) {
  std::string t = text;
  while (!t.empty() && t.back() == '\n') t.pop_back();
  auto nl = t.rfind('\n');
  return nl == std::string::npos ? t : t.substr(nl + 1);
}

std::vector<std::string> survivors(const std::string& marker) {
  std::vector<std::string> found;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/proc", ec)) {
    const std::string name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::string cmdline = read_text(entry.path() / "cmdline");
    for (char& c : cmdline) c = c == '\0' ? ' ' : c;
    if (cmdline.find(marker) != std::string::npos) found.push_back(name + ": " + cmdline);
  }
  return found;
}

const json* find_verdict(const json& results, const std::string& c, const std::string& v,
                         const std::string& d) {
  for (const auto& x : results.at("verdicts")) {
    if (x.at("case") == c && x.at("variant") == v && x.at("detector") == d) return &x;
  }
  return nullptr;
}

pid_t spawn_casebook(const std::filesystem::path& dir, const std::vector<std::string>& args) {
  std::filesystem::create_directories(dir);
  std::vector<std::string> words = {CASEBOOK_BIN};
  words.insert(words.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& w : words) argv.push_back(w.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, (dir / "stdout").c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, (dir / "stderr").c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid = -1;
  const int spawned = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  return spawned == 0 ? pid : -1;
}

}  // namespace casebook::e2e
