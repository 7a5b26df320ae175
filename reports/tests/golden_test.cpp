// Tests of the golden-file check itself (golden.hpp): a difference fails and leaves the new
// output beside the golden file; CASEBOOK_UPDATE_GOLDEN=1 rewrites the golden file, and
// CASEBOOK_UPDATE_GOLDEN=0 (or empty) does not.
#include "golden.hpp"

#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <optional>
#include <string>

namespace casebook::reports::testing {
namespace {

class GoldenCheck : public ::testing::Test {
 protected:
  void SetUp() override {
    // A folder per test: ctest runs them as parallel processes.
    dir_ = std::filesystem::path(::testing::TempDir()) /
           (std::string("casebook-golden-") +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    golden_ = (dir_ / "sample.golden").string();
    std::ofstream(golden_) << "old\n";
    const char* was = std::getenv("CASEBOOK_UPDATE_GOLDEN");
    saved_ = was ? std::optional<std::string>(was) : std::nullopt;
  }
  void TearDown() override {
    if (saved_) {
      ::setenv("CASEBOOK_UPDATE_GOLDEN", saved_->c_str(), 1);
    } else {
      ::unsetenv("CASEBOOK_UPDATE_GOLDEN");
    }
    std::filesystem::remove_all(dir_);
  }

  std::filesystem::path dir_;
  std::string golden_;
  std::optional<std::string> saved_;
};

TEST_F(GoldenCheck, ADifferenceFailsAndKeepsTheGoldenFile) {
  for (const char* value : std::initializer_list<const char*>{"", "0", nullptr}) {
    if (value) {
      ::setenv("CASEBOOK_UPDATE_GOLDEN", value, 1);
    } else {
      ::unsetenv("CASEBOOK_UPDATE_GOLDEN");
    }
    EXPECT_NONFATAL_FAILURE(expect_matches_golden("new\n", golden_), "differs from the golden");
    EXPECT_EQ(slurp(golden_), "old\n") << "CASEBOOK_UPDATE_GOLDEN=" << (value ? value : "(unset)");
    EXPECT_EQ(slurp(golden_ + ".new"), "new\n");
  }
}

TEST_F(GoldenCheck, UpdateRequestedRewritesTheGoldenFile) {
  ::setenv("CASEBOOK_UPDATE_GOLDEN", "1", 1);
  expect_matches_golden("new\n", golden_);
  EXPECT_EQ(slurp(golden_), "new\n");
  EXPECT_FALSE(std::filesystem::exists(golden_ + ".new"));
}

}  // namespace
}  // namespace casebook::reports::testing
