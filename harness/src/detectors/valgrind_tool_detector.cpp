// The helgrind and drd detectors: the plain build run under one of Valgrind's tools. Helgrind
// tracks the happens-before relation of pthread calls: races (with both accesses), lock-order
// inversions from its lock graph (no deadlock needed), and pthread API misuse. DRD: races
// between segments of threads, pthread API misuse, condition variables signalled without their
// mutex.
#include "detectors/detector_impls.hpp"
#include "detectors/valgrind_run.hpp"
#include "parse/valgrind_parser.hpp"

namespace casebook {

namespace {

DetectorTraits valgrind_traits(std::string_view tool) {
  DetectorTraits t;
  t.name = tool;
  t.configuration = "plain";
  t.description =
      tool == "helgrind"
          ? "Valgrind Helgrind on the plain build: races, lock-order inversions, pthread misuse"
          : "Valgrind DRD on the plain build: races, pthread misuse, signals without the mutex";
  // Valgrind names report types beyond our list (a newer release's, kept as a slug), so the
  // vocabulary is open.
  t.finding_kinds = {valgrind_known_kinds(), true};
  t.in_default_set = false;  // minutes per catalog run, see kValgrindTrialTimeout
  t.required_program = "valgrind";
  t.blind_to_openmp =
      "the OpenMP runtime synchronises its threads with atomics and spin-waits "
      "that " +
      t.name + " cannot see, so it reports races in every OpenMP program";
  t.uses_small_inputs = true;
  return t;
}

}  // namespace

ValgrindToolDetector::ValgrindToolDetector(std::string_view tool)
    : Detector(valgrind_traits(tool)) {}

std::vector<std::string> ValgrindToolDetector::command_prefix(const std::string& log_prefix) const {
  // Helgrind's defaults already keep full history (both stacks of a race) and track lock
  // orders. DRD ignores stack variables unless told: the catalog's shared data is often a local
  // of run() that its threads capture by reference.
  if (name() == "drd") return valgrind_command("drd", log_prefix, {"--check-stack-var=yes"});
  return valgrind_command(name(), log_prefix, {});
}

DetectorReading ValgrindToolDetector::read(const TrialEvidence& evidence) const {
  return read_valgrind_trial(evidence, name() == "drd" ? "DRD" : "Helgrind");
}

}  // namespace casebook
