// out_dir.hpp - the folders `casebook run` writes into: --out, made ready and held by one
// run, and the temporary folder, checked before anything runs.
//
// Two runs writing one folder would remove each other's trial folders and replace each
// other's results.json and journal; the second is stopped at once instead, by an advisory
// lock (flock) on DIR/.casebook-run.lock that the kernel drops when the run ends, however it
// ends (a SIGKILL too, so a killed run never leaves a stale lock behind).
#pragma once

#include <filesystem>
#include <string>

namespace casebook {

// Creates dir (and its parents) and checks it is a writable folder. Throws UsageError when it
// is a file, InfraError when it cannot be made or written.
std::filesystem::path prepare_out_dir(const std::string& dir);

// Throws InfraError when the temporary folder (TMPDIR, else /tmp) cannot hold a file. The
// compilers of standalone programs and the variants under test write theirs there, and fail
// in ways that look like the code's fault (a compile error that the program cache would even
// keep): a run stops before it starts instead.
void require_writable_tmpdir();

class OutDirLock {
 public:
  // Takes the folder's lock; throws UsageError naming the other run's pid when it is held.
  explicit OutDirLock(const std::filesystem::path& dir);
  ~OutDirLock();
  OutDirLock(const OutDirLock&) = delete;
  OutDirLock& operator=(const OutDirLock&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace casebook
