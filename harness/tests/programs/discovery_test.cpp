#include "programs/discovery.hpp"

#include <gtest/gtest.h>

#include "common/errors.hpp"
#include "scratch_folder.hpp"

namespace casebook {
namespace {

using testing::ScratchFolder;

const char* kMain = "int main(void) { return 0; }\n";

TEST(DefinesMain, SeesADefinitionNotACommentOrString) {
  EXPECT_TRUE(defines_main("int main(void) { return 0; }"));
  EXPECT_TRUE(defines_main("int\nmain (int argc, char** argv) {}"));
  EXPECT_TRUE(defines_main("auto main() -> int { return 0; }"));
  EXPECT_FALSE(defines_main("// int main(void) in a comment\nint helper(void);"));
  EXPECT_FALSE(defines_main("/* int main(void)\n */ int domain(void) { return 1; }"));
  EXPECT_FALSE(defines_main("const char* s = \"main(\";"));
}

TEST(Discovery, FindsPairsSingleFilesAndFolderPrograms) {
  ScratchFolder dir("discovery");
  dir.write("pair/broken.c", kMain);
  dir.write("pair/fixed.c", kMain);
  dir.write("single-yes.c", kMain);
  dir.write("multi/main.cpp", "int helper();\nint main() { return helper(); }\n");
  dir.write("multi/helper.cpp", "int helper() { return 0; }\n");
  dir.write("utilities/shared.c", "double now(void) { return 0; }\n");  // no main: passed over
  dir.write("README.md", "# not a program\n");
  dir.write("header_only.h", "int x;\n");

  const auto found = discover_programs({dir.path().string()});
  ASSERT_EQ(found.size(), 4u);
  EXPECT_EQ(found[0].case_name, "multi");
  EXPECT_EQ(found[0].variant, "program");
  EXPECT_EQ(found[0].files, (std::vector<std::string>{"multi/main.cpp", "multi/helper.cpp"}));
  EXPECT_TRUE(found[0].cxx);
  EXPECT_EQ(found[1].case_name, "pair");
  EXPECT_EQ(found[1].variant, "broken");
  EXPECT_EQ(found[1].files, std::vector<std::string>{"pair/broken.c"});
  EXPECT_FALSE(found[1].cxx);
  EXPECT_EQ(found[2].variant, "fixed");
  EXPECT_EQ(found[3].case_name, "single-yes");
  EXPECT_EQ(found[3].files, std::vector<std::string>{"single-yes.c"});
  EXPECT_EQ(found[3].root, dir.path().string());
}

TEST(Discovery, AFolderThatIsAPairIsOneCase) {
  ScratchFolder dir("discovery-pair");
  dir.write("broken.cpp", kMain);
  dir.write("fixed.cpp", kMain);
  const auto found = discover_programs({dir.path().string()});
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].case_name, dir.path().filename().string());
  EXPECT_EQ(found[0].root, dir.path().parent_path().string());
}

TEST(Discovery, BadPathsAreUsageErrorsNamingThem) {
  ScratchFolder dir("discovery-bad");
  dir.write("empty/.keep", "");
  const auto script = dir.write("script.py", "print(1)\n");
  const auto no_main = dir.write("lib.c", "int f(void) { return 1; }\n");
  auto message = [](const std::vector<std::string>& roots) {
    try {
      discover_programs(roots);
    } catch (const UsageError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message({(dir.path() / "empty").string()}).find("no program found"), std::string::npos);
  EXPECT_NE(message({script.string()}).find("not a C or C++ source file"), std::string::npos);
  EXPECT_NE(message({no_main.string()}).find("has no main()"), std::string::npos);
  EXPECT_NE(message({(dir.path() / "missing").string()}).find("no such folder or file"),
            std::string::npos);
}

TEST(Discovery, TwoProgramsWithOneNameAreRefused) {
  ScratchFolder a("discovery-a");
  ScratchFolder b("discovery-b");
  a.write("same.c", kMain);
  b.write("same.c", kMain);
  try {
    discover_programs({a.path().string(), b.path().string()});
    FAIL() << "no error";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("two programs are both called same/program"),
              std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace casebook
