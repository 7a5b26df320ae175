#include "collect/environment.hpp"

#include <sys/utsname.h>

#include <chrono>
#include <thread>

#include "build_commit.hpp"  // generated at build time by cmake/build_commit.cmake
#include "runner/pids_cgroup.hpp"
#include "runner/process.hpp"

namespace casebook {

namespace {

std::string git_commit(const std::string& source_root) {
  ProcessSpec spec;
  spec.argv = {"git", "-C", source_root, "rev-parse", "HEAD"};
  spec.timeout = std::chrono::seconds(10);
  ProcessResult r = run_process(spec);
  if (!r.exited || r.exit_code != 0) return "";
  std::string out = r.stdout_text;
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

}  // namespace

nlohmann::json describe_environment(const std::string& source_root) {
  utsname u{};
  ::uname(&u);
  return {
      {"compiler", {{"id", CASEBOOK_COMPILER_ID}, {"version", CASEBOOK_COMPILER_VERSION}}},
      {"configurations",
       {{"plain", CASEBOOK_FLAGS_PLAIN},
        {"tsan", CASEBOOK_FLAGS_TSAN},
        {"asan", CASEBOOK_FLAGS_ASAN},
        {"noise", CASEBOOK_FLAGS_NOISE},
        {"model", CASEBOOK_FLAGS_MODEL}}},
      {"kernel", std::string(u.sysname) + " " + u.release},
      {"machine", u.machine},
      {"cpu_count", std::thread::hardware_concurrency()},
      {"git_commit", git_commit(source_root)},
      // The checkout may have moved on since the build; results must name the code that ran.
      {"build_commit", CASEBOOK_BUILD_COMMIT},
      {"build_dirty", CASEBOOK_BUILD_DIRTY},
      // Where each trial's cap on processes and threads lives, or why the machine has none.
      {"task_cap", pids_cgroup_support()},
  };
}

}  // namespace casebook
