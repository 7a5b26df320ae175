// model_test_support.hpp - what several model test files share: the smallest racy program
// (a lost update) and replaying a schedule the model printed.
#pragma once

#include <string>
#include <utility>

#include "casebook/model/explore.hpp"
#include "casebook/model/rt.hpp"
#include "casebook/sync.hpp"

namespace cb::model::test {

// Two threads each add one to a shared counter with an unlocked read and write: a data race,
// and with races only marked, a lost update that fails the final check.
inline void lost_update() {
  cb::shared<int> counter{0};
  cb::thread a([&] { counter.write(counter.read() + 1); });
  cb::thread b([&] { counter.write(counter.read() + 1); });
  a.join();
  b.join();
  if (counter.read() != 2) cb::model::rt::fail("invariant-violated", "lost update", {});
}

// Runs `body` under the replay strategy with `schedule` (as printed after a failure).
template <class Body>
exploration_result replay(Body&& body, const std::string& schedule) {
  options o;
  o.strategy = "replay";
  o.schedule = schedule;
  return explore(std::forward<Body>(body), o);
}

}  // namespace cb::model::test
