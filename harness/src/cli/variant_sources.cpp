#include "cli/variant_sources.hpp"

#include <filesystem>

#include "catalog/bug_markers.hpp"
#include "common/errors.hpp"
#include "detectors/detector.hpp"
#include "programs/labels.hpp"
#include "programs/program_variants.hpp"

namespace casebook {

LoadedVariants load_variants(const VariantSources& sources, const std::string& bin_dir,
                             const std::string& source_root, const std::string& filter) {
  if (!sources.labels.empty() && sources.programs.empty()) {
    throw UsageError("--labels " + sources.labels +
                     " labels programs: give their folder with --programs");
  }
  LoadedVariants loaded;
  loaded.programs = discover_programs(sources.programs);
  Catalog catalog;
  if (loaded.programs.empty() || sources.with_catalog) {
    catalog = load_catalog((std::filesystem::path(bin_dir) / "casebook-cases-plain").string(),
                           detector_names());
  }
  if (!loaded.programs.empty()) {
    const auto labels = sources.labels.empty() ? std::vector<std::optional<ProgramLabel>>{}
                                               : read_labels(sources.labels, loaded.programs);
    for (auto& v : program_variants(loaded.programs, labels)) {
      catalog.variants.push_back(std::move(v));
    }
  }
  loaded.variants = select_variants(catalog, filter);
  attach_bug_markers(loaded.variants, source_root);
  return loaded;
}

}  // namespace casebook
