// pipe_torn_messages, broken: several writer processes report to one collector through one shared
// pipe. Each report is a message of 4 to 32 KiB (header, payload, checksum) sent with a single
// write(). POSIX makes a pipe write atomic only up to PIPE_BUF bytes (4096 on Linux); a larger
// write that finds the pipe full is carried out in pieces, and other writers' bytes can land
// between the pieces. The collector then reads messages torn apart and spliced together.
//
// This case uses POSIX directly (fork, pipe, waitpid); the controlled scheduler does not apply.
#include <casebook/case.hpp>
#include <casebook/sync.hpp>

#include <limits.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
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
    // BUG: one write() of more than PIPE_BUF bytes. It is not atomic: when the pipe fills up
    // part-way through, the rest goes in later, possibly after another writer's bytes.
    if (!write_all(fd, m.data(), m.size())) return 1;  // casebook-bug: not atomic: > PIPE_BUF bytes
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

  int fds[2];  // casebook-bug: one pipe for all the writers
  if (::pipe(fds) != 0) {
    cb::outcome o;
    o.invariant = kInvariant;
    o.holds = false;
    o.note = std::string("pipe failed: ") + std::strerror(errno);
    return o;
  }

  // BUG: every writer gets the write end of the same pipe.
  std::vector<pid_t> children;
  std::string trouble;
  for (int w = 0; w < writers; ++w) {
    const pid_t pid = ::fork();
    if (pid == 0) {
      ::close(fds[0]);
      ::_exit(writer_main(fds[1], static_cast<std::uint32_t>(w), messages, max_bytes));
    }
    if (pid < 0) {
      trouble = std::string("fork failed: ") + std::strerror(errno);
      break;
    }
    children.push_back(pid);
  }
  ::close(fds[1]);  // the collector only reads; EOF comes when the last writer is done

  // The collector reads whatever is in the pipe, a page at a time, until every writer is done.
  std::vector<unsigned char> stream;
  unsigned char chunk[PIPE_BUF];
  while (true) {
    const ssize_t n = ::read(fds[0], chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    stream.insert(stream.end(), chunk, chunk + n);
  }
  ::close(fds[0]);

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
  collect(stream, max_bytes, t);
  cb::outcome o = cb::outcome::equal(kInvariant, t.intact, expected);
  o.holds = o.holds && failed == 0 && trouble.empty();
  o.note = std::to_string(expected - t.intact) + " of " + std::to_string(expected) +
           " messages from " + std::to_string(writers) + " writers did not arrive intact; " +
           std::to_string(stream.size()) + " bytes read";
  if (!t.first_torn.empty()) o.note += "; " + t.first_torn;
  if (failed != 0) o.note += "; " + std::to_string(failed) + " writer(s) failed";
  if (!trouble.empty()) o.note += "; " + trouble;
  return o;
}

}  // namespace

CASEBOOK_VARIANT({
    .title = "writer processes send 4-32 KiB messages with one write() each into one shared pipe",
    .category = "process",
    .expectations = {cb::expect::skip("model",
                                      "a process case (fork, pipes, shared memory): the model "
                                      "schedules the threads of one process, not processes"),
                     cb::expect::finds("invariant", {"invariant-violated"}),
                     cb::expect::finds("property", {"counterexample"})},
    .defaults = {.threads = 1, .iterations = 32, .extra = {{"writers", 4}}},
    .vary = {{"iterations", 1, 32}, {"writers", 1, 4}},
    .run = run,
});
