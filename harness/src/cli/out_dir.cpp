#include "cli/out_dir.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "common/errors.hpp"

namespace casebook {

namespace fs = std::filesystem;

fs::path prepare_out_dir(const std::string& dir) {
  fs::path out(dir);
  std::error_code ec;
  if (fs::exists(out, ec) && !fs::is_directory(out, ec)) {
    throw UsageError("--out '" + dir + "' exists and is not a folder; pick a folder for reports");
  }
  fs::create_directories(out, ec);
  if (ec) throw InfraError("cannot create the output folder '" + dir + "': " + ec.message());
  if (::access(out.c_str(), W_OK) != 0) {
    throw InfraError("the output folder '" + dir +
                     "' is not writable; make it writable or give --out another folder");
  }
  return out;
}

void require_writable_tmpdir() {
  const char* set = std::getenv("TMPDIR");
  const bool from_env = set != nullptr && *set != '\0';
  const std::string dir = from_env ? set : "/tmp";
  std::string probe = dir + "/casebook-tmpdir-check-XXXXXX";
  const int fd = ::mkstemp(probe.data());
  if (fd >= 0) {
    ::close(fd);
    ::unlink(probe.c_str());
    return;
  }
  const std::string why = std::strerror(errno);
  throw InfraError((from_env ? "TMPDIR=" + dir : dir) + " cannot hold temporary files (" + why +
                   "): the compilers and the variants under test write theirs there. " +
                   (from_env ? "Point TMPDIR at a writable folder, or unset it"
                             : "Make /tmp writable, or set TMPDIR to a writable folder"));
}

namespace {

// The pid the holder wrote into the lock file, or "" when it cannot be read.
std::string holder_of(int fd) {
  char buffer[32] = {};
  const ssize_t n = ::pread(fd, buffer, sizeof buffer - 1, 0);
  if (n <= 0) return "";
  std::string pid(buffer, static_cast<std::size_t>(n));
  while (!pid.empty() && (pid.back() == '\n' || pid.back() == ' ')) pid.pop_back();
  return pid;
}

}  // namespace

OutDirLock::OutDirLock(const fs::path& dir) {
  const fs::path path = dir / ".casebook-run.lock";
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) {
    throw InfraError("cannot create " + path.string() + ": " + std::strerror(errno) +
                     "; the output folder must be writable");
  }
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    const std::string pid = holder_of(fd_);
    ::close(fd_);
    fd_ = -1;
    throw UsageError("another casebook run" + (pid.empty() ? "" : " (pid " + pid + ")") +
                     " is writing to '" + dir.string() +
                     "': two runs in one output folder would remove each other's trials and "
                     "replace each other's results. Wait for it to finish, or give this run "
                     "another --out");
  }
  const std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd_, 0) == 0) {
    [[maybe_unused]] const ssize_t n = ::pwrite(fd_, pid.data(), pid.size(), 0);
  }
}

OutDirLock::~OutDirLock() {
  if (fd_ >= 0) ::close(fd_);  // closing drops the lock
}

}  // namespace casebook
