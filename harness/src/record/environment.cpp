#include "record/environment.hpp"

#include <sys/utsname.h>

#include <chrono>
#include <thread>

#include "build_commit.hpp"  // generated at build time by cmake/build_commit.cmake
#include "configurations/build_configurations.hpp"
#include "process/pids_cgroup.hpp"
#include "process/process.hpp"

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

results::Environment describe_environment(const std::string& source_root) {
  utsname u{};
  ::uname(&u);
  results::Environment e;
  e.compiler_id = CASEBOOK_COMPILER_ID;
  e.compiler_version = CASEBOOK_COMPILER_VERSION;
  for (const configurations::BuildConfiguration& c : configurations::kBuildConfigurations) {
    if (c.own_compiler) e.configurations[std::string(c.name)] = std::string(c.compile_flags);
  }
  e.kernel = std::string(u.sysname) + " " + u.release;
  e.machine = u.machine;
  e.cpu_count = static_cast<int>(std::thread::hardware_concurrency());
  e.git_commit = git_commit(source_root);
  // The checkout may have moved on since the build; results must name the code that ran.
  e.build_commit = CASEBOOK_BUILD_COMMIT;
  e.build_dirty = CASEBOOK_BUILD_DIRTY;
  // Where each trial's cap on processes and threads lives, or why the machine has none.
  e.task_cap = pids_cgroup_support();
  return e;
}

}  // namespace casebook
