// daemon_thread_data_loss, broken: a journal hands records to a background writer thread that
// seals them (a checksum chained over the log) and writes them to a file in batches. The writer
// is detached - a "daemon" thread that serves the journal for the life of the process - so
// close() can only ask it to stop; it cannot wait for it. The program appends its records,
// closes the journal and ends. Every record still queued or half-written at that moment is lost.
#include <casebook/case.hpp>
#include <casebook/sync.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <system_error>

namespace {

// A tamper-evident chain: each record's seal depends on its text and on the previous seal.
// `rounds` of mixing stand for the real cost of a cryptographic MAC.
std::uint64_t seal(std::uint64_t previous, const std::string& text, std::int64_t rounds) {
  std::uint64_t x = previous;
  for (char c : text) x = (x ^ static_cast<unsigned char>(c)) * 0x100000001B3ull;
  for (std::int64_t r = 0; r < rounds; ++r) x = (x ^ (x >> 29)) * 0xBF58476D1CE4E5B9ull + 1;
  return x;
}

// Writes all of `bytes` to `fd`.
void write_all(int fd, const std::string& bytes) {
  std::size_t at = 0;
  while (at < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + at, bytes.size() - at);
    if (n <= 0) return;  // a full disk loses records too; this case is about the other way
    at += static_cast<std::size_t>(n);
  }
}

class journal {
 public:
  journal(const std::string& path, std::int64_t rounds) : state_(std::make_shared<state>()) {
    state_->fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    state_->rounds = rounds;
    // casebook-bug: detached. The writer owns its state (a shared_ptr), so it can never touch freed
    // memory - but nothing can ever wait for it to finish either.
    cb::thread([s = state_] { writer(*s); }).detach();
  }

  void append(std::string text) {
    {
      cb::lock_guard hold(state_->lock);
      state_->queue.push_back(std::move(text));
    }
    state_->wake.notify_one();
  }

  // Asks the writer to finish and returns at once: a detached thread cannot be joined. The
  // return value is the number of records not yet written at that moment.
  std::size_t close() {
    cb::lock_guard hold(state_->lock);
    state_->closing = true;
    state_->wake.notify_one();
    return state_->queue.size();  // casebook-bug: returns with records still queued for the writer
  }

 private:
  struct state {
    cb::mutex lock;
    cb::condition_variable wake;
    std::deque<std::string> queue;  // guarded by lock: records waiting for the writer
    bool closing = false;           // guarded by lock
    int fd = -1;                    // the writer's alone after the constructor
    std::int64_t rounds = 0;
  };

  // Takes up to 64 records at a time, seals them into one buffer and writes it with one
  // write(). Ends when the journal is closing and the queue is empty.
  static void writer(state& s) {
    std::uint64_t chain = 0;
    for (;;) {
      std::deque<std::string> batch;
      {
        cb::unique_lock hold(s.lock);
        s.wake.wait(hold, [&] { return s.closing || !s.queue.empty(); });
        if (s.queue.empty()) break;  // closing, and nothing left
        for (int i = 0; i < 64 && !s.queue.empty(); ++i) {
          batch.push_back(std::move(s.queue.front()));
          s.queue.pop_front();
        }
      }
      std::string buffer;
      for (const std::string& text : batch) {
        chain = seal(chain, text, s.rounds);
        buffer += text + " seal=" + std::to_string(chain) + "\n";
      }
      write_all(s.fd, buffer);
    }
    ::close(s.fd);
  }

  std::shared_ptr<state> state_;
};

// The complete records (lines) in the file as it is at this instant: its current size is read
// once, so a writer still appending cannot add to the count while it is being taken.
std::int64_t count_records(const std::string& path) {
  std::error_code error;
  const auto size = std::filesystem::file_size(path, error);
  if (error) return 0;
  std::string bytes(static_cast<std::size_t>(size), '\0');
  std::ifstream in(path, std::ios::binary);
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  bytes.resize(static_cast<std::size_t>(in.gcount()));
  return static_cast<std::int64_t>(std::count(bytes.begin(), bytes.end(), '\n'));
}

cb::outcome run(const cb::params& p) {
  const std::int64_t records = p.iterations;
  const std::string path = (std::filesystem::temp_directory_path() /
                            ("casebook-daemon_thread_data_loss-" + std::to_string(::getpid()) +
                             "-" + std::to_string(p.seed) + ".journal"))
                               .string();

  // The program: start the journal, record what it did, close the journal, end.
  std::size_t unwritten = 0;
  {
    journal log(path, p.get("rounds", 2000));
    for (std::int64_t i = 0; i < records; ++i) {
      log.append("event " + std::to_string(i) + " seed " + std::to_string(p.seed) +
                 " order-filled account=" +
                 std::to_string((p.seed + static_cast<std::uint64_t>(i)) % 997));
    }
    unwritten = log.close();
  }
  // The program has ended here: in a real process, exit() now takes the detached writer down
  // with whatever it had not written yet. What the file holds at this moment is what survives.
  const std::int64_t persisted = count_records(path);
  std::filesystem::remove(path);

  cb::outcome o = cb::outcome::equal("records in the file == records appended", persisted, records);
  o.note = std::to_string(persisted) + " of " + std::to_string(records) + " records persisted; " +
           std::to_string(unwritten) +
           " were still queued for the detached writer when the journal was closed";
  return o;
}

}  // namespace

CASEBOOK_VARIANT({
    .title = "a detached journal writer still holds queued records when the program ends",
    .category = "lifetime",
    // Helgrind and DRD see no race here (there is none: the bug is data lost at exit), only
    // append()'s notify after the unlock, as in the fixed variant.
    .expectations = {cb::expect::notify_after_unlock("helgrind"),
                     cb::expect::notify_after_unlock("drd"),
                     cb::expect::finds("model", {"invariant-violated", "unjoined-thread"}),
                     cb::expect::finds("invariant", {"invariant-violated"}),
                     cb::expect::finds("property", {"counterexample"})},
    .defaults = {.threads = 1, .iterations = 2000},
    .small = {.threads = 1, .iterations = 4, .extra = {{"rounds", 1}}},
    .vary = {{"iterations", 1, 2000}},
    .inputs_decide_failure = true,
    .run = run,
});
