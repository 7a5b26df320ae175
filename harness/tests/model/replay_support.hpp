// replay_support.hpp - replaying a schedule the model printed, for the tests that check a
// failure reproduces from its schedule alone.
#pragma once

#include <string>
#include <utility>

#include "casebook/model/explore.hpp"

namespace cb::model::test {

// Runs `body` under the replay strategy with `schedule` (as printed after a failure).
template <class Body>
exploration_result replay(Body&& body, const std::string& schedule) {
  options o;
  o.strategy = "replay";
  o.schedule = schedule;
  return explore(std::forward<Body>(body), o);
}

}  // namespace cb::model::test
