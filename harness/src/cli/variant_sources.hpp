// variant_sources.hpp - the variants a command works on: the catalog's cases (listed by the
// case binaries), standalone programs (--programs, programs/), or both, filtered.
//
// `casebook run` and `casebook list` take the same flags for them, so both read programs'
// declarations and labels the same way, and a mistake in one stops either with exit 2 before
// anything is written.
#pragma once

#include <string>
#include <vector>

#include "catalog/catalog.hpp"
#include "programs/discovery.hpp"

namespace casebook {

struct VariantSources {
  std::vector<std::string> programs;  // --programs folders or files
  std::string labels;                 // --labels file, or ""
  bool with_catalog = false;          // --catalog: the catalog too when there are programs
};

struct LoadedVariants {
  std::vector<VariantDecl> variants;    // selected by the filter, bug lines attached
  std::vector<ProgramSource> programs;  // every program found (to build them from)
};

// Throws UsageError for bad flags, programs, declarations, labels or a filter matching
// nothing; InfraError when the catalog's case binary cannot run.
LoadedVariants load_variants(const VariantSources& sources, const std::string& bin_dir,
                             const std::string& source_root, const std::string& filter);

}  // namespace casebook
