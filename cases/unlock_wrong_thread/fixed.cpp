// unlock_wrong_thread, fixed: the same capture and encoder threads sharing one frame buffer,
// but the turn is passed with a token that has no owner: a flag guarded by a mutex, and a
// condition variable to wait for it. The capture thread takes the token and the encoder gives
// it back; the mutex inside is only ever unlocked by the thread that locked it.
#include <casebook/case.hpp>
#include <casebook/sync.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace {

// A token any thread may give back: a binary semaphore made of a mutex, a condition variable and
// a flag. It has no owner, so "one thread takes it, another gives it back" is its ordinary use.
// (std::binary_semaphore is the standard one; see README.md.)
class token {
 public:
  void take() {
    cb::unique_lock hold(lock_);
    given_back_.wait(hold, [&] { return free_.read(); });
    free_.write(false);
  }
  void give() {
    {
      cb::lock_guard hold(lock_);
      free_.write(true);
    }
    given_back_.notify_one();
  }

 private:
  cb::mutex lock_;
  cb::condition_variable given_back_;
  cb::shared<bool> free_{true};  // guarded by lock_
};

// The one buffer both threads use, and what tells each of them whose turn it is.
struct frame_buffer {
  explicit frame_buffer(std::size_t words) : pixels(words) {}
  token busy;                         // taken by the capture thread, given back by the encoder
  cb::atomic<std::int64_t> ready{0};  // the last frame handed to the encoder
  std::vector<cb::shared<std::uint64_t>> pixels;  // written by capture, read by the encoder
};

// Word `k` of frame `frame`: what the camera delivers.
std::uint64_t pixel(std::uint64_t seed, std::int64_t frame, std::size_t k) {
  std::uint64_t x = seed ^ (static_cast<std::uint64_t>(frame) << 20) ^ k;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  return x ^ (x >> 31);
}

// The encoder's output, reduced to a running digest over every word of every frame, in order.
std::uint64_t encode(std::uint64_t digest, std::uint64_t word) {
  return (digest ^ word) * 0x100000001B3ull;
}

cb::outcome run(const cb::params& p) {
  const std::int64_t frames = p.iterations;
  const auto words = static_cast<std::size_t>(p.get("frame_words", 256));
  frame_buffer buffer(words);
  std::uint64_t encoded_digest = 0;  // the encoder's; read here after join()
  std::int64_t encoded = 0;          // likewise

  cb::thread encoder([&] {
    for (std::int64_t f = 1; f <= frames; ++f) {
      while (buffer.ready.load() < f) cb::this_thread::yield();  // wait for frame f
      for (std::size_t k = 0; k < words; ++k) {
        encoded_digest = encode(encoded_digest, buffer.pixels[k].read());
      }
      ++encoded;
      // The fix: giving the token back locks and unlocks the token's own mutex on this thread,
      // which also orders the reads above before the capture thread's next writes.
      buffer.busy.give();
    }
  });

  cb::thread capture([&] {
    for (std::int64_t f = 1; f <= frames; ++f) {
      buffer.busy.take();  // waits until the encoder has given back the previous frame
      for (std::size_t k = 0; k < words; ++k) buffer.pixels[k].write(pixel(p.seed, f, k));
      buffer.ready.store(f);  // frame f is in the buffer: the encoder may start on it
    }
    buffer.busy.take();  // waits for the last frame to be encoded, then leaves the token free
    buffer.busy.give();
  });

  capture.join();
  encoder.join();

  // What the encoder must have produced: every frame, whole, in order.
  std::uint64_t expected = 0;
  for (std::int64_t f = 1; f <= frames; ++f) {
    for (std::size_t k = 0; k < words; ++k) expected = encode(expected, pixel(p.seed, f, k));
  }
  cb::outcome o = cb::outcome::equal("encoded digest == digest of every frame, in order",
                                     encoded_digest, expected);
  o.note = std::to_string(encoded) + " of " + std::to_string(frames) + " frames encoded";
  return o;
}

}  // namespace

CASEBOOK_VARIANT({
    .title = "the capture thread takes a buffer token and the encoder thread gives it back",
    .category = "misuse",
    .expectations =
        {cb::expect::false_positive(
             "helgrind", {"data-race", "unlocked-signal"},
             "Helgrind sees happens-before only through pthread calls (mutexes, condition "
             "variables, thread create/join), not through C++ atomics: the std::atomic store and "
             "the load that reads it order the plain data around them, but to Helgrind they are "
             "just two accesses, so the data they hand from thread to thread looks unsynchronised "
             "(the encoder waits for each frame on the atomic `ready`); also, Helgrind reports "
             "every pthread_cond_signal/broadcast made while no thread holds the condition "
             "variable's mutex (\"dubious: associated lock is not held by any thread\"); here the "
             "predicate changes under the mutex and notify runs just after the unlock, which is "
             "correct C++ (the waiter rechecks its predicate under the mutex) and spares it waking "
             "into a held lock"),
         cb::expect::false_positive(
             "drd", {"data-race", "unlocked-signal"},
             "DRD sees happens-before only through pthread calls (mutexes, condition variables, "
             "thread create/join), not through C++ atomics: the std::atomic store and the load "
             "that reads it order the plain data around them, but to DRD they are just two "
             "accesses, so the data they hand from thread to thread looks unsynchronised (the "
             "encoder waits for each frame on the atomic `ready`); also, DRD reports every "
             "pthread_cond_signal/broadcast made without the associated mutex held (CondRaceErr, "
             "\"probably a race condition\"); here the predicate changes under the mutex and "
             "notify runs just after the unlock, which is correct C++ (the waiter rechecks its "
             "predicate under the mutex)"),
         cb::expect::clean("model"), cb::expect::clean("thread-safety"),
         cb::expect::skip("property",
                          "glibc's default mutex lets another thread unlock it, so the "
                          "values stay right: the misuse "
                          "is undefined behaviour that no value check sees")},
    .defaults = {.iterations = 2000},
    .small = {.threads = 2, .iterations = 2, .extra = {{"frame_words", 4}}},
    .run = run,
});
