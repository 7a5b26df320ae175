#include "programs/program_environment.hpp"

#include <gtest/gtest.h>

#include "configurations/build_configurations.hpp"
#include "programs/toolchain.hpp"

namespace casebook {
namespace {

VariantDecl program(bool openmp) {
  VariantDecl v;
  v.case_name = "p";
  v.variant = "program";
  v.program = ProgramSpec{};
  v.program->openmp = openmp;
  return v;
}

std::string value_of(const Environment& env, const std::string& key) {
  for (const auto& [k, v] : env) {
    if (k == key) return v;
  }
  return "<unset>";
}

TEST(ProgramEnvironment, ThreadCountsVaryFromTrialToTrial) {
  EXPECT_EQ(program_thread_count(0), 2);
  EXPECT_EQ(program_thread_count(1), 4);
  EXPECT_EQ(program_thread_count(2), 8);
  EXPECT_EQ(program_thread_count(3), 2);
  EXPECT_EQ(value_of(program_environment(program(false), "plain", 1), "OMP_NUM_THREADS"), "4");
}

TEST(ProgramEnvironment, ACaseGetsNothing) {
  VariantDecl c;
  EXPECT_TRUE(program_environment(c, "tsan", 0).empty());
}

TEST(ProgramEnvironment, OpenMpUnderClangTsanRunsWithArcher) {
  if (*toolchain::kArcherLibrary == '\0') GTEST_SKIP() << "libarcher.so was not found";
  // Clang's TSan is "tsan" in a clang build and "tsan-clang" (the other compiler's) in a gcc one.
  for (const configurations::BuildConfiguration& c : configurations::kBuildConfigurations) {
    const std::string name(c.name);
    const bool clang_tsan = name == "tsan-clang" || (name == "tsan" && c.family == "clang");
    SCOPED_TRACE(name);
    const Environment env = program_environment(program(true), name, 0);
    EXPECT_EQ(value_of(env, "OMP_TOOL_LIBRARIES"),
              clang_tsan ? std::string(toolchain::kArcherLibrary) : "<unset>");
    EXPECT_EQ(value_of(env, "TSAN_OPTIONS"),
              clang_tsan ? "ignore_noninstrumented_modules=1" : "<unset>");
    EXPECT_EQ(value_of(program_environment(program(false), name, 0), "OMP_TOOL_LIBRARIES"),
              "<unset>");
  }
}

TEST(ProgramEnvironment, MergingAppendsSanitizerOptionsAndReplacesTheRest) {
  const Environment merged =
      merge_environment({{"TSAN_OPTIONS", "halt_on_error=0"}, {"OMP_NUM_THREADS", "1"}},
                        {{"TSAN_OPTIONS", "ignore_noninstrumented_modules=1"},
                         {"OMP_NUM_THREADS", "4"},
                         {"OMP_TOOL_LIBRARIES", "x.so"}});
  EXPECT_EQ(value_of(merged, "TSAN_OPTIONS"), "halt_on_error=0 ignore_noninstrumented_modules=1");
  EXPECT_EQ(value_of(merged, "OMP_NUM_THREADS"), "4");
  EXPECT_EQ(value_of(merged, "OMP_TOOL_LIBRARIES"), "x.so");
}

}  // namespace
}  // namespace casebook
