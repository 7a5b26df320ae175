// The limits a trial runs under, by configuration and by what the variant declares.
#include <gtest/gtest.h>

#include "configurations/build_configurations.hpp"
#include "suite/trial.hpp"

namespace casebook {
namespace {

TEST(TrialLimits, OnlyBuildsWithoutASanitizerGetAnAddressSpaceCap) {
  const VariantDecl v;
  for (const configurations::BuildConfiguration& c : configurations::kBuildConfigurations) {
    EXPECT_EQ(trial_limits(v, c.name).address_space_bytes,
              c.sanitizer.empty() ? kTrialAddressSpaceBytes : 0ULL)
        << c.name;
  }
  EXPECT_EQ(trial_limits(v, "plain").address_space_bytes, kTrialAddressSpaceBytes);
  EXPECT_EQ(trial_limits(v, "tsan").address_space_bytes, 0ULL);
  EXPECT_EQ(trial_limits(v, "asan").address_space_bytes, 0ULL);
  // A detector that runs a program of its own (a compiler) names no build configuration.
  EXPECT_EQ(trial_limits(v, "compiler").address_space_bytes, 0ULL);
}

TEST(TrialLimits, AVariantsDeclaredCapsReplaceTheDefaults) {
  VariantDecl v;
  const ResourceLimits defaults = trial_limits(v, "tsan");
  EXPECT_EQ(defaults.max_resident_bytes, static_cast<unsigned long long>(kDefaultMemoryLimitMiB)
                                             << 20);
  EXPECT_EQ(defaults.max_tasks, static_cast<unsigned long long>(kDefaultMaxTasks));
  EXPECT_EQ(defaults.max_processes, 1024ULL);
  EXPECT_EQ(defaults.file_size_bytes, kTrialFileSizeBytes);

  v.memory_limit_mib = 64;
  v.max_tasks = 16;
  const ResourceLimits declared = trial_limits(v, "tsan");
  EXPECT_EQ(declared.max_resident_bytes, 64ULL << 20);
  EXPECT_EQ(declared.max_tasks, 16ULL);
  EXPECT_EQ(declared.max_processes, 16ULL);
}

}  // namespace
}  // namespace casebook
