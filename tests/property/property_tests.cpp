// The catalog's properties as GoogleTest tests, one per variant that declares .vary inputs
// (ctest label `property`). Registered at start-up from the variants compiled in, so a new
// case gets its test by declaring .vary and nothing else.
//
//   fixed variant:  the invariant holds for every generated input, at least 100 of them
//                   (more with RC_PARAMS="max_success=N");
//   broken variant: rapidcheck finds a counterexample within the variant's budget
//                   (.property_tests, 100 by default), records the shrunk input and the
//                   reproduce string; the reproduce string replays that input, and where
//                   the inputs alone decide the failure (.inputs_decide_failure) it fails
//                   again.
//
// A race shows with a probability, also at the shrunk input, so for races the replay is
// checked to run the same input, and how often it failed again is printed. Every run is a
// forked child (forked_run.hpp), so a variant that crashes fails its input like any other;
// a crash counts as the broken variant's failure only where the variant declares "crash" among
// the property detector's kinds. Elsewhere the run was meant to end with its invariant false,
// and a death (of the case code or of the property check around it) fails the test.
#include <gtest/gtest.h>
#include <rapidcheck.h>

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "property_check.hpp"
#include "registry.hpp"

namespace casebook::casehost {
namespace {

constexpr int kReplayAttempts = 5;

// The finding kinds v declares for the property detector (finds or may_find), e.g.
// {"counterexample"} or {"counterexample", "crash"}.
std::vector<std::string> declared_property_kinds(const registered_variant& v) {
  std::vector<std::string> kinds;
  for (const auto& e : v.spec.expectations) {
    if (e.detector == "property") kinds.insert(kinds.end(), e.kinds.begin(), e.kinds.end());
  }
  return kinds;
}

// RC_PARAMS's seed and max_success, as rapidcheck's own tests would take them.
property_options options_for(const registered_variant& v) {
  property_options o;
  o.tests = v.spec.property_tests > 0 ? v.spec.property_tests : 100;
  if (const char* env = std::getenv("RC_PARAMS"); env != nullptr && *env != '\0') {
    rc::detail::Configuration defaults;
    defaults.testParams.maxSuccess = o.tests;
    const auto config = rc::detail::configFromString(env, defaults);
    o.tests = config.testParams.maxSuccess;
    o.seed = config.testParams.seed;
  }
  return o;
}

class VariantProperty : public ::testing::Test {
 public:
  explicit VariantProperty(const registered_variant& v) : v_(v) {}

  void TestBody() override {
    const property_options options = options_for(v_);
    const property_result r = check_property(v_, options);
    ASSERT_FALSE(r.gave_up) << "rapidcheck gave up: " << r.message;
    if (v_.variant == "fixed") {
      EXPECT_FALSE(r.failed) << "the fixed variant fails for " << r.counterexample << ": "
                             << r.failure << "\nreplay: RC_PARAMS=\"reproduce=" << r.reproduce
                             << "\"";
      EXPECT_GE(r.tests_run, 100) << "a fixed variant's property must pass 100 inputs or more";
      return;
    }
    ASSERT_TRUE(r.failed) << "missed: no counterexample in " << r.tests_run
                          << " inputs; the broken variant's property must fail";
    const std::vector<std::string> kinds = declared_property_kinds(v_);
    const std::string kind = r.crashed ? "crash" : "counterexample";
    ASSERT_NE(std::find(kinds.begin(), kinds.end(), kind), kinds.end())
        << "the broken variant's run " << (r.crashed ? "died" : "failed its invariant") << " for "
        << r.counterexample << " (" << r.failure
        << "), which it does not declare: its property kinds are "
        << ::testing::PrintToString(kinds);
    RecordProperty("counterexample", r.counterexample);
    RecordProperty("shrinks", r.shrinks);
    RecordProperty("reproduce", r.reproduce);
    std::cout << v_.case_name << "/" << v_.variant << ": counterexample " << r.counterexample
              << " after " << r.tests_run << " inputs and " << r.shrinks << " shrinks\n  "
              << r.failure << "\n  replay: RC_PARAMS=\"reproduce=" << r.reproduce << "\"\n";

    // The reproduce string replays that input: the last input a replay runs is the
    // counterexample (it first re-runs the original failure, then the accepted shrinks).
    property_options replay = options;
    replay.reproduce = r.reproduce;
    std::string last_input;
    replay.on_input = [&](const std::string& input) { last_input = input; };
    int failed_replays = 0;
    int attempts = 0;
    while (attempts < kReplayAttempts && failed_replays == 0) {
      ++attempts;
      const property_result again = check_property(v_, replay);
      EXPECT_EQ(last_input, r.counterexample) << "a replay runs the counterexample's input";
      EXPECT_LE(again.tests_run, 1 + r.shrinks) << "a replay runs no new inputs";
      if (again.failed) {
        ++failed_replays;
        EXPECT_EQ(again.counterexample, r.counterexample);
      }
    }
    std::cout << "  replays: " << attempts << ", failed again: " << failed_replays << "\n";
    if (v_.spec.inputs_decide_failure) {
      EXPECT_EQ(failed_replays, 1)
          << "the counterexample " << r.counterexample << " did not fail again in "
          << kReplayAttempts << " replays, though its inputs alone decide the failure";
    }
  }

 private:
  const registered_variant& v_;
};

void register_properties() {
  for (const auto& v : all_variants()) {
    if (v.spec.vary.empty()) continue;
    ::testing::RegisterTest(v.case_name.c_str(), v.variant.c_str(), nullptr, nullptr,
                            v.file.c_str(), 0,
                            [&v]() -> ::testing::Test* { return new VariantProperty(v); });
  }
}

}  // namespace
}  // namespace casebook::casehost

int main(int argc, char** argv) {
  casebook::casehost::register_properties();
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
