#include "casebook/noise/injector.hpp"

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <thread>

namespace cb::noise {
namespace {

// splitmix64: a small, well-mixed generator; one step per decision.
std::uint64_t mix(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

std::atomic<int> g_level{0};
std::atomic<std::uint64_t> g_seed{0};
std::atomic<std::uint64_t> g_next_ordinal{1};  // 0 is the main thread
// Counted only where a point perturbs (a yield or a sleep costs far more than the count): a
// count at every point would put a locked instruction, a full fence on x86, into the case's
// hottest paths and change what the noise build can show.
std::atomic<std::uint64_t> g_perturbed{0};

thread_local std::uint64_t t_ordinal = 0;
thread_local std::optional<injector> t_injector;

}  // namespace

injector::injector(std::uint64_t seed, int level, std::uint64_t stream)
    : state_(seed ^ (stream * 0xD1B54A32D192ED03ULL)), level_(level < 0 ? 0 : level) {
  mix(state_);  // decorrelate neighbouring seeds
}

decision injector::next() {
  if (level_ == 0 || perturbed_ >= kPerturbationBudget) return {};
  const std::uint64_t draw = mix(state_);
  const unsigned percent = static_cast<unsigned>(draw % 100);
  if (percent >= static_cast<unsigned>(level_) * 5) return {};
  ++perturbed_;
  if ((draw >> 32) % 3 != 0) return {action::yield, 0};
  const unsigned longest = static_cast<unsigned>(level_) * 20;
  const unsigned micros = 1 + static_cast<unsigned>((draw >> 40) % longest);
  if (slept_micros_ + micros > kSleepBudgetMicros) return {action::yield, 0};
  slept_micros_ += micros;
  return {action::sleep, micros};
}

void configure(int level, std::uint64_t seed) {
  g_seed.store(seed);
  g_level.store(level < 0 ? 0 : (level > 10 ? 10 : level));
  g_next_ordinal.store(1);
  g_perturbed.store(0);
  t_injector.reset();
}

std::uint64_t points_perturbed() {
  return g_perturbed.load(std::memory_order_relaxed);
}

int configured_level() {
  return g_level.load(std::memory_order_relaxed);
}

std::uint64_t next_thread_ordinal() noexcept {
  return g_next_ordinal.fetch_add(1);
}

void enter_thread(std::uint64_t ordinal) noexcept {
  t_ordinal = ordinal;
  t_injector.reset();
}

void point() noexcept {
  const int level = g_level.load(std::memory_order_relaxed);
  if (level == 0) return;
  if (!t_injector) t_injector.emplace(g_seed.load(std::memory_order_relaxed), level, t_ordinal);
  const decision d = t_injector->next();
  if (d.what != action::none) g_perturbed.fetch_add(1, std::memory_order_relaxed);
  if (d.what == action::yield) {
    std::this_thread::yield();
  } else if (d.what == action::sleep) {
    std::this_thread::sleep_for(std::chrono::microseconds(d.micros));
  }
}

}  // namespace cb::noise
