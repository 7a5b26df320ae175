// finding_kinds.cpp - what each detector can report, in one place: the vocabulary case
// declarations are checked against (catalog/declaration_check.hpp). A detector that starts
// reporting a new kind adds it here, beside the code in its own file that names it.
#include "detectors/detector.hpp"
#include "detectors/detector_impls.hpp"
#include "parse/asan_parser.hpp"
#include "parse/tsan_parser.hpp"
#include "parse/valgrind_parser.hpp"

namespace casebook {

// Sanitizers and Valgrind name report types beyond our lists (a newer runtime's, kept as a slug
// of the banner), so their vocabularies are open; the harness's own detectors' are closed.
KindVocabulary TsanDetector::finding_kinds() const {
  return {tsan_known_kinds(), true};
}
KindVocabulary AsanDetector::finding_kinds() const {
  return {asan_known_kinds(), true};
}
KindVocabulary HelgrindDetector::finding_kinds() const {
  return {valgrind_known_kinds(), true};
}
KindVocabulary DrdDetector::finding_kinds() const {
  return {valgrind_known_kinds(), true};
}
KindVocabulary WatchdogDetector::finding_kinds() const {
  return {{"hang"}, false};
}
KindVocabulary InvariantDetector::finding_kinds() const {
  return {{"invariant-violated", "crash"}, false};
}
KindVocabulary InvariantNoiseDetector::finding_kinds() const {
  return {{"invariant-violated", "crash"}, false};
}
KindVocabulary PropertyDetector::finding_kinds() const {
  return {{"counterexample", "crash"}, false};
}
KindVocabulary FairnessDetector::finding_kinds() const {
  return {{"starvation"}, false};
}
KindVocabulary PerfDetector::finding_kinds() const {
  return {{"slowdown"}, false};
}
KindVocabulary CompileDetector::finding_kinds() const {
  return {{"rejected"}, false};
}
// The kinds the model's exploration fails with (harness/model/src/execution.cpp) and
// "invariant-violated" for a variant outcome that does not hold.
KindVocabulary ModelDetector::finding_kinds() const {
  return {{"data-race", "deadlock", "lost-wakeup", "livelock", "unjoined-thread", "mutex-misuse",
           "uncaught-exception", "invariant-violated"},
          false};
}
// thread_safety_kind's slugs of clang's -Wthread-safety wordings.
KindVocabulary ThreadSafetyDetector::finding_kinds() const {
  return {{"bad-annotation", "unguarded-access", "unguarded-reference", "lock-not-held",
           "call-while-held", "double-lock", "unlock-not-held", "lock-kind-mismatch", "lock-leak",
           "inconsistent-locking", "lock-order", "negative-capability", "thread-safety-warning"},
          false};
}

DetectorFacts detector_facts(const VariantDecl& variant, const std::string& name) {
  DetectorFacts facts;
  const Detector* d = find_detector(name);
  if (d == nullptr) return facts;
  facts.kinds = d->finding_kinds();
  facts.uses_small_inputs = d->uses_small_inputs();
  facts.derives_small_inputs = d->host_chooses_inputs(variant);
  facts.applies = d->not_applicable(variant).empty();
  return facts;
}

}  // namespace casebook
