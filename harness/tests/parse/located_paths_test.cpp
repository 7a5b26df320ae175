// Tests of where evidence paths are located (parse/located_paths.hpp): a file in a
// CASEBOOK_EXTRA_CASES folder becomes relative to it with its base id, however a tool spelled
// it; the repository's own files and system paths are left as they are. The last test moves
// the frames of a real TSan report (programs/tsan_data_race.cpp) under an extra folder.
#include "parse/located_paths.hpp"

#include <gtest/gtest.h>

#include "parse/tsan_parser.hpp"
#include "program_findings.hpp"

namespace casebook {
namespace {

const SourceBase kOutside{"%EXTRA_CASES_MINE%", "/home/user/mine"};

TEST(LocatedPaths, BaseIdsNameTheFolder) {
  EXPECT_EQ(extra_cases_base_id("/home/user/mine"), "%EXTRA_CASES_MINE%");
  EXPECT_EQ(extra_cases_base_id("/home/user/my-cases.v2/"), "%EXTRA_CASES_MY_CASES_V2%");
  EXPECT_EQ(extra_cases_base_id("/work/repo/examples/./"), "%EXTRA_CASES_EXAMPLES%");
}

TEST(LocatedPaths, AnAbsolutePathInTheExtraFolderIsRelativeToIt) {
  const LocatedPath at = locate_path("/home/user/mine/crossed/broken.cpp", "/work/repo", kOutside);
  EXPECT_EQ(at.file, "crossed/broken.cpp");
  EXPECT_EQ(at.base, "%EXTRA_CASES_MINE%");
  // However the tool spelled it.
  const LocatedPath odd =
      locate_path("/home/user/./mine/other/../crossed/helpers.hpp", "/work/repo", kOutside);
  EXPECT_EQ(odd.file, "crossed/helpers.hpp");
  EXPECT_EQ(odd.base, "%EXTRA_CASES_MINE%");
}

// An extra folder inside the repository (examples/): the parsers already made its files
// repo-relative, and they still belong to the extra folder.
TEST(LocatedPaths, ARepoRelativePathInAnExtraFolderInsideTheRepositoryMoves) {
  const SourceBase examples{"%EXTRA_CASES_EXAMPLES%", "/work/repo/examples"};
  const LocatedPath at = locate_path("examples/request_ids/broken.cpp", "/work/repo", examples);
  EXPECT_EQ(at.file, "request_ids/broken.cpp");
  EXPECT_EQ(at.base, "%EXTRA_CASES_EXAMPLES%");
}

TEST(LocatedPaths, RepositoryAndSystemPathsStayAsTheyAre) {
  for (const char* file :
       {"harness/include/casebook/sync.hpp", "/usr/include/c++/12/bits/std_mutex.h",
        "../sysdeps/unix/sysv/linux/futex-internal.c", "/home/user/mine", "/home/user/mined/x.cpp",
        ""}) {
    const LocatedPath at = locate_path(file, "/work/repo", kOutside);
    EXPECT_EQ(at.file, file);
    EXPECT_EQ(at.base, "") << file;
  }
  // No extra folder: nothing to move.
  const LocatedPath none = locate_path("/home/user/mine/crossed/broken.cpp", "/work/repo", {});
  EXPECT_EQ(none.file, "/home/user/mine/crossed/broken.cpp");
  EXPECT_EQ(none.base, "");
}

// The real report of a racy program, parsed as if the repository were elsewhere (no source
// root: its paths stay absolute, as an outside case's do), then located under the folder that
// holds programs/: every frame of the program is named relative to it; the runtime's are not.
TEST(LocatedPaths, FramesOfARealTsanReportMoveUnderTheExtraFolder) {
  const testing::ProgramOutput out =
      testing::run_program(PARSE_PROGRAM_TSAN_DATA_RACE,
                           {{"TSAN_OPTIONS", "halt_on_error=0 history_size=7 log_path=@LOG@"}});
  std::vector<Finding> findings = parse_tsan(out.log_text, "");
  const Finding* race = testing::find_kind(findings, "data-race");
  ASSERT_NE(race, nullptr) << out.log_text;
  const std::string absolute =
      std::string(CASEBOOK_SOURCE_ROOT) + "/" + testing::relative_source("tsan_data_race");
  const int line = testing::expected_line(CASEBOOK_SOURCE_ROOT, "tsan_data_race");
  ASSERT_TRUE(testing::has_frame_at(*race, absolute, line));

  const SourceBase parse_tests{"%EXTRA_CASES_PARSE%",
                               std::string(CASEBOOK_SOURCE_ROOT) + "/harness/tests/parse"};
  locate_frames(findings, "", parse_tests);
  race = testing::find_kind(findings, "data-race");
  EXPECT_TRUE(testing::has_frame_at(*race, "programs/tsan_data_race.cpp", line));
  int moved = 0;
  for (const auto& stack : race->stacks) {
    for (const auto& frame : stack.frames) {
      if (frame.file.rfind("programs/", 0) == 0) {
        EXPECT_EQ(frame.base, "%EXTRA_CASES_PARSE%");
        ++moved;
      } else {
        EXPECT_EQ(frame.base, "") << frame.file;
        EXPECT_EQ(frame.file.find("/harness/tests/parse/"), std::string::npos) << frame.file;
      }
    }
  }
  EXPECT_GE(moved, 2);  // both racing accesses
}

}  // namespace
}  // namespace casebook
