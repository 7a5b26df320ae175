// program_environment.hpp - the environment a standalone program's trial runs in, on top of
// its detector's.
//
// OMP_NUM_THREADS is casebook's, varied from trial to trial (2, 4, 8, 2, ...) so an OpenMP
// race that needs more threads than a team of two gets them; a program that is not OpenMP
// ignores it. An OpenMP program under clang's TSan also gets the Archer tool
// (OMP_TOOL_LIBRARIES=libarcher.so from libomp-14-dev), which tells TSan about OpenMP's own
// synchronisation, and TSAN_OPTIONS' ignore_noninstrumented_modules=1, without which TSan
// reports races inside the uninstrumented libomp. Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "catalog/catalog.hpp"

namespace casebook {

using Environment = std::vector<std::pair<std::string, std::string>>;

// The program's additions for one trial of a detector of the given configuration (plain,
// tsan, asan, tsan-gcc, ...). Empty for a variant that is not a program.
Environment program_environment(const VariantDecl& variant, std::string_view configuration,
                                int trial_index);

// base with extra laid over it: a variable in both keeps base's value and, for a sanitizer's
// *_OPTIONS, gets extra's options appended (space-separated, as the sanitizers read them);
// any other variable takes extra's value.
Environment merge_environment(Environment base, const Environment& extra);

// The OMP_NUM_THREADS of trial i.
int program_thread_count(int trial_index);

}  // namespace casebook
