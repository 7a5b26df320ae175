// fiber.cpp - ucontext switching with the TSan/ASan fiber annotations (see fiber.hpp).
#include "fiber.hpp"

#include <pthread.h>
#include <sys/mman.h>

#include <cstdlib>
#include <new>
#include <vector>

#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define CASEBOOK_MODEL_TSAN 1
#endif
#if __has_feature(address_sanitizer)
#define CASEBOOK_MODEL_ASAN 1
#endif
#endif
#if defined(__SANITIZE_THREAD__)
#define CASEBOOK_MODEL_TSAN 1
#endif
#if defined(__SANITIZE_ADDRESS__)
#define CASEBOOK_MODEL_ASAN 1
#endif

#if CASEBOOK_MODEL_TSAN
extern "C" {
void* __tsan_get_current_fiber(void);
void* __tsan_create_fiber(unsigned flags);
void __tsan_destroy_fiber(void* fiber);
void __tsan_switch_to_fiber(void* fiber, unsigned flags);
}
#endif
#if CASEBOOK_MODEL_ASAN
extern "C" {
void __sanitizer_start_switch_fiber(void** fake_stack_save, const void* bottom, std::size_t size);
void __sanitizer_finish_switch_fiber(void* fake_stack_save, const void** bottom_old,
                                     std::size_t* size_old);
}
#endif

namespace cb::model::detail {
namespace {

// Released stacks, kept for the next fiber of the same size: mmap/munmap per model thread
// would dominate the cost of a short execution.
struct stack_pool {
  std::vector<std::pair<void*, std::size_t>> free;
  ~stack_pool() {
    for (auto& [p, n] : free) munmap(p, n);
  }
};
thread_local stack_pool pool;

void* take_stack(std::size_t size) {
  for (std::size_t i = 0; i < pool.free.size(); ++i) {
    if (pool.free[i].second == size) {
      void* p = pool.free[i].first;
      pool.free[i] = pool.free.back();
      pool.free.pop_back();
      return p;
    }
  }
  void* p = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                 -1, 0);
  if (p == MAP_FAILED) throw std::bad_alloc();
  return p;
}

void give_stack(void* p, std::size_t size) {
  if (pool.free.size() < 64) {
    pool.free.emplace_back(p, size);
  } else {
    munmap(p, size);
  }
}

}  // namespace

fiber::fiber() {
#if CASEBOOK_MODEL_ASAN
  // ASan must be told the host's stack bounds whenever a fiber switches back to it.
  pthread_attr_t attr;
  if (pthread_getattr_np(pthread_self(), &attr) == 0) {
    void* addr = nullptr;
    std::size_t size = 0;
    pthread_attr_getstack(&attr, &addr, &size);
    asan_bottom_ = addr;
    asan_size_ = size;
    pthread_attr_destroy(&attr);
  }
#endif
#if CASEBOOK_MODEL_TSAN
  tsan_fiber_ = __tsan_get_current_fiber();
#endif
}

fiber::fiber(void (*entry)(), std::size_t stack_size) : stack_size_(stack_size) {
  stack_ = take_stack(stack_size);
  getcontext(&context_);
  context_.uc_stack.ss_sp = stack_;
  context_.uc_stack.ss_size = stack_size;
  context_.uc_link = nullptr;  // entry() never returns: it switches away for good
  makecontext(&context_, entry, 0);
  asan_bottom_ = stack_;
  asan_size_ = stack_size;
#if CASEBOOK_MODEL_TSAN
  tsan_fiber_ = __tsan_create_fiber(0);
  owns_tsan_fiber_ = true;
#endif
}

fiber::~fiber() {
#if CASEBOOK_MODEL_TSAN
  if (owns_tsan_fiber_) __tsan_destroy_fiber(tsan_fiber_);
#endif
  if (stack_ != nullptr) give_stack(stack_, stack_size_);
}

void fiber::switch_to(fiber& from, fiber& to, bool from_exits) {
#if CASEBOOK_MODEL_ASAN
  // A host context (no stack of ours) is described to ASan by what it reported when we
  // left it; a fiber by its own stack.
  __sanitizer_start_switch_fiber(from_exits ? nullptr : &from.asan_fake_stack_, to.asan_bottom_,
                                 to.asan_size_);
#else
  (void)from_exits;
#endif
#if CASEBOOK_MODEL_TSAN
  __tsan_switch_to_fiber(to.tsan_fiber_, 0);
#endif
  swapcontext(&from.context_, &to.context_);
#if CASEBOOK_MODEL_ASAN
  __sanitizer_finish_switch_fiber(from.asan_fake_stack_, nullptr, nullptr);
#endif
}

void fiber::started() {
#if CASEBOOK_MODEL_ASAN
  __sanitizer_finish_switch_fiber(nullptr, nullptr, nullptr);
#endif
}

}  // namespace cb::model::detail
