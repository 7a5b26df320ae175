#include "programs/program_variants.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "common/errors.hpp"
#include "common/text_file.hpp"
#include "detectors/detector.hpp"
#include "programs/build.hpp"
#include "programs/declarations.hpp"

namespace casebook {

namespace fs = std::filesystem;

namespace {

// The detectors a program's declaration may name, with their kinds; a detector that needs
// the case API is no more usable there than an unknown one, and says why.
std::optional<KindVocabulary> program_vocabulary(const std::string& name, std::string& why_not) {
  const Detector* d = find_detector(name);
  if (d == nullptr) return std::nullopt;
  if (!d->traits().without_case_api.empty()) {
    why_not = d->traits().without_case_api;
    return std::nullopt;
  }
  return d->traits().finding_kinds;
}

bool uses_openmp(const std::string& text, const std::vector<std::string>& flags) {
  return text.find("#pragma omp") != std::string::npos ||
         std::find(flags.begin(), flags.end(), "-fopenmp") != flags.end();
}

const std::string kAnyKind = "*";

// Why a detector cannot judge an OpenMP program, or "" (DetectorTraits::blind_to_openmp). The
// OpenMP runtimes synchronise their teams with their own atomics and spin-waits: clang's TSan is
// told of them by the Archer tool (program_environment.hpp), but gcc's libgomp is not built with
// TSan, and Valgrind's tools see none of it (measured on the corpus fixture: Helgrind and DRD
// flagged both race-free programs, every trial).
std::string openmp_skip_reason(const std::string& detector) {
  const Detector* d = find_detector(detector);
  return d != nullptr ? d->traits().blind_to_openmp : "";
}

// The line of a compiler's message that says what stopped it: the first error, else its last
// line.
std::string build_error_summary(const std::string& message) {
  std::istringstream lines(message);
  std::string line, last;
  while (std::getline(lines, line)) {
    if (line.find("error") != std::string::npos) return line;
    if (!line.empty()) last = line;
  }
  return last.empty() ? "the compiler failed" : last;
}

}  // namespace

std::vector<VariantDecl> program_variants(const std::vector<ProgramSource>& programs,
                                          const std::vector<std::optional<ProgramLabel>>& labels) {
  nlohmann::json listing = nlohmann::json::array();
  std::map<std::string, ProgramSpec> specs;
  std::map<std::string, std::vector<int>> labelled_lines;
  std::vector<std::string> problems;
  std::vector<std::string> unlabelled;
  for (std::size_t i = 0; i < programs.size(); ++i) {
    const ProgramSource& s = programs[i];
    const fs::path main_file = fs::path(s.root) / s.files.front();
    // Declarations are read from the file with main(); OpenMP is looked for in every file.
    const std::string main_text = read_text_file(main_file);
    std::string text = main_text;
    for (std::size_t f = 1; f < s.files.size(); ++f) {
      text += read_text_file(fs::path(s.root) / s.files[f]);
    }
    const ProgramDeclarations declared = read_program_declarations(
        main_text, main_file.string(),
        [](const std::string& d, std::string& why_not) { return program_vocabulary(d, why_not); });
    for (const auto& p : declared.problems) problems.push_back(p.text());

    ProgramSpec spec;
    spec.flags = declared.flags;
    spec.openmp = uses_openmp(text, declared.flags);
    if (spec.openmp &&
        std::find(spec.flags.begin(), spec.flags.end(), "-fopenmp") == spec.flags.end()) {
      spec.flags.push_back("-fopenmp");
    }
    nlohmann::json expectations = declared.expectations;
    const std::optional<ProgramLabel> label = i < labels.size() ? labels[i] : std::nullopt;
    if (expectations.empty()) {
      if (label) {
        spec.labelled_by = "labels";
        spec.positive = label->positive;
        spec.race_pairs = label->race_pairs;
      } else if (s.variant == "broken" || s.variant == "fixed") {
        spec.labelled_by = "pair";
        spec.positive = s.variant == "broken";
      } else {
        unlabelled.push_back(main_file.string());
      }
    }
    std::set<std::string> named;
    for (const auto& e : expectations) named.insert(e.at("detector").get<std::string>());
    for (const auto& d : all_detectors()) {
      const std::string name(d->name());
      // Those that need the case API are skipped once the variant exists (below).
      if (named.count(name) != 0 || !d->traits().without_case_api.empty()) continue;
      if (const std::string why = openmp_skip_reason(name); spec.openmp && !why.empty()) {
        expectations.push_back(
            {{"detector", name}, {"want", protocol::want_name(Want::skip)}, {"reason", why}});
      } else if (!spec.labelled_by.empty() && spec.positive) {
        // A positive: any finding of any detector counts toward its union verdict.
        expectations.push_back(
            {{"detector", name},
             {"want", protocol::want_name(Want::may_find)},
             {"kinds", {kAnyKind}},
             {"reason",
              "a labelled positive: any detector's finding counts (the union verdict "
              "needs at least one)"}});
      }
    }
    const std::string id = s.case_name + "/" + s.variant;
    listing.push_back({{"case", s.case_name},
                       {"variant", s.variant},
                       {"title", "standalone program " + s.files.front()},
                       {"category", "program"},
                       {"file", s.files.front()},
                       {"cases_root", s.root},
                       {"timeout_seconds", declared.timeout_seconds},
                       {"defaults", {{"threads", 0}, {"iterations", 0}, {"seed", 1}}},
                       {"expectations", std::move(expectations)}});
    specs.emplace(id, std::move(spec));
    if (label) labelled_lines[id] = label->bug_lines;
  }
  if (!problems.empty()) {
    std::string all;
    for (const auto& p : problems) all += (all.empty() ? "" : "\n") + p;
    throw UsageError("the programs' declarations have " + std::to_string(problems.size()) +
                     " problem(s):\n" + all);
  }
  if (!unlabelled.empty()) {
    std::string all;
    for (const auto& f : unlabelled) all += "\n  " + f;
    throw UsageError(
        std::to_string(unlabelled.size()) +
        " program(s) declare no expectation and have no label; add `// casebook-expect:` lines "
        "(docs/programs.md), name them in a --labels file, or put each in a folder as "
        "broken.* and fixed.*:" +
        all);
  }
  std::vector<std::string> known = detector_names();
  Catalog parsed = parse_catalog(listing, known);
  for (auto& v : parsed.variants) {
    v.program = specs.at(v.id());
    // A detector that needs the case API and would otherwise apply says why it skips; one
    // that applies only to what a case declares (perf, fairness, ...) is left out as it is
    // for a case that declares nothing for it.
    for (const auto& d : all_detectors()) {
      if (d->traits().without_case_api.empty() || !d->not_applicable(v).empty()) continue;
      Expectation skip;
      skip.detector = std::string(d->name());
      skip.want = Want::skip;
      skip.reason = std::string(d->traits().without_case_api);
      skip.declared = true;
      v.expectations.push_back(std::move(skip));
    }
    if (auto lines = labelled_lines.find(v.id()); lines != labelled_lines.end()) {
      v.bug_lines = lines->second;
    }
  }
  return parsed.variants;
}

ProgramBuildCounts build_program_variants(std::vector<VariantDecl>& variants,
                                          const std::vector<ProgramSource>& programs,
                                          const std::vector<const Detector*>& detectors,
                                          const std::string& cache_dir, int jobs) {
  std::map<std::string, const ProgramSource*> source_of;
  for (const auto& p : programs) source_of[p.case_name + "/" + p.variant] = &p;
  std::vector<ProgramBuildRequest> requests;
  std::vector<std::pair<VariantDecl*, std::string>> slots;  // (variant, configuration)
  for (auto& v : variants) {
    if (!v.program) continue;
    std::set<std::string> configurations;
    for (const Detector* d : detectors) {
      if (!d->traits().without_case_api.empty() || !d->not_applicable(v).empty()) continue;
      if (expectation_of(v, *d).want == Want::skip) continue;
      configurations.insert(std::string(d->traits().configuration));
    }
    for (const auto& c : configurations) {
      requests.push_back({source_of.at(v.id()), c, v.program->flags});
      slots.emplace_back(&v, c);
    }
  }
  ProgramBuildCounts counts;
  const std::vector<ProgramBuildResult> results = build_programs(requests, cache_dir, jobs);
  for (std::size_t i = 0; i < results.size(); ++i) {
    auto& [variant, configuration] = slots[i];
    const ProgramBuildResult& r = results[i];
    if (r.binary.empty()) {
      variant->program->build_errors[configuration] =
          build_error_summary(r.error) + " (the compiler's message: " + r.log + ")";
      ++counts.failed;
    } else {
      variant->program->binaries[configuration] = r.binary;
    }
    if (r.reused) {
      ++counts.reused;
    } else {
      ++counts.compiled;
    }
  }
  return counts;
}

}  // namespace casebook
