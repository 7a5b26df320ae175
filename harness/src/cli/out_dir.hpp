// out_dir.hpp - the folder `casebook run --out` writes into: made ready, and held by one run.
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
