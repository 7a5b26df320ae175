#include "programs/labels.hpp"

#include <gtest/gtest.h>

#include "common/errors.hpp"
#include "scratch_folder.hpp"

namespace casebook {
namespace {

using testing::ScratchFolder;

std::vector<ProgramSource> corpus() {
  ProgramSource racy{"R1-sum-yes", "program", "/c", {"R1-sum-yes.c"}, false};
  ProgramSource clean{"R2-sum-no", "program", "/c", {"R2-sum-no.c"}, false};
  ProgramSource broken{"queue", "broken", "/c", {"queue/broken.cpp"}, true};
  return {racy, clean, broken};
}

TEST(Labels, NamesProgramsByFileCaseOrIdAndReadsBugLinesAndRacePairs) {
  ScratchFolder dir("labels");
  const auto file = dir.write("labels.txt",
                              "# ground truth\n"
                              "R1-sum-yes.c positive total@21:5:W vs. total@21:13:R 30\n"
                              "R2-sum-no negative  # a comment\n"
                              "\n"
                              "queue/broken positive 41:7 12\n");
  const auto labels = read_labels(file.string(), corpus());
  ASSERT_TRUE(labels[0] && labels[1] && labels[2]);
  EXPECT_TRUE(labels[0]->positive);
  EXPECT_EQ(labels[0]->bug_lines, (std::vector<int>{21, 30}));
  EXPECT_EQ(labels[0]->race_pairs, (std::vector<std::pair<int, int>>{{21, 21}}));
  EXPECT_FALSE(labels[1]->positive);
  EXPECT_TRUE(labels[1]->bug_lines.empty());
  EXPECT_EQ(labels[2]->bug_lines, (std::vector<int>{12, 41}));
  EXPECT_EQ(labels[2]->where, file.string() + ":5");
}

std::string error_of(const std::string& text) {
  ScratchFolder dir("labels-bad");
  const auto file = dir.write("labels.txt", text);
  try {
    read_labels(file.string(), corpus());
  } catch (const UsageError& e) {
    const std::string message = e.what();
    return message.substr(message.find("labels.txt"));
  }
  return "no error";
}

TEST(Labels, BadLinesAreUsageErrorsNamingFileAndLine) {
  EXPECT_EQ(error_of("R1-sum-yes.c racy\n"),
            "labels.txt:1: 'R1-sum-yes.c' needs a label, positive or negative, not 'racy'");
  EXPECT_EQ(error_of("R1-sum-yes.c\n"),
            "labels.txt:1: 'R1-sum-yes.c' needs a label, positive or negative");
  EXPECT_EQ(error_of("\nR9-gone-yes.c positive\n"),
            "labels.txt:2: no program called 'R9-gone-yes.c' under the --programs folders (name "
            "its file, its case, or case/variant)");
  const std::string twice = error_of("R1-sum-yes.c positive 21\nR1-sum-yes positive\n");
  EXPECT_EQ(twice.rfind("labels.txt:2: R1-sum-yes/program is already labelled at ", 0), 0u)
      << twice;
  EXPECT_EQ(twice.substr(twice.size() - 12), "labels.txt:1") << twice;
  EXPECT_EQ(error_of("R1-sum-yes.c positive line12\n"),
            "labels.txt:1: 'line12' is not a bug line (write LINE, LINE:COL or a race access "
            "such as a[i]@64:5:W)");
}

}  // namespace
}  // namespace casebook
