// program_variants.hpp - standalone programs as variants the suite runs like any case: their
// declarations or labels become expectations, and each is built for the configurations of
// the detectors a run chose.
//
// A program's expectations come from its own casebook-expect lines (declarations.hpp); when
// it has none, from its label: a pair's broken program is a positive and its fixed one a
// negative, unless a --labels file says otherwise (labels.hpp). A negative must stay clean
// under every detector; a positive may be flagged by any detector with any finding (`may-find
// *`), and its union verdict (program_union.hpp) needs at least one of them to. A program
// with neither declarations nor a label is a UsageError naming it. Detectors that need the
// case API (DetectorTraits::without_case_api) are `skip` with their reason, and so is the other
// compiler's TSan for an OpenMP program built by gcc (libgomp is not built with TSan).
#pragma once

#include <string>
#include <vector>

#include "catalog/catalog.hpp"
#include "detectors/detector.hpp"
#include "programs/discovery.hpp"
#include "programs/labels.hpp"

namespace casebook {

// The variants of programs (labels: one per program, from read_labels, or empty). Throws
// UsageError listing every problem in their declarations (file:line: message), or naming a
// program that declares nothing and has no label.
std::vector<VariantDecl> program_variants(const std::vector<ProgramSource>& programs,
                                          const std::vector<std::optional<ProgramLabel>>& labels);

struct ProgramBuildCounts {
  int compiled = 0;  // compiles run now
  int reused = 0;    // binaries (or failures) found in the cache
  int failed = 0;    // configurations that did not build
};

// Builds every program variant for the configurations of the detectors that will run it
// (DetectorTraits::configuration: plain, tsan, asan, tsan-gcc, ...), `jobs` compiles at a time,
// into cache_dir, and records each binary or compiler message in VariantDecl::program.
ProgramBuildCounts build_program_variants(std::vector<VariantDecl>& variants,
                                          const std::vector<ProgramSource>& programs,
                                          const std::vector<const Detector*>& detectors,
                                          const std::string& cache_dir, int jobs);

}  // namespace casebook
