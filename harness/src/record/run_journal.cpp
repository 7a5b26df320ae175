#include "record/run_journal.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "common/errors.hpp"
#include "results/json_fields.hpp"

namespace casebook {

using nlohmann::json;

std::optional<JournalContents> read_journal(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (::access(path.c_str(), F_OK) != 0) return std::nullopt;
    throw InfraError("cannot read the run journal " + path + ": " + std::strerror(errno));
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();
  JournalContents contents;
  std::size_t at = 0;
  for (int line_number = 1; at < text.size(); ++line_number) {
    const std::size_t end = text.find('\n', at);
    const std::string where = path + " line " + std::to_string(line_number);
    if (end == std::string::npos) {  // the kill cut this line short: its pair reruns
      contents.torn_tail = true;
      break;
    }
    json line = json::parse(text.begin() + static_cast<std::ptrdiff_t>(at),
                            text.begin() + static_cast<std::ptrdiff_t>(end), nullptr, false);
    if (line.is_discarded()) {
      // Only a last line may be torn (a line is written whole or the disk filled mid-line).
      if (text.find_first_not_of('\n', end) == std::string::npos) {
        contents.torn_tail = true;
        break;
      }
      JsonFields::fail(where, "not a line of JSON; the journal is damaged: run without --resume");
    }
    if (line_number == 1) {
      const JsonFields header(line, where);
      if (header.integer("casebook_journal") != kJournalVersion) {
        JsonFields::fail(header.path("casebook_journal"),
                         "a journal of another casebook version; run without --resume");
      }
      header.any("identity");
      header.unsigned_integer("seed");
      contents.header = std::move(line);
    } else {
      const JsonFields entry(line, where);
      if (entry.has("resumed")) {
        ++contents.resumes;
      } else {
        contents.elapsed_seconds = entry.number("elapsed_seconds");
        contents.verdicts.push_back(entry.any("verdict"));
      }
    }
    at = end + 1;
    contents.complete_bytes = at;
  }
  if (contents.header.is_null()) {
    JsonFields::fail(path,
                     "empty, without the header line a run writes first; run without --resume");
  }
  return contents;
}

namespace {

int open_journal(const std::string& path, int flags) {
  const int fd = ::open(path.c_str(), flags | O_WRONLY | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) {
    throw InfraError("cannot open the run journal " + path + ": " + std::strerror(errno) +
                     "; the output folder must be writable");
  }
  return fd;
}

}  // namespace

RunJournal::RunJournal(const std::string& path, const json& header) : path_(path) {
  MutexLock lock(mutex_);
  fd_ = open_journal(path, O_CREAT | O_TRUNC);
  append(header.dump(-1, ' ', false, json::error_handler_t::replace) + "\n");
  if (!error_.empty()) throw InfraError(error_);
}

RunJournal::RunJournal(const std::string& path, std::size_t complete_bytes) : path_(path) {
  MutexLock lock(mutex_);
  fd_ = open_journal(path, 0);
  if (::ftruncate(fd_, static_cast<off_t>(complete_bytes)) != 0) {
    const std::string why = std::strerror(errno);
    ::close(fd_);
    fd_ = -1;
    throw InfraError("cannot cut the torn last line off the run journal " + path + ": " + why);
  }
}

RunJournal::~RunJournal() {
  MutexLock lock(mutex_);
  if (fd_ >= 0) ::close(fd_);
}

void RunJournal::append(const std::string& line) {
  if (fd_ < 0 || !error_.empty()) return;
  std::size_t written = 0;
  while (written < line.size()) {
    const ssize_t n = ::write(fd_, line.data() + written, line.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      error_ = "cannot write the run journal " + path_ + ": " +
               (n < 0 ? std::strerror(errno) : "the write made no progress");
      return;
    }
    written += static_cast<std::size_t>(n);
  }
  // On disk, not only in the page cache: a reboot must not lose what a kill would not.
  if (::fdatasync(fd_) != 0 && errno != EINVAL) {
    error_ = "cannot flush the run journal " + path_ + " to disk: " + std::strerror(errno);
  }
}

void RunJournal::record(const json& verdict, double elapsed_seconds) {
  const std::string line = json{{"elapsed_seconds", elapsed_seconds}, {"verdict", verdict}}.dump(
                               -1, ' ', false, json::error_handler_t::replace) +
                           "\n";
  MutexLock lock(mutex_);
  append(line);
  if (error_.empty()) ++recorded_;
}

std::size_t RunJournal::recorded() const {
  MutexLock lock(mutex_);
  return recorded_;
}

void RunJournal::note_resumed() {
  MutexLock lock(mutex_);
  append(json{{"resumed", true}}.dump() + "\n");
}

std::string RunJournal::error() const {
  MutexLock lock(mutex_);
  return error_;
}

void RunJournal::remove() {
  MutexLock lock(mutex_);
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  ::unlink(path_.c_str());
}

}  // namespace casebook
