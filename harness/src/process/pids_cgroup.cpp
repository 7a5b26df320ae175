#include "process/pids_cgroup.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

namespace casebook {
namespace {

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

bool write_text(const std::string& path, const std::string& text) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ::close(fd);
  return ok;
}

bool has_word(const std::string& list, const std::string& word, char separator) {
  std::stringstream in(list);
  std::string item;
  while (std::getline(in, item, separator)) {
    if (item == word) return true;
  }
  return false;
}

// The folder of the cgroup this process is in, in the hierarchy that holds the pids
// controller, and which version that is; or why there is none.
struct Hierarchy {
  std::string parent;  // where trials' cgroups are created
  std::string description;
  std::string why_not;
};

// Our cgroup's path in the v1 pids hierarchy ("N:pids:/path") or the unified one ("0::/path"),
// from /proc/self/cgroup's text.
std::string own_cgroup_path(std::string_view self_cgroup, bool v1) {
  std::istringstream in{std::string(self_cgroup)};
  std::string line;
  while (std::getline(in, line)) {
    const auto first = line.find(':');
    const auto second = line.find(':', first + 1);
    if (first == std::string::npos || second == std::string::npos) continue;
    const std::string controllers = line.substr(first + 1, second - first - 1);
    const std::string path = line.substr(second + 1);
    if (v1 ? has_word(controllers, "pids", ',') : (line.rfind("0::", 0) == 0)) return path;
  }
  return "";
}

// Joins a mount point and our cgroup path, minus the part of the path the mount hides (in a
// container the mount's root is often our own cgroup).
std::string cgroup_folder(const std::string& mount_point, const std::string& mount_root,
                          const std::string& path) {
  std::string rel = path;
  if (mount_root != "/" && rel.rfind(mount_root, 0) == 0) rel = rel.substr(mount_root.size());
  if (rel.empty() || rel == "/") return mount_point;
  return mount_point + rel;
}

// Tries the folder: a cgroup made and removed there, with a pids.max to write.
bool can_create_in(const std::string& parent, std::string* why_not) {
  const std::string probe = parent + "/casebook-probe-" + std::to_string(::getpid());
  if (::mkdir(probe.c_str(), 0755) != 0 && errno != EEXIST) {
    *why_not = "cannot create a cgroup in " + parent + ": " + std::strerror(errno);
    return false;
  }
  const bool writable = write_text(probe + "/pids.max", "max");
  if (!writable) *why_not = "cannot write pids.max in " + parent + ": " + std::strerror(errno);
  ::rmdir(probe.c_str());
  return writable;
}

// The pid in a cgroup folder name this module gives (casebook-<pid>-<n>, casebook-probe-<pid>),
// or 0 for any other name.
pid_t owner_of(const std::string& name) {
  std::string rest;
  if (name.rfind("casebook-probe-", 0) == 0) {
    rest = name.substr(15);
  } else if (name.rfind("casebook-", 0) == 0) {
    rest = name.substr(9);
    const auto dash = rest.find('-');
    if (dash == std::string::npos) return 0;
    if (rest.find_first_not_of("0123456789", dash + 1) != std::string::npos) return 0;
    rest = rest.substr(0, dash);
  } else {
    return 0;
  }
  if (rest.empty() || rest.size() > 9 ||
      rest.find_first_not_of("0123456789") != std::string::npos) {
    return 0;
  }
  return static_cast<pid_t>(std::stol(rest));
}

int sweep_in(const std::string& parent) {
  int removed = 0;
  DIR* dir = ::opendir(parent.c_str());
  if (dir == nullptr) return 0;
  while (const dirent* entry = ::readdir(dir)) {
    const pid_t owner = owner_of(entry->d_name);
    if (owner <= 0 || owner == ::getpid()) continue;
    if (::kill(owner, 0) == 0 || errno != ESRCH) continue;  // its runner may still be at work
    // rmdir removes only an empty cgroup: one with members stays (EBUSY).
    if (::rmdir((parent + "/" + entry->d_name).c_str()) == 0) ++removed;
  }
  ::closedir(dir);
  return removed;
}

Hierarchy locate() {
  Hierarchy h;
  std::string why;
  for (const PidsCgroupCandidate& c :
       pids_cgroup_candidates(read_text("/proc/self/mountinfo"), read_text("/proc/self/cgroup"))) {
    if (c.version == 1) {
      if (can_create_in(c.folder, &why)) {
        h.parent = c.folder;
        h.description = "cgroup v1 pids hierarchy at " + c.folder;
        return h;
      }
      continue;
    }
    // The controller must be on for our cgroup's children; turning it on succeeds only where
    // the cgroup rules allow it (our root, or a delegated subtree).
    if (!has_word(read_text(c.folder + "/cgroup.subtree_control"), "pids", ' ') &&
        !write_text(c.folder + "/cgroup.subtree_control", "+pids")) {
      why += (why.empty() ? "" : "; ") + std::string("the pids controller is not enabled for ") +
             c.folder + "'s children and cannot be";
    } else if (can_create_in(c.folder, &why)) {
      h.parent = c.folder;
      h.description = "cgroup v2 pids controller at " + c.folder;
      return h;
    }
  }
  h.why_not = why.empty() ? "no pids cgroup hierarchy is mounted" : why;
  return h;
}

const Hierarchy& hierarchy() {
  static const Hierarchy h = [] {
    Hierarchy found = locate();
    if (!found.parent.empty()) sweep_in(found.parent);
    return found;
  }();  // thread-safe static initialisation
  return h;
}

std::vector<pid_t> members(const std::string& dir) {
  std::vector<pid_t> pids;
  std::ifstream in(dir + "/cgroup.procs");
  long pid = 0;
  while (in >> pid) pids.push_back(static_cast<pid_t>(pid));
  return pids;
}

}  // namespace

std::vector<PidsCgroupCandidate> pids_cgroup_candidates(std::string_view mountinfo,
                                                        std::string_view self_cgroup) {
  std::istringstream in{std::string(mountinfo)};
  std::string line, v1_point, v1_root, v2_point, v2_root;
  while (std::getline(in, line)) {
    // id parent dev root mount-point options [optional...] - fstype source super-options
    std::istringstream fields(line);
    std::string id, parent, dev, root, point;
    fields >> id >> parent >> dev >> root >> point;
    const auto dash = line.find(" - ");
    if (dash == std::string::npos) continue;
    std::istringstream tail(line.substr(dash + 3));
    std::string fstype, source, options;
    tail >> fstype >> source >> options;
    if (fstype == "cgroup" && has_word(options, "pids", ',')) {
      v1_point = point;
      v1_root = root;
    } else if (fstype == "cgroup2" && v2_point.empty()) {
      v2_point = point;
      v2_root = root;
    }
  }
  std::vector<PidsCgroupCandidate> out;
  if (!v1_point.empty()) {
    out.push_back({1, cgroup_folder(v1_point, v1_root, own_cgroup_path(self_cgroup, true))});
  }
  if (!v2_point.empty()) {
    out.push_back({2, cgroup_folder(v2_point, v2_root, own_cgroup_path(self_cgroup, false))});
  }
  return out;
}

int sweep_stale_pids_cgroups() {
  const Hierarchy& h = hierarchy();
  return h.parent.empty() ? 0 : sweep_in(h.parent);
}

std::string pids_cgroup_support() {
  const Hierarchy& h = hierarchy();
  if (!h.parent.empty()) return h.description;
  return "none: " + h.why_not;
}

std::unique_ptr<PidsCgroup> PidsCgroup::create(unsigned long long max_tasks, std::string* why_not) {
  const Hierarchy& h = hierarchy();
  if (h.parent.empty()) {
    *why_not = h.why_not;
    return nullptr;
  }
  static std::atomic<unsigned long> next{0};
  const std::string dir = h.parent + "/casebook-" + std::to_string(::getpid()) + "-" +
                          std::to_string(next.fetch_add(1));
  if (::mkdir(dir.c_str(), 0755) != 0) {
    *why_not = "cannot create " + dir + ": " + std::strerror(errno);
    return nullptr;
  }
  const int fd = ::open((dir + "/cgroup.procs").c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0 || !write_text(dir + "/pids.max", std::to_string(max_tasks))) {
    *why_not = "cannot set up " + dir + ": " + std::strerror(errno);
    if (fd >= 0) ::close(fd);
    ::rmdir(dir.c_str());
    return nullptr;
  }
  return std::unique_ptr<PidsCgroup>(new PidsCgroup(dir, fd, max_tasks));
}

PidsCgroup::~PidsCgroup() {
  kill_all();
  ::close(procs_fd_);
  // A killed member leaves the cgroup only once reaped, which the runner does right before
  // this; a member adopted late may take a moment longer.
  for (int attempt = 0; attempt < 200; ++attempt) {
    if (::rmdir(dir_.c_str()) == 0 || errno != EBUSY) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

unsigned long long PidsCgroup::times_cap_hit() const {
  std::istringstream in(read_text(dir_ + "/pids.events"));
  std::string key;
  unsigned long long count = 0;
  while (in >> key >> count) {
    if (key == "max") return count;
  }
  return 0;
}

int PidsCgroup::kill_all() const {
  int sent = 0;
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(1);
  // A member may fork between our read and our kill: read again until the folder is empty. The
  // pids listed are alive (not yet reaped), so none can be a reused pid of another process.
  while (std::chrono::steady_clock::now() < give_up) {
    const std::vector<pid_t> pids = members(dir_);
    if (pids.empty()) break;
    for (pid_t pid : pids) {
      if (::kill(pid, SIGKILL) == 0) ++sent;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return sent;
}

}  // namespace casebook
