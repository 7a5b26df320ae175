// process_local_lock, fixed: the same two teller processes and the same bookings, but the lock
// lives inside the shared mapping, next to the balance it guards, and is a pthread mutex marked
// PTHREAD_PROCESS_SHARED. Both processes now lock the very same mutex, so only one of them at a
// time can be inside a booking. (A std::mutex cannot be made process-shared; README.md shows the
// semaphore alternative.)
//
// This case uses POSIX directly (fork, mmap, waitpid); the controlled scheduler does not apply.
#include <casebook/case.hpp>
#include <casebook/sync.hpp>

#include <pthread.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <new>
#include <string>
#include <vector>

namespace {

constexpr const char* kInvariant =
    "balance == opening balance and bookings == processes * iterations";

// A mutex that several processes can share: a pthread mutex initialised with the
// PTHREAD_PROCESS_SHARED attribute. It only works where every process sees the same bytes, i.e.
// inside shared memory. Offers lock() and unlock(), so cb::lock_guard takes it.
class process_mutex {
 public:
  process_mutex() {
    pthread_mutexattr_t attr;
    ::pthread_mutexattr_init(&attr);
    ::pthread_mutexattr_setpshared(&attr, PTHREAD_PROCESS_SHARED);
    ::pthread_mutex_init(&mutex_, &attr);
    ::pthread_mutexattr_destroy(&attr);
  }
  ~process_mutex() { ::pthread_mutex_destroy(&mutex_); }
  process_mutex(const process_mutex&) = delete;
  process_mutex& operator=(const process_mutex&) = delete;

  void lock() { ::pthread_mutex_lock(&mutex_); }
  void unlock() { ::pthread_mutex_unlock(&mutex_); }

 private:
  pthread_mutex_t mutex_;
};

// Everything the tellers share. It is placed in a MAP_SHARED mapping, so a store made by one
// process is seen by the other: this is the one piece of memory fork() does not copy.
struct ledger {
  cb::atomic<int> ready{0};           // start gate: tellers that have arrived
  process_mutex lock;                 // FIX: the lock is shared memory too, one for everybody
  cb::shared<std::int64_t> balance;   // guarded by lock
  cb::shared<std::int64_t> bookings;  // guarded by lock
  cb::shared<std::uint64_t> journal;  // guarded by lock
};

// The amount of the i-th booking: small, varied, a function of the seed only.
std::int64_t amount_of(std::uint64_t seed, std::int64_t i) {
  std::uint64_t x = seed * 0x9E3779B97F4A7C15ull + static_cast<std::uint64_t>(i);
  x ^= x >> 31;
  return 1 + static_cast<std::int64_t>(x % 100);
}

// Appends a booking to the journal, a hash chain over every booking. `rounds` of mixing stand for
// the real work a booking does while it holds the balance it read (limits, the statement).
std::uint64_t chain(std::uint64_t journal, std::int64_t before, std::int64_t amount,
                    std::int64_t rounds) {
  std::uint64_t x =
      journal ^ static_cast<std::uint64_t>(before) ^ static_cast<std::uint64_t>(amount);
  for (std::int64_t r = 0; r < rounds; ++r) x = (x ^ (x >> 29)) * 0xBF58476D1CE4E5B9ull + 1;
  return x;
}

// Books `amount` (negative for a withdrawal): read the balance, journal the booking, write the new
// balance back. The caller must hold the lock for the whole read-modify-write.
void book_entry(ledger& book, std::int64_t amount, std::int64_t rounds) {
  const std::int64_t before = book.balance.read();
  const std::int64_t count = book.bookings.read();
  book.journal.write(chain(book.journal.read(), before, amount, rounds));
  book.balance.write(before + amount);
  book.bookings.write(count + 1);
}

// One teller: books `iterations` amounts, each under the ledger's lock. Even tellers take deposits,
// odd tellers pay out withdrawals of the same amounts, so a deposit teller and a withdrawal teller
// leave the balance where it started.
void teller(ledger& book, int id, int tellers, const cb::params& p) {
  // All tellers start together, so their bookings overlap from the first one.
  book.ready.fetch_add(1);
  while (book.ready.load() < tellers) cb::this_thread::yield();

  const std::int64_t sign = id % 2 == 0 ? 1 : -1;
  const std::int64_t rounds = p.get("journal_rounds", 20);
  for (std::int64_t i = 0; i < p.iterations; ++i) {
    // Both processes lock the same process_mutex, in the same shared bytes.
    cb::lock_guard hold(book.lock);
    book_entry(book, sign * amount_of(p.seed, i), rounds);
  }
}

cb::outcome run(const cb::params& p) {
  const int tellers = static_cast<int>(p.get("processes", 2));
  const std::int64_t opening = p.get("opening_balance", 1000000);

  void* memory =
      ::mmap(nullptr, sizeof(ledger), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (memory == MAP_FAILED) {
    cb::outcome o;
    o.invariant = kInvariant;
    o.holds = false;
    o.note = std::string("mmap failed: ") + std::strerror(errno);
    return o;
  }
  // The ledger, its lock included, is constructed in the mapping before any fork(), so every teller
  // inherits a reference to the same shared bytes rather than a copy.
  ledger* book = new (memory) ledger{};
  book->balance.write(opening);

  std::vector<pid_t> children;
  std::string trouble;
  for (int id = 0; id < tellers; ++id) {
    const pid_t pid = ::fork();
    if (pid == 0) {
      teller(*book, id, tellers, p);
      ::_exit(0);  // no atexit handlers or stdio flushing: they belong to the parent
    }
    if (pid < 0) {
      trouble = std::string("fork failed: ") + std::strerror(errno);
      book->ready.fetch_add(tellers);  // release the tellers already waiting at the gate
      break;
    }
    children.push_back(pid);
  }

  // Reap every teller; none may outlive the run.
  int failed = 0;
  for (pid_t pid : children) {
    int status = 0;
    pid_t reaped;
    do {
      reaped = ::waitpid(pid, &status, 0);
    } while (reaped < 0 && errno == EINTR);
    if (reaped != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) ++failed;
  }

  const std::int64_t balance = book->balance.read();
  const std::int64_t booked = book->bookings.read();
  const std::int64_t expected_bookings = std::int64_t{tellers} * p.iterations;
  // Deposit tellers minus withdrawal tellers, times the amounts each one books.
  std::int64_t per_teller = 0;
  for (std::int64_t i = 0; i < p.iterations; ++i) per_teller += amount_of(p.seed, i);
  const std::int64_t expected_balance = opening + (tellers % 2) * per_teller;
  book->~ledger();
  ::munmap(memory, sizeof(ledger));

  const std::int64_t lost = expected_bookings - booked;
  cb::outcome o = cb::outcome::equal(
      kInvariant,
      "balance " + std::to_string(balance) + ", " + std::to_string(booked) + " bookings",
      "balance " + std::to_string(expected_balance) + ", " + std::to_string(expected_bookings) +
          " bookings");
  o.holds = o.holds && failed == 0 && trouble.empty();
  o.note = std::to_string(lost) + " of " + std::to_string(expected_bookings) +
           " bookings lost by " + std::to_string(tellers) + " teller processes; balance off by " +
           std::to_string(balance - expected_balance);
  if (failed != 0) o.note += "; " + std::to_string(failed) + " teller(s) failed";
  if (!trouble.empty()) o.note += "; " + trouble;
  return o;
}

}  // namespace

CASEBOOK_VARIANT({
    .title = "the same bookings under a PTHREAD_PROCESS_SHARED mutex inside the shared mapping",
    .category = "process",
    .expectations = {cb::expect::skip("model",
                                      "a process case (fork, pipes, shared memory): the model "
                                      "schedules the threads of one process, not processes")},
    .defaults = {.threads = 1, .iterations = 300000, .extra = {{"processes", 2}}},
    // Valgrind runs each process 50-500x slower and sees one process at a time, so the size of
    // the run changes nothing it can say: a few thousand increments per process.
    .small = {.threads = 1, .iterations = 3'000, .extra = {{"processes", 2}}},
    .vary = {{"iterations", 1, 100000}, {"processes", 1, 3}},
    .run = run,
});
