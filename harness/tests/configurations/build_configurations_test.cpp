// The generated configuration table against what the build was configured with: its rows, each
// row's sanitizer against its flags, and every detector naming a configuration that exists.
#include "configurations/build_configurations.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "detectors/detector.hpp"

namespace casebook::configurations {
namespace {

std::vector<std::string> names() {
  std::vector<std::string> out;
  for (const BuildConfiguration& c : kBuildConfigurations) out.emplace_back(c.name);
  return out;
}

TEST(BuildConfigurations, TheBuildsOwnFiveThenTheOtherCompilersTsan) {
  const std::string other = std::string("tsan-") + CASEBOOK_TEST_OTHER_FAMILY;
  EXPECT_EQ(names(), (std::vector<std::string>{"plain", "tsan", "asan", "noise", "model", other}));
  for (const BuildConfiguration& c : kBuildConfigurations) {
    SCOPED_TRACE(std::string(c.name));
    EXPECT_EQ(c.own_compiler, c.name != other);
    EXPECT_EQ(c.family, c.own_compiler ? CASEBOOK_TEST_FAMILY : CASEBOOK_TEST_OTHER_FAMILY);
    EXPECT_FALSE(c.c_compiler.empty());
    EXPECT_FALSE(c.cxx_compiler.empty());
    EXPECT_FALSE(c.compile_flags.empty());
  }
}

TEST(BuildConfigurations, EachSanitizerIsTheOneItsFlagsName) {
  EXPECT_EQ(find_build_configuration("plain")->sanitizer, "");
  EXPECT_EQ(find_build_configuration("tsan")->sanitizer, "thread");
  EXPECT_EQ(find_build_configuration("asan")->sanitizer, "address,undefined");
  EXPECT_EQ(find_build_configuration("noise")->sanitizer, "");
  EXPECT_EQ(find_build_configuration("model")->sanitizer, "");
  const std::string other = std::string("tsan-") + CASEBOOK_TEST_OTHER_FAMILY;
  EXPECT_EQ(find_build_configuration(other)->sanitizer, "thread");
  for (const BuildConfiguration& c : kBuildConfigurations) {
    const std::string flags = " " + std::string(c.compile_flags) + " ";
    EXPECT_EQ(flags.find(" -fsanitize=") != std::string::npos, !c.sanitizer.empty()) << c.name;
  }
}

TEST(BuildConfigurations, OnlyTheFacadesOwnConfigurationsNeedTheCaseApi) {
  for (const BuildConfiguration& c : kBuildConfigurations) {
    EXPECT_EQ(c.needs_case_api, c.name == "noise" || c.name == "model") << c.name;
  }
  // The model's facade is chosen by a definition among the flags, so results.json shows it.
  const std::string model = " " + std::string(find_build_configuration("model")->compile_flags);
  EXPECT_NE(model.find(" -DCASEBOOK_FACADE_MODEL"), std::string::npos) << model;
}

TEST(BuildConfigurations, AnUnknownNameHasNoRow) {
  EXPECT_EQ(find_build_configuration("tsan2"), nullptr);
  EXPECT_EQ(find_build_configuration(""), nullptr);
}

TEST(BuildConfigurations, EveryDetectorOfACaseHostRunsInAConfigurationThatExists) {
  for (const auto& d : all_detectors()) {
    // A program of its own (a compiler's probe) is not a case host of any configuration.
    if (!d->traits().binary_name.empty()) continue;
    EXPECT_NE(find_build_configuration(d->traits().configuration), nullptr)
        << d->name() << " runs in '" << d->traits().configuration << "'";
  }
}

}  // namespace
}  // namespace casebook::configurations
