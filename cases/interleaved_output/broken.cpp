// interleaved_output, broken: worker threads report progress on one shared output, each line
// written as `out << "worker " << id << ": " << value << "\n"`. The stream has no buffer of its
// own, like std::cerr (unit-buffered, synced with stdio): every << is a separate write(2). Each is
// whole, but nothing keeps the five writes of one line together, so other threads' pieces land
// between them and the output holds mangled lines such as "worker 0worker 1: 1".
//
// The output is an in-memory file (memfd) that the variant reads back and checks line by line. Its
// writes are system calls, not cb:: operations: the controlled scheduler cannot interleave them,
// only the real scheduler does.
#include <casebook/case.hpp>
#include <casebook/sync.hpp>

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace {

constexpr const char* kInvariant = "well-formed lines == threads * iterations";

// An output stream in the style of std::cerr with sync_with_stdio(true): no buffer of its own,
// every << hands its piece to the kernel at once with one write(2). Safe to share between threads
// in the sense that no memory is shared; the order of the pieces is another matter.
class fd_stream {
 public:
  explicit fd_stream(int fd) : fd_(fd) {}

  const fd_stream& operator<<(std::string_view text) const {
    put(text.data(), text.size());
    return *this;
  }
  const fd_stream& operator<<(std::int64_t value) const {
    char digits[24];
    const auto [end, ec] = std::to_chars(digits, digits + sizeof digits, value);
    put(digits, static_cast<std::size_t>(end - digits));
    return *this;
  }

 private:
  void put(const char* data, std::size_t n) const {
    while (n > 0) {
      const ssize_t w = ::write(fd_, data, n);
      if (w < 0 && errno == EINTR) continue;
      if (w <= 0) return;  // the check below finds whatever is missing
      data += w;
      n -= static_cast<std::size_t>(w);
    }
  }

  int fd_;
};

// The value worker `id` reports on its i-th line. The check recovers both from it: a value belongs
// to worker value % 10000 (threads are at most 1024) and to its line value / 10000.
std::int64_t value_of(int id, std::int64_t i) {
  return i * 10000 + id;
}

// Reads back the whole output and counts the lines that are exactly "worker <id>: <value>", where
// the value is one of worker `id`'s and comes after the last one it printed. Returns the first bad
// line in `first_bad`.
std::int64_t well_formed_lines(int fd, int workers, std::int64_t& total, std::string& first_bad) {
  std::string text;
  char chunk[65536];
  for (off_t at = 0;;) {
    const ssize_t n = ::pread(fd, chunk, sizeof chunk, at);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    text.append(chunk, static_cast<std::size_t>(n));
    at += n;
  }

  std::vector<std::int64_t> next(static_cast<std::size_t>(workers), 0);  // next line per worker
  std::int64_t good = 0;
  total = 0;
  std::string_view rest = text;
  while (!rest.empty()) {
    const std::size_t nl = rest.find('\n');
    const std::string_view line = rest.substr(0, nl);
    rest = nl == std::string_view::npos ? std::string_view{} : rest.substr(nl + 1);
    ++total;

    bool ok = line.starts_with("worker ");
    int id = -1;
    std::int64_t value = -1;
    if (ok) {
      const char* p = line.data() + 7;
      const char* end = line.data() + line.size();
      auto r = std::from_chars(p, end, id);
      ok = r.ec == std::errc{} && id >= 0 && id < workers && end - r.ptr > 2 && r.ptr[0] == ':' &&
           r.ptr[1] == ' ';
      if (ok) {
        auto v = std::from_chars(r.ptr + 2, end, value);
        ok = v.ec == std::errc{} && v.ptr == end && value % 10000 == id &&
             value / 10000 >= next[static_cast<std::size_t>(id)];
      }
    }
    if (ok) {
      ++good;
      next[static_cast<std::size_t>(id)] = value / 10000 + 1;
    } else if (first_bad.empty()) {
      first_bad = std::string(line);
    }
  }
  return good;
}

cb::outcome run(const cb::params& p) {
  // The output: an in-memory file, opened for appending as log files are, so that every write(2)
  // lands at the current end of the file and none overwrites another.
  const int fd = ::memfd_create("interleaved_output", MFD_CLOEXEC);
  if (fd < 0 || ::fcntl(fd, F_SETFL, O_APPEND) != 0) {
    cb::outcome o;
    o.invariant = kInvariant;
    o.holds = false;
    o.note = std::string("cannot create the output file: ") + std::strerror(errno);
    return o;
  }
  const fd_stream out(fd);  // shared by every worker, as std::cerr would be

  // A start gate: thread start-up takes longer than a few lines, and the workers must overlap.
  cb::atomic<bool> go{false};
  std::vector<cb::thread> workers;
  for (int id = 0; id < p.threads; ++id) {
    workers.emplace_back([&, id] {
      while (!go.load()) cb::this_thread::yield();
      for (std::int64_t i = 0; i < p.iterations; ++i) {
        // BUG: five << are five separate writes. Another thread's writes can come between any two
        // of them, and the line is torn.
        out << "worker " << id << ": " << value_of(id, i) << "\n";  // casebook-bug: five write(2)s
      }
    });
  }
  go.store(true);
  for (auto& w : workers) w.join();

  std::int64_t lines = 0;
  std::string first_bad;
  const std::int64_t good = well_formed_lines(fd, p.threads, lines, first_bad);
  ::close(fd);

  const std::int64_t expected = std::int64_t{p.threads} * p.iterations;
  cb::outcome o = cb::outcome::equal(kInvariant, good, expected);
  o.note = std::to_string(lines - good) + " of " + std::to_string(lines) + " lines mangled";
  if (!first_bad.empty()) o.note += "; first: \"" + first_bad.substr(0, 60) + "\"";
  return o;
}

}  // namespace

CASEBOOK_VARIANT({
    .title = "threads print lines to one unbuffered output as several writes per line",
    .category = "race",
    .expectations = {cb::expect::skip("model",
                                      "the pieces interleave in write(2) system calls, which are "
                                      "not model scheduling points"),
                     cb::expect::finds("invariant", {"invariant-violated"}),
                     cb::expect::finds("property", {"counterexample"})},
    .defaults = {.threads = 4, .iterations = 5000},
    .vary = {{"threads", 1, 6}, {"iterations", 1, 2000}},
    .run = run,
});
