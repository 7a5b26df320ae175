// build.hpp - compiling standalone programs for the configurations their detectors need, into
// a cache keyed by what went into each binary.
//
// The key hashes the compiler (its resolved path), the flags, and the text of every source
// file and of every local header they include (`#include "..."`, followed recursively), so a
// second run compiles nothing that did not change and an edit anywhere a program reads
// rebuilds it. A failed compile is cached too, with the compiler's message: a corpus with a
// program that does not build costs that compile once. Entries are written to a temporary
// folder and renamed into place, so two runs sharing a cache never see half an entry.
//
// Configurations: "plain" (invariant, watchdog, helgrind, drd), "tsan", "asan" (with UBSan)
// and "tsan-gcc" or "tsan-clang" (the other compiler's TSan), with the catalog's own compilers
// and flags (configurations/build_configurations.hpp). An OpenMP program adds -fopenmp.
// Thread-safe: build_programs runs its compiles on worker threads of its own.
#pragma once

#include <string>
#include <vector>

#include "programs/discovery.hpp"

namespace casebook {

struct ProgramBuildRequest {
  const ProgramSource* source = nullptr;
  std::string configuration;       // plain, tsan, asan, tsan-gcc, tsan-clang
  std::vector<std::string> flags;  // the program's own (casebook-flags:), -fopenmp included
};

struct ProgramBuildResult {
  std::string binary;   // absolute path of the built program; "" when it did not build
  std::string error;    // the compiler's message (its last lines) when it did not build
  std::string log;      // ... and the file in the cache that holds it
  bool reused = false;  // found in the cache: nothing was compiled
  std::string command;  // the compile command, for a by-hand rerun
};

// Whether the configuration can be built here (its compiler is on this machine).
bool can_build_configuration(const std::string& configuration);

// Builds every request, `jobs` compiles at a time, into cache_dir (created). Results are in
// request order. Never throws for a program that does not compile (that is its result's
// error); throws InfraError when the cache folder cannot be created.
std::vector<ProgramBuildResult> build_programs(const std::vector<ProgramBuildRequest>& requests,
                                               const std::string& cache_dir, int jobs);

// The cache folder a run uses when none is given: $XDG_CACHE_HOME/casebook/programs, else
// ~/.cache/casebook/programs, else a folder under the system's temporary folder.
std::string default_program_cache();

}  // namespace casebook
