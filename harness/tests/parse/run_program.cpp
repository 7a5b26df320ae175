// run_program.cpp - see run_program.hpp.
#include "run_program.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <stdexcept>

extern char** environ;

namespace casebook::testing {
namespace {

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (std::size_t pos = text.find(from); pos != std::string::npos;
       pos = text.find(from, pos + to.size())) {
    text.replace(pos, from.size(), to);
  }
  return text;
}

}  // namespace

ProgramOutput run_program(const std::string& program,
                          const std::vector<std::pair<std::string, std::string>>& env,
                          bool merge_output, const std::vector<std::string>& args) {
  std::string dir_template = (std::filesystem::temp_directory_path() / "casebook-parse-XXXXXX");
  if (mkdtemp(dir_template.data()) == nullptr) {
    throw std::runtime_error(std::string("mkdtemp: ") + std::strerror(errno));
  }
  const std::filesystem::path dir = dir_template;
  const std::string log_prefix = (dir / "log").string();

  // The child's environment: ours, minus the variables we set, plus `env`.
  std::vector<std::string> entries;
  for (char** e = environ; *e != nullptr; ++e) {
    std::string entry = *e;
    bool overridden = false;
    for (const auto& [name, value] : env) {
      if (entry.compare(0, name.size() + 1, name + "=") == 0) overridden = true;
    }
    if (!overridden) entries.push_back(std::move(entry));
  }
  for (const auto& [name, value] : env) {
    entries.push_back(name + "=" + replace_all(value, "@LOG@", log_prefix));
  }
  std::vector<char*> envp;
  for (auto& entry : entries) envp.push_back(entry.data());
  envp.push_back(nullptr);

  const std::string out_path = (dir / "stdout").string();
  const std::string err_path = (dir / "stderr").string();
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out_path.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (merge_output) {
    posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  } else {
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err_path.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0600);
  }
  std::vector<std::string> words = {program};
  for (const auto& arg : args) words.push_back(replace_all(arg, "@LOG@", log_prefix));
  std::vector<char*> argv;
  for (auto& word : words) argv.push_back(word.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  int rc = posix_spawn(&pid, program.c_str(), &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    std::filesystem::remove_all(dir);
    throw std::runtime_error("posix_spawn " + program + ": " + std::strerror(rc));
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }

  ProgramOutput out;
  out.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  out.stdout_text = read_file(out_path);
  out.stderr_text = read_file(err_path);
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().filename().string().rfind("log", 0) == 0) {
      out.log_text += read_file(entry.path());
    }
  }
  std::filesystem::remove_all(dir);
  // Named by the program and its arguments, so each call keeps its own files.
  std::string call = program;
  for (const auto& a : args) call += " " + a;
  const std::string name = std::filesystem::path(program).filename().string() + "-" +
                           std::to_string(std::hash<std::string>{}(call) % 1000000);
  keep_as_fuzz_seed(name + ".stdout", out.stdout_text);
  keep_as_fuzz_seed(name + ".stderr", out.stderr_text);
  keep_as_fuzz_seed(name + ".log", out.log_text);
  return out;
}

void keep_as_fuzz_seed(const std::string& name, const std::string& text) {
  const char* folder = std::getenv("CASEBOOK_FUZZ_SEEDS");
  if (folder == nullptr || *folder == '\0' || text.empty()) return;
  std::filesystem::create_directories(folder);
  std::ofstream(std::filesystem::path(folder) / name, std::ios::binary) << text;
}

int marker_line(const std::string& file, const std::string& marker) {
  std::ifstream in(file);
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (line.find(marker) != std::string::npos) return number;
  }
  return 0;
}

}  // namespace casebook::testing
