// detector_impls.hpp - the concrete detectors. Internal to detectors/: everything else goes
// through the Detector interface and the registry in detector.hpp.
#pragma once

#include "detectors/detector.hpp"

namespace casebook {

class TsanDetector final : public Detector {
 public:
  std::string_view name() const override { return "tsan"; }
  std::string_view configuration() const override { return "tsan"; }
  std::string_view description() const override {
    return "ThreadSanitizer: data races, lock-order inversions, thread leaks, mutex misuse";
  }
  std::vector<std::pair<std::string, std::string>> environment(
      const std::string& log_prefix) const override;
  DetectorReading read(const TrialEvidence& evidence) const override;
};

class AsanDetector final : public Detector {
 public:
  std::string_view name() const override { return "asan"; }
  std::string_view configuration() const override { return "asan"; }
  std::string_view description() const override {
    return "AddressSanitizer + UBSan + LeakSanitizer: use-after-free, overflows, UB, leaks";
  }
  std::vector<std::pair<std::string, std::string>> environment(
      const std::string& log_prefix) const override;
  DetectorReading read(const TrialEvidence& evidence) const override;
};

class WatchdogDetector final : public Detector {
 public:
  std::string_view name() const override { return "watchdog"; }
  std::string_view configuration() const override { return "plain"; }
  std::string_view description() const override {
    return "hang watchdog: a run past its timeout is a hang, with every thread's stack";
  }
  DetectorReading read(const TrialEvidence& evidence) const override;
};

class InvariantDetector final : public Detector {
 public:
  std::string_view name() const override { return "invariant"; }
  std::string_view configuration() const override { return "plain"; }
  std::string_view description() const override {
    return "the variant's own invariant check on its outcome; a crash counts too";
  }
  DetectorReading read(const TrialEvidence& evidence) const override;
};

}  // namespace casebook
