// fiber.hpp - user-space execution contexts for model threads: ucontext plus the sanitizer
// fiber annotations, so a model thread switch looks to TSan and ASan like what it is (one OS
// thread moving between stacks), not a stack smash or a race between unrelated threads.
//
// Not thread-safe: a fiber belongs to the OS thread that created it. Stacks are reused
// through a small per-OS-thread pool, because an exploration creates thousands of threads.
#pragma once

#include <ucontext.h>

#include <cstddef>

namespace cb::model::detail {

class fiber {
 public:
  // The context of the calling OS thread itself (the scheduler's host); owns no stack.
  fiber();
  // A new context that will run entry() on a stack of its own when first switched to.
  fiber(void (*entry)(), std::size_t stack_size);
  ~fiber();
  fiber(const fiber&) = delete;
  fiber& operator=(const fiber&) = delete;

  // Suspends `from` (the running context) and resumes `to`. `from_exits` says `from` will
  // never be resumed (its stack may be released), which ASan needs to know.
  static void switch_to(fiber& from, fiber& to, bool from_exits = false);
  // Must be the first call in entry(): completes the switch that started this fiber.
  static void started();

 private:
  ucontext_t context_{};
  void* stack_ = nullptr;
  std::size_t stack_size_ = 0;
  // Each sanitizer's fields are used only in a build with that sanitizer (fiber.cpp).
  [[maybe_unused]] void* tsan_fiber_ = nullptr;
  [[maybe_unused]] bool owns_tsan_fiber_ = false;
  [[maybe_unused]] const void* asan_bottom_ = nullptr;  // the stack ASan is told about on entry
  [[maybe_unused]] std::size_t asan_size_ = 0;
  // ASan's fake stack of this context while suspended.
  [[maybe_unused]] void* asan_fake_stack_ = nullptr;
};

}  // namespace cb::model::detail
