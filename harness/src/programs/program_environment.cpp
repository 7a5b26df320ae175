#include "programs/program_environment.hpp"

#include <algorithm>
#include <array>

#include "configurations/build_configurations.hpp"
#include "programs/toolchain.hpp"

namespace casebook {

int program_thread_count(int trial_index) {
  static constexpr std::array<int, 3> kCounts = {2, 4, 8};
  return kCounts[static_cast<std::size_t>(trial_index < 0 ? 0 : trial_index) % kCounts.size()];
}

Environment program_environment(const VariantDecl& variant, std::string_view configuration,
                                int trial_index) {
  Environment env;
  if (!variant.program) return env;
  env.emplace_back("OMP_NUM_THREADS", std::to_string(program_thread_count(trial_index)));
  const configurations::BuildConfiguration* c =
      configurations::find_build_configuration(configuration);
  const bool clang_tsan = c != nullptr && c->family == "clang" && c->sanitizer == "thread";
  if (variant.program->openmp && clang_tsan && *toolchain::kArcherLibrary != '\0') {
    env.emplace_back("OMP_TOOL_LIBRARIES", toolchain::kArcherLibrary);
    env.emplace_back("TSAN_OPTIONS", "ignore_noninstrumented_modules=1");
  }
  return env;
}

Environment merge_environment(Environment base, const Environment& extra) {
  for (const auto& kv : extra) {
    const std::string& key = kv.first;
    const std::string& value = kv.second;
    auto it = std::find_if(base.begin(), base.end(),
                           [&](const auto& existing) { return existing.first == key; });
    if (it == base.end()) {
      base.emplace_back(key, value);
    } else if (key.size() > 8 && key.compare(key.size() - 8, 8, "_OPTIONS") == 0) {
      it->second += " " + value;
    } else {
      it->second = value;
    }
  }
  return base;
}

}  // namespace casebook
