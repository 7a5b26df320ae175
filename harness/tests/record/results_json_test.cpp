// Tests of results.json's trial records: the suppressions a Valgrind trial counted are kept
// (name and count, in the order the tool gave them), and a trial that suppressed nothing has
// no such field, so every other detector's trials read as before.
#include "record/results_json.hpp"

#include <gtest/gtest.h>

namespace casebook {
namespace {

TEST(ResultsJson, TrialKeepsTheSuppressionsItCounted) {
  TrialRecord t;
  t.suppressed = {{"helgrind-libgcc-unwind-raise-inner", 6}, {"helgrind-glibc2X-005", 1}};
  const nlohmann::json j = trial_to_json(t);
  ASSERT_TRUE(j.contains("suppressed")) << j.dump();
  const nlohmann::json expected = nlohmann::json::parse(
      R"([{"name": "helgrind-libgcc-unwind-raise-inner", "count": 6},
          {"name": "helgrind-glibc2X-005", "count": 1}])");
  EXPECT_EQ(j.at("suppressed"), expected);
}

TEST(ResultsJson, TrialWithoutSuppressionsHasNoField) {
  EXPECT_FALSE(trial_to_json(TrialRecord{}).contains("suppressed"));
}

}  // namespace
}  // namespace casebook
