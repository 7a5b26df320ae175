// pipe_torn_messages, fixed: the same writer processes send the same 4-32 KiB messages, but each
// writer has a pipe of its own. A pipe with one writer cannot interleave anything, so every message
// arrives whole, however many pieces the kernel moves it in; the collector waits on all the pipes
// with poll() and keeps one stream per writer. (README.md shows the other fix: records of at most
// PIPE_BUF bytes, which one shared pipe does deliver whole.)
//
// This case uses POSIX directly (fork, pipe, poll, waitpid); the controlled scheduler does not
// apply.
#include <casebook/case.hpp>
#include <casebook/sync.hpp>

#include <limits.h>
#include <poll.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace {

constexpr const char* kInvariant = "intact messages == writers * messages";

// One message on the wire: header, `length` payload bytes all equal to the writer's fill byte, then
// an FNV-1a checksum over header and payload.
struct header {
  unsigned char magic[4];  // kMagic: where a message starts
  std::uint32_t writer;
  std::uint32_t sequence;  // 0, 1, 2, ... per writer
  std::uint32_t length;    // payload bytes
};
constexpr unsigned char kMagic[4] = {0x7f, 'M', 'S', 'G'};
constexpr std::size_t kFraming = sizeof(header) + sizeof(std::uint64_t);

unsigned char fill_byte(std::uint32_t writer) {
  return static_cast<unsigned char>('A' + writer % 26);
}

std::uint64_t fnv1a(const unsigned char* data, std::size_t n) {
  std::uint64_t h = 0xcbf29ce484222325ull;
  for (std::size_t i = 0; i < n; ++i) h = (h ^ data[i]) * 0x100000001b3ull;
  return h;
}

// The size of a writer's message number `sequence`: varied, always more than PIPE_BUF and at most
// `max_bytes`, a function of its arguments only.
std::size_t message_size(std::uint32_t writer, std::uint32_t sequence, std::size_t max_bytes) {
  std::uint64_t x = (std::uint64_t{writer} << 32 | sequence) * 0x9E3779B97F4A7C15ull;
  x ^= x >> 29;
  return PIPE_BUF + 1 + x % (max_bytes - PIPE_BUF);
}

std::vector<unsigned char> make_message(std::uint32_t writer, std::uint32_t sequence,
                                        std::size_t total_bytes) {
  std::vector<unsigned char> m(total_bytes);
  const header h{{kMagic[0], kMagic[1], kMagic[2], kMagic[3]},
                 writer,
                 sequence,
                 static_cast<std::uint32_t>(total_bytes - kFraming)};
  std::memcpy(m.data(), &h, sizeof h);
  std::memset(m.data() + sizeof h, fill_byte(writer), h.length);
  const std::uint64_t sum = fnv1a(m.data(), sizeof h + h.length);
  std::memcpy(m.data() + sizeof h + h.length, &sum, sizeof sum);
  return m;
}

// write() until every byte is out (a pipe write may be partial); false on error.
bool write_all(int fd, const unsigned char* data, std::size_t n) {
  while (n > 0) {
    const ssize_t w = ::write(fd, data, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;
    data += w;
    n -= static_cast<std::size_t>(w);
  }
  return true;
}

// What the collector found in the bytes it read.
struct tally {
  std::int64_t intact = 0;
  std::int64_t torn = 0;   // places where the walk lost a message and had to resynchronise
  std::string first_torn;  // a description of the first torn message
};

// Walks `stream` message by message. An intact message has the magic, a sane header, a payload of
// nothing but its writer's fill byte, and a matching checksum. After a torn message the walk
// resynchronises at the next magic.
void collect(const std::vector<unsigned char>& stream, std::size_t max_bytes, tally& t) {
  std::size_t pos = 0;
  while (pos + sizeof(header) <= stream.size()) {
    header h;
    std::memcpy(&h, stream.data() + pos, sizeof h);
    const std::size_t payload = h.length;
    bool ok = std::memcmp(h.magic, kMagic, 4) == 0 && payload + kFraming <= max_bytes &&
              pos + payload + kFraming <= stream.size();
    std::size_t clean_bytes = 0;  // payload bytes before the first foreign one
    if (ok) {
      const unsigned char* body = stream.data() + pos + sizeof h;
      while (clean_bytes < payload && body[clean_bytes] == fill_byte(h.writer)) ++clean_bytes;
      std::uint64_t sum;
      std::memcpy(&sum, body + payload, sizeof sum);
      ok = clean_bytes == payload && sum == fnv1a(stream.data() + pos, sizeof h + payload);
    }
    if (ok) {
      ++t.intact;
      pos += payload + kFraming;
      continue;
    }
    if (++t.torn == 1) {
      t.first_torn = "first torn message at byte " + std::to_string(pos) + ": ";
      if (std::memcmp(h.magic, kMagic, 4) != 0) {
        t.first_torn += "no message header there";
      } else {
        t.first_torn += "writer " + std::to_string(h.writer) + "'s message " +
                        std::to_string(h.sequence) + " has foreign bytes after " +
                        std::to_string(clean_bytes) + " of its " + std::to_string(payload) +
                        " payload bytes";
      }
    }
    // Resynchronise: the next message starts at the next magic.
    std::size_t next = pos + 1;
    while (next + 4 <= stream.size() && std::memcmp(stream.data() + next, kMagic, 4) != 0) ++next;
    pos = next;
  }
}

// One writer process: sends `messages` messages of more than PIPE_BUF bytes each.
int writer_main(int fd, std::uint32_t writer, std::int64_t messages, std::size_t max_bytes) {
  for (std::int64_t s = 0; s < messages; ++s) {
    const auto sequence = static_cast<std::uint32_t>(s);
    const auto m = make_message(writer, sequence, message_size(writer, sequence, max_bytes));
    // Still one write() of more than PIPE_BUF bytes, which may go in pieces; but nobody else writes
    // into this pipe, so nothing can come between the pieces.
    if (!write_all(fd, m.data(), m.size())) return 1;
  }
  return 0;
}

cb::outcome run(const cb::params& p) {
  const int writers = static_cast<int>(p.get("writers", 4));
  const std::int64_t messages = p.iterations;
  // Messages are PIPE_BUF + 1 to max_bytes long: 4 to 32 KiB by default.
  const auto max_bytes =
      std::max(static_cast<std::size_t>(p.get("max_message_bytes", 8 * PIPE_BUF)),
               std::size_t{2 * PIPE_BUF});
  const std::int64_t expected = writers * messages;

  // FIX: one pipe per writer, all created before the first fork.
  std::vector<int> read_ends(static_cast<std::size_t>(writers), -1);
  std::vector<int> write_ends(static_cast<std::size_t>(writers), -1);
  std::string trouble;
  for (std::size_t w = 0; w < read_ends.size() && trouble.empty(); ++w) {
    int fds[2];
    if (::pipe(fds) != 0) {
      trouble = std::string("pipe failed: ") + std::strerror(errno);
      break;
    }
    read_ends[w] = fds[0];
    write_ends[w] = fds[1];
  }

  std::vector<pid_t> children;
  for (int w = 0; w < writers && trouble.empty(); ++w) {
    const pid_t pid = ::fork();
    if (pid == 0) {
      // The writer keeps only the write end of its own pipe.
      for (std::size_t k = 0; k < read_ends.size(); ++k) {
        ::close(read_ends[k]);
        if (k != static_cast<std::size_t>(w)) ::close(write_ends[k]);
      }
      ::_exit(writer_main(write_ends[static_cast<std::size_t>(w)], static_cast<std::uint32_t>(w),
                          messages, max_bytes));
    }
    if (pid < 0) {
      trouble = std::string("fork failed: ") + std::strerror(errno);
      break;
    }
    children.push_back(pid);
  }
  for (int fd : write_ends) {
    if (fd >= 0) ::close(fd);  // the collector only reads; EOF comes when its writer is done
  }

  // The collector waits on every pipe at once and reads whichever has data, a page at a time, into
  // that writer's own stream, until every pipe reports EOF.
  std::vector<std::vector<unsigned char>> streams(read_ends.size());
  std::vector<pollfd> waiting;
  for (int fd : read_ends) {
    if (fd >= 0) waiting.push_back({fd, POLLIN, 0});
  }
  unsigned char chunk[PIPE_BUF];
  std::size_t total_read = 0;
  while (!waiting.empty()) {
    if (::poll(waiting.data(), waiting.size(), -1) < 0) {
      if (errno == EINTR) continue;
      trouble = std::string("poll failed: ") + std::strerror(errno);
      break;
    }
    for (std::size_t i = 0; i < waiting.size();) {
      if (waiting[i].revents == 0) {
        ++i;
        continue;
      }
      const ssize_t n = ::read(waiting[i].fd, chunk, sizeof chunk);
      if (n < 0 && errno == EINTR) continue;
      if (n > 0) {
        const auto w = static_cast<std::size_t>(
            std::find(read_ends.begin(), read_ends.end(), waiting[i].fd) - read_ends.begin());
        streams[w].insert(streams[w].end(), chunk, chunk + n);
        total_read += static_cast<std::size_t>(n);
        ++i;
        continue;
      }
      ::close(waiting[i].fd);  // EOF (or an error): this writer is done
      waiting.erase(waiting.begin() + static_cast<std::ptrdiff_t>(i));
    }
  }
  for (const pollfd& left : waiting) ::close(left.fd);

  // Reap every writer; none may outlive the run.
  int failed = 0;
  for (pid_t pid : children) {
    int status = 0;
    pid_t reaped;
    do {
      reaped = ::waitpid(pid, &status, 0);
    } while (reaped < 0 && errno == EINTR);
    if (reaped != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) ++failed;
  }

  tally t;
  for (const auto& stream : streams) collect(stream, max_bytes, t);
  cb::outcome o = cb::outcome::equal(kInvariant, t.intact, expected);
  o.holds = o.holds && failed == 0 && trouble.empty();
  o.note = std::to_string(expected - t.intact) + " of " + std::to_string(expected) +
           " messages from " + std::to_string(writers) + " writers did not arrive intact; " +
           std::to_string(total_read) + " bytes read";
  if (!t.first_torn.empty()) o.note += "; " + t.first_torn;
  if (failed != 0) o.note += "; " + std::to_string(failed) + " writer(s) failed";
  if (!trouble.empty()) o.note += "; " + trouble;
  return o;
}

}  // namespace

CASEBOOK_VARIANT({
    .title = "the same writer processes and messages, one pipe per writer",
    .category = "process",
    .expectations = {cb::expect::skip("model",
                                      "a process case (fork, pipes, shared memory): the model "
                                      "schedules the threads of one process, not processes")},
    .defaults = {.threads = 1, .iterations = 32, .extra = {{"writers", 4}}},
    .vary = {{"iterations", 1, 32}, {"writers", 1, 4}},
    .run = run,
});
