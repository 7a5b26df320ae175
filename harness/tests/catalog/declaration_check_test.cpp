// Unit tests of the declaration check (catalog/declaration_check.hpp): kinds against each
// detector's vocabulary, with the file and line of the declaration, and the .small warning.
#include "catalog/declaration_check.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace casebook {
namespace {

namespace fs = std::filesystem;

// A closed vocabulary for "watchdog", an open one for "tsan", and "model" runs small inputs.
DetectorFacts facts(const VariantDecl& variant, const std::string& detector) {
  (void)variant;
  DetectorFacts f;
  if (detector == "watchdog") f.kinds = {{"hang"}, false};
  if (detector == "tsan") f.kinds = {{"data-race", "thread-leak"}, true};
  if (detector == "model") {
    f.kinds = {{"data-race", "deadlock"}, false};
    f.uses_small_inputs = true;
  }
  if (detector == "deriving") {
    f.uses_small_inputs = true;
    f.derives_small_inputs = true;
  }
  return f;
}

class DeclarationCheck : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ =
        fs::temp_directory_path() /
        ("casebook-declcheck-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
         "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(root_ / "cases" / "c");
    std::ofstream(root_ / "cases" / "c" / "broken.cpp")
        << "#include <casebook/case.hpp>\n"
        << "// \"hung\" in a comment first\n"
        << "CASEBOOK_VARIANT({\n"
        << "  .expectations = {\n"
        << "    cb::expect::finds(\"tsan\",\n"
        << "                      {\"data-rce\"}),\n"
        << "    cb::expect::finds(\"watchdog\",\n"
        << "                      {\"hung\"})},\n"
        << "});\n";
  }
  void TearDown() override { fs::remove_all(root_); }

  VariantDecl variant(std::vector<Expectation> expectations, bool with_small) const {
    VariantDecl v;
    v.case_name = "c";
    v.variant = "broken";
    v.file = "cases/c/broken.cpp";
    v.defaults.threads = 8;
    v.defaults.iterations = 50000;
    if (with_small) v.small = Params{2, 2, 1, {}};
    v.expectations = std::move(expectations);
    return v;
  }

  fs::path root_;
};

TEST_F(DeclarationCheck, AKindAClosedDetectorCannotReportIsAnErrorAtItsLine) {
  const auto problems =
      check_declarations({variant({{"watchdog", Want::finds, {"hung"}, "", true}}, true)},
                         {"watchdog"}, facts, root_.string());
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_TRUE(problems[0].error);
  // Line 8 declares it; line 2 names "hung" too, but before the detector.
  EXPECT_EQ(problems[0].line, 8);
  const std::string text = problems[0].text();
  EXPECT_EQ(text.rfind("cases/c/broken.cpp:8: error: c/broken: watchdog cannot report 'hung'", 0),
            0u)
      << text;
  EXPECT_NE(text.find("it reports hang"), std::string::npos) << text;
}

TEST_F(DeclarationCheck, AnUnlistedKindOfAnOpenVocabularyIsAWarning) {
  const auto problems =
      check_declarations({variant({{"tsan", Want::finds, {"data-rce"}, "", true}}, true)}, {"tsan"},
                         facts, root_.string());
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_FALSE(problems[0].error);
  EXPECT_EQ(problems[0].line, 6);
  EXPECT_NE(problems[0].text().find("warning: c/broken: tsan is not known to report 'data-rce'"),
            std::string::npos)
      << problems[0].text();
}

TEST_F(DeclarationCheck, KnownKindsOfEveryExpectationThatNamesKindsPass) {
  const auto problems =
      check_declarations({variant({{"tsan", Want::finds, {"data-race"}, "", true},
                                   {"watchdog", Want::may_find, {"hang"}, "chance", true},
                                   {"model", Want::false_positive, {"deadlock"}, "why", true}},
                                  true)},
                         {"tsan", "watchdog", "model"}, facts, root_.string());
  EXPECT_TRUE(problems.empty()) << problems.front().text();
  // may-find and known false positives are checked as finds are.
  const auto wrong =
      check_declarations({variant({{"watchdog", Want::may_find, {"hung"}, "chance", true},
                                   {"model", Want::false_positive, {"livelock"}, "why", true}},
                                  true)},
                         {"watchdog", "model"}, facts, root_.string());
  EXPECT_EQ(wrong.size(), 2u);
}

TEST_F(DeclarationCheck, NoSmallInputsWarnsWhenADetectorThatNeedsThemRuns) {
  const auto problems =
      check_declarations({variant({}, false)}, {"tsan", "model"}, facts, root_.string());
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_FALSE(problems[0].error);
  EXPECT_EQ(problems[0].line, 3);  // the CASEBOOK_VARIANT line
  EXPECT_NE(problems[0].message.find("no .small"), std::string::npos) << problems[0].message;
  EXPECT_NE(problems[0].message.find("model runs it with its defaults (threads=8, "
                                     "iterations=50000)"),
            std::string::npos)
      << problems[0].message;
  // A detector that derives its own small inputs is named as guessing them.
  const auto guessing =
      check_declarations({variant({}, false)}, {"deriving"}, facts, root_.string());
  ASSERT_EQ(guessing.size(), 1u);
  EXPECT_NE(guessing[0].message.find("deriving guesses small inputs from the defaults"),
            std::string::npos)
      << guessing[0].message;
  // The suggestion is never larger than the defaults, and names what a fixed variant wants.
  EXPECT_NE(problems[0].message.find("that still show the bug, such as {.threads = 2, "
                                     ".iterations = 2}"),
            std::string::npos)
      << problems[0].message;
  VariantDecl fixed_one = variant({}, false);
  fixed_one.variant = "fixed";
  fixed_one.defaults.threads = 1;
  fixed_one.defaults.extra["size"] = 4096;
  const auto fixed_problems = check_declarations({fixed_one}, {"model"}, facts, root_.string());
  ASSERT_EQ(fixed_problems.size(), 1u);
  EXPECT_NE(fixed_problems[0].message.find("that still exercise what the variant does, such as "
                                           "{.threads = 1, .iterations = 2}"),
            std::string::npos)
      << fixed_problems[0].message;
  // Defaults as small as the model's own (at most 3 threads, 4 iterations, no extras): .small
  // could only repeat them.
  VariantDecl tiny = variant({}, false);
  tiny.defaults.threads = 1;
  tiny.defaults.iterations = 1;
  EXPECT_TRUE(check_declarations({tiny}, {"tsan", "model"}, facts, root_.string()).empty());
  // Declared small inputs, or the slow detector skipped: nothing to say.
  EXPECT_TRUE(
      check_declarations({variant({}, true)}, {"tsan", "model"}, facts, root_.string()).empty());
  EXPECT_TRUE(check_declarations({variant({{"model", Want::skip, {}, "no model", true}}, false)},
                                 {"tsan", "model"}, facts, root_.string())
                  .empty());
}

TEST(SourceLineOf, FirstLineHoldingTheTextOrZero) {
  const fs::path file = fs::temp_directory_path() / "casebook-source-line-of.cpp";
  std::ofstream(file) << "a\nb needle\nneedle again\n";
  EXPECT_EQ(source_line_of(file.string(), "needle"), 2);
  EXPECT_EQ(source_line_of(file.string(), "absent"), 0);
  EXPECT_EQ(source_line_of((file.string() + ".missing"), "needle"), 0);
  fs::remove(file);
}

}  // namespace
}  // namespace casebook
