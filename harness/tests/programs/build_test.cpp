// Real compiles, with the compilers casebook builds programs with: the cache is keyed by what
// went into a binary, a failure is kept with the compiler's message, and C++ builds as C++.
#include "programs/build.hpp"

#include <gtest/gtest.h>

#include "process/process.hpp"
#include "scratch_folder.hpp"

namespace casebook {
namespace {

using testing::ScratchFolder;

ProgramSource source_of(const ScratchFolder& dir, const std::string& file, bool cxx) {
  return ProgramSource{"p", "program", dir.path().string(), {file}, cxx};
}

int exit_code_of(const std::string& binary) {
  ProcessSpec spec;
  spec.argv = {binary};
  spec.timeout = std::chrono::seconds(30);
  const ProcessResult r = run_process(spec);
  return r.exited ? r.exit_code : -1;
}

TEST(ProgramBuild, ASecondBuildReusesTheCacheAndAHeaderEditRebuilds) {
  ScratchFolder dir("build");
  dir.write("answer.h", "#define ANSWER 7\n");
  dir.write("p.c", "#include \"answer.h\"\nint main(void) { return ANSWER; }\n");
  const ProgramSource s = source_of(dir, "p.c", false);
  const std::string cache = (dir.path() / "cache").string();

  auto first = build_programs({{&s, "plain", {}}}, cache, 2);
  ASSERT_EQ(first.size(), 1u);
  ASSERT_FALSE(first[0].binary.empty()) << first[0].error;
  EXPECT_FALSE(first[0].reused);
  EXPECT_EQ(exit_code_of(first[0].binary), 7);

  auto second = build_programs({{&s, "plain", {}}}, cache, 2);
  EXPECT_TRUE(second[0].reused);
  EXPECT_EQ(second[0].binary, first[0].binary);

  // Other flags are another binary; so is an edited header the program includes.
  auto flagged = build_programs({{&s, "plain", {"-DUNUSED=1"}}}, cache, 2);
  EXPECT_FALSE(flagged[0].reused);
  EXPECT_NE(flagged[0].binary, first[0].binary);
  dir.write("answer.h", "#define ANSWER 9\n");
  auto edited = build_programs({{&s, "plain", {}}}, cache, 2);
  EXPECT_FALSE(edited[0].reused);
  EXPECT_EQ(exit_code_of(edited[0].binary), 9);
}

TEST(ProgramBuild, AFailureKeepsTheCompilersMessageAndIsCachedToo) {
  ScratchFolder dir("build-fail");
  dir.write("bad.c", "int main(void) { return missing_name; }\n");
  const ProgramSource s = source_of(dir, "bad.c", false);
  const std::string cache = (dir.path() / "cache").string();
  auto first = build_programs({{&s, "plain", {}}}, cache, 1);
  EXPECT_TRUE(first[0].binary.empty());
  EXPECT_NE(first[0].error.find("missing_name"), std::string::npos) << first[0].error;
  EXPECT_NE(first[0].log.find("error.txt"), std::string::npos);
  auto second = build_programs({{&s, "plain", {}}}, cache, 1);
  EXPECT_TRUE(second[0].reused);
  EXPECT_EQ(second[0].error, first[0].error);
}

TEST(ProgramBuild, CxxBuildsWithTheCxxDriverInEveryConfiguration) {
  ScratchFolder dir("build-cxx");
  dir.write("p.cpp",
            "#include <thread>\n#include <vector>\n"
            "int main() { std::vector<int> v(3); std::thread t([&] { v[0] = 1; }); t.join();"
            " return v[0] == 1 ? 0 : 1; }\n");
  const ProgramSource s = source_of(dir, "p.cpp", true);
  const std::string cache = (dir.path() / "cache").string();
  for (const std::string configuration : {"plain", "tsan", "asan"}) {
    auto built = build_programs({{&s, configuration, {}}}, cache, 1);
    ASSERT_FALSE(built[0].binary.empty()) << configuration << ": " << built[0].error;
    EXPECT_EQ(exit_code_of(built[0].binary), 0) << configuration;
  }
}

TEST(ProgramBuild, AnUnknownConfigurationIsAnErrorNotACrash) {
  ScratchFolder dir("build-unknown");
  dir.write("p.c", "int main(void) { return 0; }\n");
  const ProgramSource s = source_of(dir, "p.c", false);
  auto built = build_programs({{&s, "model", {}}}, (dir.path() / "cache").string(), 1);
  EXPECT_TRUE(built[0].binary.empty());
  EXPECT_EQ(built[0].error, "no toolchain for configuration 'model'");
}

}  // namespace
}  // namespace casebook
