#include "grade/grader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace casebook {

std::string_view verdict_name(Verdict v) {
  switch (v) {
    case Verdict::detected:
      return "detected";
    case Verdict::missed:
      return "missed";
    case Verdict::clean:
      return "clean";
    case Verdict::false_positive:
      return "false-positive";
    case Verdict::error:
      return "error";
    case Verdict::skipped:
      return "skipped";
  }
  return "error";
}

namespace {

const TrialRecord* first_infra_error(const std::vector<TrialRecord>& trials) {
  for (const auto& t : trials) {
    if (!t.infra_error.empty()) return &t;
  }
  return nullptr;
}

// "data-race or race", or "any finding" for the "*" of a labelled positive program.
std::string kinds_text(const std::vector<std::string>& kinds) {
  if (kinds.size() == 1 && kinds.front() == "*") return "any finding";
  return fmt::format("{}", fmt::join(kinds, " or "));
}

std::string trial_label(const TrialRecord& t) {
  if (t.noise_level > 0) {
    return fmt::format("trial {} (seed {}, a retry with schedule noise at level {})", t.index + 1,
                       t.seed, t.noise_level);
  }
  return fmt::format("trial {} (seed {})", t.index + 1, t.seed);
}

const TrialRecord* first_runner_limit(const std::vector<TrialRecord>& trials) {
  for (const auto& t : trials) {
    if (!t.runner_limit.empty()) return &t;
  }
  return nullptr;
}

// A trial that could not be judged (the machine or the build failed it): the pair's verdict is
// an infrastructure error, whatever the other trials showed.
Grade infra_error_grade(const TrialRecord& t) {
  Grade g;
  g.verdict = Verdict::error;
  g.infrastructure = true;
  g.deciding_trial = t.index;
  g.reason = trial_label(t) + " could not be judged: " + t.infra_error;
  return g;
}

// A trial the runner killed for going over a limit proves nothing either way: not a miss
// (the finding might have come later) and not clean. It is the variant's error, not the
// machine's.
Grade runner_limit_error(const TrialRecord& t) {
  Grade g;
  g.verdict = Verdict::error;
  g.deciding_trial = t.index;
  g.reason = fmt::format("{} was stopped by the runner: {}", trial_label(t), t.runner_limit);
  return g;
}

// Whether trial t shows one of the expected kinds (on a marked line, under a line rule).
bool detects(const TrialRecord& t, const Expectation& expected, const LineRule* line_rule) {
  if (line_rule == nullptr) return t.reported(expected.kinds);
  return std::any_of(t.findings.begin(), t.findings.end(), [&](const Finding& f) {
    return lists_kind(expected.kinds, f.kind) && finding_hits(f, *line_rule);
  });
}

std::vector<std::string> anomalies_of(const std::vector<TrialRecord>& trials) {
  std::vector<std::string> anomalies;
  for (const auto& t : trials) {
    if (!t.anomaly.empty()) anomalies.push_back(trial_label(t) + ": " + t.anomaly);
  }
  return anomalies;
}

// The first finding of a kind outside `kinds`, with its trial; {nullptr, nullptr} when none.
std::pair<const TrialRecord*, const Finding*> first_other_kind(
    const std::vector<TrialRecord>& trials, const std::vector<std::string>& kinds) {
  for (const auto& t : trials) {
    for (const auto& f : t.findings) {
      if (!lists_kind(kinds, f.kind)) return {&t, &f};
    }
  }
  return {nullptr, nullptr};
}

// may_find: a chance symptom. Seeing it and not seeing it both pass; what fails is a report of
// another kind (the declaration does not cover it), an infrastructure error, or a runner limit
// with no sighting.
Grade grade_may_find(const Expectation& expected, const std::vector<TrialRecord>& trials,
                     const LineRule* line_rule) {
  Grade g;
  if (const TrialRecord* t = first_infra_error(trials)) return infra_error_grade(*t);
  const auto kinds = kinds_text(expected.kinds);
  std::vector<std::string> declared = expected.kinds;
  declared.insert(declared.end(), expected.false_positive_kinds.begin(),
                  expected.false_positive_kinds.end());
  if (const auto [t, f] = first_other_kind(trials, declared); t != nullptr) {
    g.verdict = Verdict::false_positive;
    g.deciding_trial = t->index;
    g.reason =
        fmt::format("expected nothing but {}, which the variant may show, but {} reported {}{}{}",
                    kinds, trial_label(*t), f->kind, f->summary.empty() ? "" : ": ", f->summary);
    return g;
  }
  int hits = 0;
  const TrialRecord* first = nullptr;
  for (const auto& t : trials) {
    if (!detects(t, expected, line_rule)) continue;
    ++hits;
    if (first == nullptr) first = &t;
  }
  if (first == nullptr) {
    if (const TrialRecord* t = first_runner_limit(trials)) return runner_limit_error(*t);
  }
  g.passed = true;
  const std::string where = line_rule != nullptr ? " on a marked line" : "";
  // The declared false positive beside the chance symptom, when the tool reported it.
  std::string also;
  if (!expected.false_positive_kinds.empty() &&
      first_other_kind(trials, expected.kinds).first != nullptr) {
    also = fmt::format("; also the known false positive {} ({})",
                       fmt::join(expected.false_positive_kinds, " or "),
                       expected.false_positive_reason);
  }
  if (first != nullptr) {
    g.verdict = Verdict::detected;
    g.deciding_trial = first->index;
    g.reason = fmt::format("may find {}: {} of {} trials reported it{}, the first {}; {}{}", kinds,
                           hits, trials.size(), where, trial_label(*first), expected.reason, also);
    return g;
  }
  g.verdict = Verdict::clean;
  g.deciding_trial = trials.back().index;
  g.reason = fmt::format(
      "may find {}: none of {} trials reported it{}, which the declaration allows; {}{}", kinds,
      trials.size(), where, expected.reason, also);
  if (const auto anomalies = anomalies_of(trials); !anomalies.empty()) {
    g.reason += fmt::format("; {}", fmt::join(anomalies, "; "));
  }
  return g;
}

}  // namespace

bool retry_with_noise(int index, const TrialBudget& budget) {
  const int fixed = std::max(budget.repeat, budget.deflake);
  return index >= fixed && (index - fixed) % 2 == 1;
}

bool wants_another_trial(const Expectation& expected, const std::vector<TrialRecord>& trials,
                         const TrialBudget& budget, const LineRule* line_rule) {
  if (expected.want == Want::skip) return false;
  if (first_infra_error(trials) != nullptr) return false;  // more trials will not fix the machine
  // A variant that blew a limit once (memory, processes) will do it again: retrying only
  // spends more of the machine on it.
  if (first_runner_limit(trials) != nullptr) return false;
  const int done = static_cast<int>(trials.size());
  if (done < budget.repeat) return true;
  // clean, a known false positive or a chance symptom: no retries past the repeat count.
  if (expected.want != Want::finds) return false;
  const bool detected = std::any_of(trials.begin(), trials.end(),
                                    [&](const auto& t) { return detects(t, expected, line_rule); });
  if (detected) return false;
  if (done < std::max(budget.repeat, budget.deflake)) return true;
  // Past the fixed budget: more trials while the pair's time allows, measured as the trials'
  // own durations, so the decision is a pure function of what the runner recorded.
  double spent = 0;
  for (const auto& t : trials) spent += t.duration_seconds;
  return done < budget.deflake_max && spent < budget.deflake_seconds;
}

Grade grade(const Expectation& expected, const std::vector<TrialRecord>& trials,
            const LineRule* line_rule) {
  Grade g;
  if (expected.want == Want::skip) {
    g.verdict = Verdict::skipped;
    g.passed = true;
    g.reason = expected.reason;
    return g;
  }
  if (trials.empty()) {
    g.verdict = Verdict::error;
    g.infrastructure = true;
    g.reason = "no trial ran";
    return g;
  }
  if (expected.want == Want::may_find) return grade_may_find(expected, trials, line_rule);

  if (expected.want == Want::finds) {
    for (const auto& t : trials) {
      if (detects(t, expected, line_rule)) {
        g.verdict = Verdict::detected;
        g.passed = true;
        g.deciding_trial = t.index;
        g.reason = fmt::format(
            "{} reported {}{} ({} of {} trials run)", trial_label(t), kinds_text(expected.kinds),
            line_rule != nullptr ? " on a marked line" : "", t.index + 1, trials.size());
        return g;
      }
    }
    if (const TrialRecord* t = first_infra_error(trials)) return infra_error_grade(*t);
    if (const TrialRecord* t = first_runner_limit(trials)) return runner_limit_error(*t);
    std::set<std::string> seen;
    for (const auto& t : trials) {
      for (const auto& f : t.findings) seen.insert(f.kind);
    }
    const std::vector<std::string> anomalies = anomalies_of(trials);
    g.verdict = Verdict::missed;
    g.deciding_trial = trials.back().index;
    g.reason = fmt::format(
        "expected {} but none of {} trials reported it; seen: {}", kinds_text(expected.kinds),
        trials.size(),
        seen.empty() ? std::string("nothing") : fmt::format("{}", fmt::join(seen, ", ")));
    if (!anomalies.empty()) g.reason += "; " + fmt::format("{}", fmt::join(anomalies, "; "));
    if (line_rule != nullptr) {
      const LineTruth truth = line_truth(trials, *line_rule);
      g.reason += fmt::format(
          "; this detector counts only findings on the lines {} marks (casebook-bug: {}){}",
          line_rule->file, fmt::join(line_rule->marked, ", "),
          truth.at.empty() ? std::string() : ", and the first finding landed on " + truth.at);
    }
    return g;
  }

  // Expected clean (or a known false positive): every trial must be silent and well-behaved.
  if (const TrialRecord* t = first_infra_error(trials)) return infra_error_grade(*t);
  const bool tolerated = expected.want == Want::false_positive;
  const TrialRecord* known = nullptr;  // first trial with only the declared wrong reports
  for (const auto& t : trials) {
    if (t.findings.empty()) continue;
    const auto unexpected = std::find_if(t.findings.begin(), t.findings.end(), [&](const auto& f) {
      return !lists_kind(expected.kinds, f.kind);
    });
    if (tolerated && unexpected == t.findings.end()) {
      if (known == nullptr) known = &t;
      continue;
    }
    {
      const Finding& f = tolerated ? *unexpected : t.findings.front();
      g.verdict = Verdict::false_positive;
      g.deciding_trial = t.index;
      const std::string wanted = tolerated ? fmt::format("nothing but the known false positive {}",
                                                         kinds_text(expected.kinds))
                                           : std::string("clean");
      g.reason = fmt::format("expected {} but {} reported {}{}{}", wanted, trial_label(t), f.kind,
                             f.summary.empty() ? "" : ": ", f.summary);
      if (t.findings.size() > 1) {
        g.reason += fmt::format(" (and {} more finding(s))", t.findings.size() - 1);
      }
      return g;
    }
  }
  if (const TrialRecord* t = first_runner_limit(trials)) return runner_limit_error(*t);
  if (known != nullptr) {
    g.verdict = Verdict::false_positive;
    g.passed = true;
    g.deciding_trial = known->index;
    g.reason = fmt::format(
        "known false positive: {} reported {} although the variant is "
        "correct; {}",
        trial_label(*known), kinds_text(expected.kinds), expected.reason);
    return g;
  }
  for (const auto& t : trials) {
    if (!t.anomaly.empty()) {
      g.verdict = Verdict::error;
      g.deciding_trial = t.index;
      g.reason = fmt::format("expected clean but {} {}", trial_label(t), t.anomaly);
      return g;
    }
  }
  g.verdict = Verdict::clean;
  g.passed = true;
  g.reason = fmt::format("{} trial(s), nothing reported", trials.size());
  return g;
}

}  // namespace casebook
