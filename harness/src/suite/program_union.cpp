#include "suite/program_union.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <map>
#include <string>

namespace casebook {

namespace {

struct Flag {
  const VerdictRecord* verdict = nullptr;
  const TrialRecord* trial = nullptr;
};

// The first trial of v that showed a finding.
Flag first_flag(const VerdictRecord& v) {
  for (const auto& t : v.trials) {
    if (!t.findings.empty()) return {&v, &t};
  }
  return {};
}

VerdictRecord union_of(const std::vector<const VerdictRecord*>& parts) {
  const VerdictRecord& first = *parts.front();
  const ProgramSpec& program = *first.variant.program;
  VerdictRecord u;
  u.variant = first.variant;
  u.detector = kUnionDetector;
  u.expected.detector = kUnionDetector;
  u.expected.declared = true;
  u.expected.want = program.positive ? Want::finds : Want::clean;
  if (program.positive) u.expected.kinds = {"*"};
  u.expected.reason = program.labelled_by == "pair"
                          ? "the pair convention: broken is a positive, fixed a negative"
                          : "labelled in the --labels file";

  std::vector<std::string> ran, flagged, failed;
  Flag deciding;
  for (const VerdictRecord* v : parts) {
    u.duration_seconds += v->duration_seconds;
    if (v->grade.verdict == Verdict::skipped) continue;
    ran.push_back(v->detector);
    if (v->grade.verdict == Verdict::error) failed.push_back(v->detector);
    if (const Flag f = first_flag(*v); f.verdict != nullptr) {
      flagged.push_back(v->detector);
      if (deciding.verdict == nullptr) deciding = f;
    }
  }
  const std::string detectors = ran.empty() ? "none" : fmt::format("{}", fmt::join(ran, ", "));
  if (deciding.verdict != nullptr) {
    const Finding& f = deciding.trial->findings.front();
    u.grade.verdict = program.positive ? Verdict::detected : Verdict::false_positive;
    u.grade.passed = program.positive;
    u.grade.reason =
        fmt::format("{} flagged it ({} of {}: {}); the first, {} trial {}: {}{}{}",
                    program.positive ? "a positive, and" : "a negative, but", flagged.size(),
                    ran.size(), fmt::join(flagged, ", "), deciding.verdict->detector,
                    deciding.trial->index + 1, f.kind, f.summary.empty() ? "" : ": ", f.summary);
    u.repro = deciding.verdict->repro;
  } else if (!failed.empty()) {
    u.grade.verdict = Verdict::error;
    u.grade.reason =
        fmt::format("no detector flagged it, and {} could not judge it", fmt::join(failed, ", "));
  } else {
    u.grade.verdict = program.positive ? Verdict::missed : Verdict::clean;
    u.grade.passed = !program.positive;
    u.grade.reason =
        fmt::format("{}: none of the detectors that ran ({}) flagged it",
                    program.positive ? "a positive, missed" : "a negative, and clean", detectors);
  }
  return u;
}

}  // namespace

std::vector<VerdictRecord> program_union_verdicts(const std::vector<VerdictRecord>& verdicts) {
  std::vector<std::string> order;
  std::map<std::string, std::vector<const VerdictRecord*>> by_program;
  for (const auto& v : verdicts) {
    if (!v.variant.program || v.variant.program->labelled_by.empty()) continue;
    auto [it, fresh] = by_program.try_emplace(v.variant.id());
    if (fresh) order.push_back(v.variant.id());
    it->second.push_back(&v);
  }
  std::vector<VerdictRecord> unions;
  for (const auto& id : order) unions.push_back(union_of(by_program.at(id)));
  return unions;
}

}  // namespace casebook
