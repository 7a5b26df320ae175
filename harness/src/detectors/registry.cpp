#include <fmt/format.h>

#include <unordered_set>

#include "detectors/detector.hpp"
#include "detectors/detector_impls.hpp"

namespace casebook {

Detector::Detector(DetectorTraits traits) : traits_(std::move(traits)) {
  if (traits_.binary_name.empty()) traits_.binary_name = "casebook-cases-" + traits_.configuration;
}

Expectation expectation_of(const VariantDecl& variant, const Detector& d) {
  return variant.expectation_for(d.traits().name, d.traits().expectations_of);
}

Expectation expectation_of(const VariantDecl& variant, const std::string& detector) {
  const Detector* d = find_detector(detector);
  return d != nullptr ? expectation_of(variant, *d) : variant.expectation_for(detector);
}

const Detector* noisy_twin_of(const Detector& d) {
  return d.traits().noisy_twin.empty() ? nullptr : find_detector(d.traits().noisy_twin);
}

DetectorFacts detector_facts(const VariantDecl& variant, const std::string& name) {
  DetectorFacts facts;
  const Detector* d = find_detector(name);
  if (d == nullptr) return facts;
  facts.kinds = d->traits().finding_kinds;
  facts.expectations_of = d->traits().expectations_of;
  facts.uses_small_inputs = d->traits().uses_small_inputs;
  facts.derives_small_inputs = d->host_chooses_inputs(variant);
  facts.applies = d->not_applicable(variant).empty();
  return facts;
}

const std::vector<std::unique_ptr<Detector>>& all_detectors() {
  static const std::vector<std::unique_ptr<Detector>> detectors = [] {
    std::vector<std::unique_ptr<Detector>> d;
    d.push_back(std::make_unique<TsanDetector>());
    d.push_back(std::make_unique<TsanDetector>("gcc"));
    d.push_back(std::make_unique<TsanDetector>("clang"));
    d.push_back(std::make_unique<AsanDetector>());
    d.push_back(std::make_unique<WatchdogDetector>());
    d.push_back(std::make_unique<InvariantDetector>());
    d.push_back(std::make_unique<InvariantNoiseDetector>());
    d.push_back(std::make_unique<PropertyDetector>());
    d.push_back(std::make_unique<FairnessDetector>());
    d.push_back(std::make_unique<PerfDetector>());
    d.push_back(std::make_unique<CompileDetector>());
    d.push_back(std::make_unique<ModelDetector>());
    d.push_back(std::make_unique<ThreadSafetyDetector>());
    d.push_back(std::make_unique<ValgrindToolDetector>("helgrind"));
    d.push_back(std::make_unique<ValgrindToolDetector>("drd"));
    return d;
  }();
  return detectors;
}

const Detector* find_detector(std::string_view name) {
  for (const auto& d : all_detectors()) {
    if (d->name() == name) return d.get();
  }
  return nullptr;
}

std::vector<std::string> detector_names() {
  std::vector<std::string> names;
  for (const auto& d : all_detectors()) names.emplace_back(d->name());
  return names;
}

std::string sanitizer_anomaly(const ProcessResult& p, const std::vector<Finding>& findings) {
  if (p.timed_out) {
    return findings.empty() ? "timed out with no sanitizer report" : "";
  }
  if (p.signaled) {
    return findings.empty() ? fmt::format("died by {} with no sanitizer report", describe_status(p))
                            : "";
  }
  if (p.exited && p.exit_code == kSanitizerExitCode && findings.empty()) {
    return fmt::format("exited with the sanitizer's report code {} but no report could be read",
                       kSanitizerExitCode);
  }
  if (p.exited && p.exit_code != 0 && p.exit_code != kSanitizerExitCode) {
    return fmt::format("{} (neither 0 nor the sanitizer's {})", describe_status(p),
                       kSanitizerExitCode);
  }
  return "";
}

std::string symbolizer_option(char separator) {
  const std::string path = CASEBOOK_SYMBOLIZER;
  if (path.empty()) return "";
  return separator + std::string("external_symbolizer_path=") + path;
}

DetectorReading read_sanitizer_reports(const TrialEvidence& evidence, ReportParser parse,
                                       std::string_view sanitizer_name) {
  DetectorReading reading;
  std::vector<Finding> all = parse(evidence.sanitizer_log, evidence.source_root);
  for (auto& f : parse(evidence.process.stderr_text, evidence.source_root)) {
    all.push_back(std::move(f));
  }
  std::string runtime_failure;
  // A report both in the log and on stderr counts once. A set, not a scan of the kept ones: a
  // flood of reports (thousands in stderr's 1 MiB) must not cost their count squared.
  std::unordered_set<std::string> seen;
  for (auto& f : all) {
    if (f.kind == "sanitizer-fatal") {
      runtime_failure = f.summary;
      continue;
    }
    if (seen.insert(f.raw).second) reading.findings.push_back(std::move(f));
  }
  reading.anomaly = sanitizer_anomaly(evidence.process, reading.findings);
  if (!runtime_failure.empty() && reading.findings.empty()) {
    // Nothing to go on: the machine or the runtime is at fault, and the trial cannot be judged.
    reading.infra_error = fmt::format("{} itself failed: {}", sanitizer_name, runtime_failure);
  } else if (!runtime_failure.empty()) {
    // The runtime failed after it had reported errors: a program that writes into freed memory
    // can corrupt the runtime's own bookkeeping (forgotten_join/broken did, in 1 of 17 ASan
    // trials). The reports stand as evidence, and later trials can still run.
    const std::string note = fmt::format(
        "{} itself failed after reporting {} error(s), which may have corrupted its "
        "state: {}",
        sanitizer_name, reading.findings.size(), runtime_failure);
    reading.anomaly = reading.anomaly.empty() ? note : reading.anomaly + "; " + note;
  }
  return reading;
}

}  // namespace casebook
