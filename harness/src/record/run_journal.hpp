// run_journal.hpp - the record a run keeps of its graded pairs while it runs, so that a run
// killed outright (SIGKILL, a reboot, a full disk) can be continued by `casebook run --resume`.
//
// results.json is written once, at the end; until then each pair's verdict is appended to
// <out>/run-journal.jsonl as one JSON line the moment it is graded, and flushed to disk
// (fdatasync), so at most the pairs in flight are lost. The first line is the header: the
// run's identity (what must match for a resume to be honest), its seed and start time. A
// line cut short by the kill is dropped on reading, and cut off before the journal grows
// again. A finished run removes its journal; an interrupted one (Ctrl-C) keeps it.
//
// Thread-safety: record() is called from the suite's worker threads; the file descriptor and
// the first write error are guarded by one mutex.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/mutex.hpp"

namespace casebook {

inline constexpr const char* kJournalFileName = "run-journal.jsonl";
inline constexpr int kJournalVersion = 1;

// What a journal on disk holds.
struct JournalContents {
  nlohmann::json header;                 // {"casebook_journal": 1, "identity", "seed", ...}
  std::vector<nlohmann::json> verdicts;  // as verdict_to_json wrote them, in grading order
  double elapsed_seconds = 0;            // the run's wall time at its last graded pair
  std::size_t complete_bytes = 0;        // the file's length up to its last whole line
  bool torn_tail = false;                // a last line was cut short (and is ignored)
  int resumes = 0;                       // lines saying a --resume continued the journal
};

// Reads path. Nothing when there is no such file; throws FieldError (results/json_fields.hpp)
// naming the line when a whole line is not what a journal holds.
std::optional<JournalContents> read_journal(const std::string& path);

class RunJournal {
 public:
  // A new journal at path, replacing any, its first line the header. Throws InfraError.
  RunJournal(const std::string& path, const nlohmann::json& header);
  // The journal at path continued: cut to complete_bytes, then appended to. Throws InfraError.
  RunJournal(const std::string& path, std::size_t complete_bytes);
  ~RunJournal();
  RunJournal(const RunJournal&) = delete;
  RunJournal& operator=(const RunJournal&) = delete;

  // Appends a graded pair's verdict and flushes it to disk. After a failed write (the disk
  // is full) nothing more is written: the first error stays in error().
  void record(const nlohmann::json& verdict, double elapsed_seconds) CB_EXCLUDES(mutex_);
  // Notes that a --resume continues the journal (so the next one counts it).
  void note_resumed() CB_EXCLUDES(mutex_);
  // The first write error ("cannot write ...: No space left on device"), or "".
  std::string error() const CB_EXCLUDES(mutex_);
  // How many verdicts reached the disk whole (those record()ed, up to a failed write).
  std::size_t recorded() const CB_EXCLUDES(mutex_);
  // The run finished and results.json holds it all: the journal goes.
  void remove() CB_EXCLUDES(mutex_);

  const std::string& path() const { return path_; }

 private:
  void append(const std::string& line) CB_REQUIRES(mutex_);

  const std::string path_;
  mutable Mutex mutex_;
  int fd_ CB_GUARDED_BY(mutex_) = -1;
  std::string error_ CB_GUARDED_BY(mutex_);
  std::size_t recorded_ CB_GUARDED_BY(mutex_) = 0;
};

}  // namespace casebook
