// model_scheduler.cpp - the controlled scheduler's own speed (harness/model/), in the `model`
// configuration (casebook-bench-model):
//
//   model/steps            scheduling steps per second on one core: two model threads doing
//                          atomic increments, decided by the random strategy, so about half
//                          the steps switch threads. The target is >= 1,000,000/s.
//   model/steps_no_switch  the same program under dfs's first (non-preemptive) schedule: the
//                          cost of a decision alone, with almost no context switches.
//   model/context_switch   the same program replayed under a schedule that alternates the two
//                          threads at every step, so (main's few steps aside) every step is one
//                          ucontext switch: time per step ~ one switch plus one decision.
//
// Every run counts `steps` (items processed) and reports a rate; the self-check is that each
// exploration finishes without a failure and with the expected number of increments.
#include <string>
#include <vector>

#include "casebook/model/explore.hpp"
#include "casebook/sync.hpp"
#include "common.hpp"

namespace cbb = casebook::bench;

namespace {

constexpr cbb::sizes kOps{.tiny = 1 << 8, .small = 1 << 12, .full = 1 << 14};

void run_model(benchmark::State& state, const char* strategy, bool alternate) {
  const auto ops = state.range(0);
  cb::model::options o;
  o.strategy = strategy;
  if (alternate) {
    // main spawns both; then threads 1 and 2 take turns: start, the increments, exit.
    std::vector<int> decisions = {0, 0};
    for (std::int64_t i = 0; i < ops + 2; ++i) decisions.insert(decisions.end(), {1, 2});
    o.strategy = "replay";
    o.schedule = cb::model::format_schedule(decisions);
  }
  o.runs = 1;
  o.max_executions = 1;
  o.max_steps = static_cast<std::size_t>(ops) * 8 + 100;
  o.shrink = false;
  o.keep_trace = false;  // the replayed run would otherwise be printed step by step
  std::size_t steps = 0;
  std::uint64_t seed = 1;
  for (auto _ : state) {
    o.seed = seed++;
    cb::model::exploration_result r = cb::model::explore(
        [&] {
          cb::atomic<std::int64_t> count{0};
          auto work = [&] {
            for (std::int64_t i = 0; i < ops; ++i) count.fetch_add(1);
          };
          cb::thread a(work), b(work);
          a.join();
          b.join();
          if (count.load() != 2 * ops) cb::model::rt::fail("invariant-violated", "lost", {});
        },
        o);
    if (r.failed) {
      state.SkipWithError(("model run failed: " + r.failure.message).c_str());
      return;
    }
    steps += r.total_steps;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(steps));
  state.counters["steps_per_second"] =
      benchmark::Counter(static_cast<double>(steps), benchmark::Counter::kIsRate);
  state.counters["ns_per_step"] = benchmark::Counter(
      static_cast<double>(steps), benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  state.counters["workers"] = 2;
}

void BM_model_steps(benchmark::State& state) {
  run_model(state, "random", false);
}
void BM_model_steps_no_switch(benchmark::State& state) {
  run_model(state, "dfs", false);
}
void BM_model_context_switch(benchmark::State& state) {
  run_model(state, "dfs", true);
}

}  // namespace

BENCHMARK(BM_model_steps)->Name("model/steps")->Apply([](auto* b) {
  cbb::add_sizes(b, "ops", kOps);
});
BENCHMARK(BM_model_steps_no_switch)->Name("model/steps_no_switch")->Apply([](auto* b) {
  cbb::add_sizes(b, "ops", kOps);
});
BENCHMARK(BM_model_context_switch)->Name("model/context_switch")->Apply([](auto* b) {
  cbb::add_sizes(b, "ops", kOps);
});
