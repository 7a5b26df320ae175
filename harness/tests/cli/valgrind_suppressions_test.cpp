// Tests of `casebook run`'s Valgrind suppressions options: casebook's own file first, then the
// user's --valgrind-suppressions files in order, and a file that cannot be read is a usage
// error naming it (main.cpp turns that into exit 2) before any trial starts.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "common/errors.hpp"
#include "detectors/detector.hpp"

namespace casebook {
namespace {

namespace fs = std::filesystem;

class ValgrindSuppressionsOption : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("casebook-suppopt-" + std::to_string(::getpid()));
    fs::create_directories(dir_ / "empty-bin");
    options_.detectors = "helgrind,drd";
    options_.common.bin_dir = (dir_ / "empty-bin").string();  // no case binaries: stops later
    options_.out_dir = (dir_ / "out").string();
    saved_ = valgrind_suppressions();
  }
  void TearDown() override {
    set_valgrind_suppressions(saved_);
    fs::remove_all(dir_);
  }

  // The message of the UsageError run_command throws, or "" when it throws none.
  std::string usage_error() {
    try {
      run_command(options_);
    } catch (const UsageError& e) {
      return e.what();
    } catch (const std::exception&) {
      return "";
    }
    return "";
  }

  fs::path dir_;
  RunOptions options_;
  std::vector<std::string> saved_;
};

TEST_F(ValgrindSuppressionsOption, AMissingFileIsAUsageErrorNamingIt) {
  options_.valgrind_suppressions = {(dir_ / "typo.supp").string()};
  const std::string message = usage_error();
  EXPECT_NE(message.find("--valgrind-suppressions '" + (dir_ / "typo.supp").string() +
                         "' does not exist"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("give a readable Valgrind suppressions file"), std::string::npos);
}

TEST_F(ValgrindSuppressionsOption, AFolderIsAUsageError) {
  options_.valgrind_suppressions = {dir_.string()};
  EXPECT_NE(usage_error().find("is a folder, not a file"), std::string::npos);
}

// Valgrind would refuse it at every trial: read once before the run, it is a usage error
// naming the file and the line.
TEST_F(ValgrindSuppressionsOption, AFileValgrindCannotParseIsAUsageErrorNamingTheLine) {
  if (std::string(CASEBOOK_VALGRIND).empty()) GTEST_SKIP() << "valgrind is not installed";
  const fs::path bad = dir_ / "bad.supp";
  std::ofstream(bad) << "{\n   mine\n   Helgrind:Race\n";
  options_.valgrind_suppressions = {bad.string()};
  const std::string message = usage_error();
  EXPECT_NE(message.find("Valgrind cannot read a --valgrind-suppressions file: FATAL: in "
                         "suppressions file \"" +
                         bad.string() + "\" near line 3:"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("unexpected end-of-file"), std::string::npos) << message;
  // A well-formed file of the user's passes the same check.
  std::ofstream(bad) << "{\n   mine\n   Helgrind:Race\n   fun:my_benign_race\n}\n";
  EXPECT_EQ(usage_error(), "");
}

TEST_F(ValgrindSuppressionsOption, UserFilesFollowCasebooksOwnInOrder) {
  const fs::path mine = dir_ / "mine.supp";
  const fs::path other = dir_ / "other.supp";
  std::ofstream(mine) << "# mine\n";
  std::ofstream(other) << "# other\n";
  options_.valgrind_suppressions = {mine.string(), other.string()};
  EXPECT_EQ(usage_error(), "");  // it gets as far as the missing case binaries
  const std::vector<std::string> expected = {shipped_valgrind_suppressions(), mine.string(),
                                             other.string()};
  EXPECT_EQ(valgrind_suppressions(), expected);
  // Without casebook's own.
  options_.no_default_valgrind_suppressions = true;
  EXPECT_EQ(usage_error(), "");
  EXPECT_EQ(valgrind_suppressions(), (std::vector<std::string>{mine.string(), other.string()}));
}

}  // namespace
}  // namespace casebook
