// unlock_wrong_thread, broken: a capture thread and an encoder thread share one frame buffer.
// The capture thread locks `busy` before it fills the buffer and hands the frame over; the
// encoder unlocks `busy` once it has encoded the frame, so the capture thread's next lock()
// waits until the buffer is free again. The mutex is passed between the threads like a token,
// but a mutex has an owner: only the thread that locked it may unlock it. std::mutex::unlock()
// called by any other thread is undefined behaviour, however well it seems to work here.
#include <casebook/case.hpp>
#include <casebook/sync.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace {

// The one buffer both threads use, and what tells each of them whose turn it is.
struct frame_buffer {
  explicit frame_buffer(std::size_t words) : pixels(words) {}
  cb::mutex busy;                     // BUG: locked by the capture thread, unlocked by the encoder
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
      // BUG: gives the buffer back by unlocking a mutex this thread never locked. glibc's
      // default mutex does not check the owner, so this appears to work; it is undefined
      // behaviour all the same (an error-checking mutex refuses it with EPERM).
      buffer.busy.unlock();  // casebook-bug: this thread never locked busy
    }
  });

  cb::thread capture([&] {
    for (std::int64_t f = 1; f <= frames; ++f) {
      buffer.busy.lock();  // waits until the encoder has let go of the previous frame
      for (std::size_t k = 0; k < words; ++k) buffer.pixels[k].write(pixel(p.seed, f, k));
      buffer.ready.store(f);  // frame f is in the buffer: the encoder may start on it
    }
    buffer.busy.lock();  // waits for the last frame to be encoded, then leaves `busy` unlocked
    buffer.busy.unlock();
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
    .title = "the capture thread locks the buffer's mutex and the encoder thread unlocks it",
    .category = "misuse",
    .expectations =
        {cb::expect::finds("helgrind", {"mutex-misuse"}),
         cb::expect::finds("drd", {"mutex-misuse"}), cb::expect::finds("model", {"mutex-misuse"}),
         cb::expect::finds("tsan", {"unlock-of-unlocked-mutex"}),
         cb::expect::finds("thread-safety", {"unlock-not-held"}),
         cb::expect::skip("property",
                          "glibc's default mutex lets another thread unlock it, so the values stay "
                          "right: the misuse is undefined behaviour that no value check sees")},
    .defaults = {.iterations = 2000},
    .small = {.threads = 2, .iterations = 2, .extra = {{"frame_words", 4}}},
    .run = run,
});
