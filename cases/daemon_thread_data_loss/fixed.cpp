// daemon_thread_data_loss, fixed: the same journal and the same program, but the journal owns
// its writer thread instead of detaching it. close() is a graceful shutdown: it signals the
// writer, and join() waits while the writer drains the queue, writes the last batch and closes
// the file. The destructor does the same if nobody called close(), so no path can skip it.
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
    // FIX: the journal keeps the thread's handle, so close() can wait for it.
    writer_ = cb::thread([s = state_] { writer(*s); });
  }
  journal(const journal&) = delete;
  journal& operator=(const journal&) = delete;
  ~journal() { close(); }

  void append(std::string text) {
    {
      cb::lock_guard hold(state_->lock);
      state_->queue.push_back(std::move(text));
    }
    state_->wake.notify_one();
  }

  // Graceful shutdown: signal the writer, then wait until it has written every queued record
  // and closed the file. The return value is the number of records not yet written when it
  // returns: always 0 now.
  std::size_t close() {
    {
      cb::lock_guard hold(state_->lock);
      state_->closing = true;
    }
    state_->wake.notify_one();
    if (writer_.joinable())
      writer_.join();  // FIX: the writer drains and flushes before this returns
    cb::lock_guard hold(state_->lock);
    return state_->queue.size();
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
  cb::thread writer_;
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
  // The program has ended here, and close() has already waited for the writer: everything
  // appended is in the file.
  const std::int64_t persisted = count_records(path);
  std::filesystem::remove(path);

  cb::outcome o = cb::outcome::equal("records in the file == records appended", persisted, records);
  o.note = std::to_string(persisted) + " of " + std::to_string(records) + " records persisted; " +
           std::to_string(unwritten) + " were still queued when close() returned";
  return o;
}

}  // namespace

CASEBOOK_VARIANT({
    .title = "the journal joins its writer on close: signal, drain, flush, then return",
    .category = "lifetime",
    .expectations = {cb::expect::notify_after_unlock("helgrind"),
                     cb::expect::notify_after_unlock("drd"), cb::expect::clean("model")},
    .defaults = {.threads = 1, .iterations = 2000},
    .small = {.threads = 1, .iterations = 4, .extra = {{"rounds", 1}}},
    .vary = {{"iterations", 1, 2000}},
    .run = run,
});
