#!/usr/bin/env python3
"""Mutation check: do casebook's unit tests fail when the code they guard is broken?

usage: mutation_check.py [--only ID[,ID...]] [--list] [--check-anchors] [--build DIR]
                         [--jobs N] [--timeout SECONDS]

A test suite can pass for the wrong reason: it may not look at the thing it names. This script
breaks the code on purpose, one deliberate one-line breakage at a time, in the parts whose
mistakes would make casebook lie about a verdict: the grader (and its line truth and
manifestation statistics), the merge of results files, the SARIF writer, the parsers of the
tools' reports, and the controlled scheduler's happens-before race check. For each breakage it
writes the broken line into the source file, rebuilds only the named test targets in an
existing build folder (--build, default ./build, configured as ci/setup.sh does), runs the
named tests, and always writes the file's original bytes back, also on an error, Ctrl-C or
SIGTERM. Then it rebuilds the targets once more on the restored tree and prints a Markdown
table: each breakage, and the tests that failed because of it, or UNCAUGHT.

Each mutation names its file, the exact original text (it must occur exactly once, so a
change to the code cannot leave a mutation silently pointing at nothing: the script stops,
naming it), its replacement, what the breakage means, the targets to rebuild and the tests to
run. A mutation marked must_catch=False says in its description why no test is expected to
catch it. The script refuses to start while a listed file has uncommitted changes (its
restore writes back what it read, which must be the committed text).

--list prints the mutations; --check-anchors checks every anchor without building (the ctest
entry tools_mutation_check_list runs both). Exit status: 0 when every must-catch breakage was
caught; 1 when one was not, or a mutation did not compile (the list needs fixing); 2 for a
usage error or a broken list; 3 when the build or a test could not run at all.
"""
import argparse
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@dataclass(frozen=True)
class Tests:
    """What to rebuild and run for a mutation: ninja targets, then gtest binaries (from the
    build folder's bin/) each with a --gtest_filter ("*" for all)."""

    targets: tuple
    runs: tuple  # of (binary, gtest_filter)


@dataclass(frozen=True)
class Mutation:
    id: str
    area: str
    file: str  # relative to the repository root
    original: str  # must occur exactly once in the file
    replacement: str
    description: str
    tests: Tests
    must_catch: bool = True


GRADER = Tests(("grader_test", "line_truth_test"), (("grader_test", "*"), ("line_truth_test", "*")))
REPORTS = Tests(("reports_test",), (("reports_test", "*"),))
MODEL = Tests(("casebook_model_tests",), (("casebook_model_tests", "*"),))
TSAN_PARSE = Tests(("casebook_parse_tests", "line_truth_test"),
                   (("casebook_parse_tests",
                     "TsanParser.*:TsanKind.*:RealTsanOutput.*:LocatedPaths.*"),
                    ("line_truth_test", "*")))
ASAN_PARSE = Tests(("casebook_parse_tests",),
                   (("casebook_parse_tests",
                     "AsanParser.*:AsanKind.*:UbsanCheck.*:RealAsanOutput.*"),))
VALGRIND_PARSE = Tests(("casebook_parse_tests",),
                       (("casebook_parse_tests", "ValgrindParser.*:RealValgrindOutput.*"),))
GDB_PARSE = Tests(("casebook_parse_tests",),
                  (("casebook_parse_tests", "GdbParser.*:RealGdbOutput.*:HangStacks.*"),))

GRADER_CPP = "harness/src/grade/grader.cpp"
LINE_TRUTH_CPP = "harness/src/grade/line_truth.cpp"
MANIFESTATION_HPP = "reports/results/manifestation.hpp"
MANIFESTATION_CPP = "reports/results/manifestation.cpp"
MERGE_CPP = "reports/merge/merge_results.cpp"
SCORECARD_CPP = "reports/scorecard/scorecard.cpp"
SARIF_CPP = "reports/sarif/sarif_writer.cpp"
EXECUTION_CPP = "harness/model/src/execution.cpp"
READER_CPP = "harness/src/record/results_reader.cpp"
JOURNAL_CPP = "harness/src/record/run_journal.cpp"
RESULTS_JSON_CPP = "harness/src/record/results_json.cpp"
RESULTS_MODEL_CPP = "reports/results/results_model.cpp"
PRINTABLE_HPP = "harness/src/common/printable_text.hpp"
TRIAL_CPP = "harness/src/suite/trial.cpp"
BENCH_READER_CPP = "reports/html/bench_summary_reader.cpp"

READER = Tests(("results_reader_test",), (("results_reader_test", "*"),))
JOURNAL = Tests(("run_journal_test",), (("run_journal_test", "*"),))
PRINTABLE = Tests(("printable_text_test",), (("printable_text_test", "*"),))
OUTCOME = Tests(("outcome_reading_test",), (("outcome_reading_test", "*"),))
TRAITS = Tests(("detectors_test",), (("detectors_test", "DetectorTraits.*"),))
PROTOCOL = Tests(("host_protocol_test",), (("host_protocol_test", "*"),))
BENCH_FILE = Tests(("html_report_test",), (("html_report_test", "BenchFile.*"),))
PROTOCOL_READER_CPP = "harness/src/protocol/host_protocol_reader.cpp"
OUTCOME_CPP = "reports/results/outcome.cpp"
PROPERTY_CHECK_CPP = "reports/results/property_check.cpp"
TSAN_DETECTOR_CPP = "harness/src/detectors/tsan_detector.cpp"
INVARIANT_DETECTOR_CPP = "harness/src/detectors/invariant_detector.cpp"
CATALOG_CPP = "harness/src/catalog/catalog.cpp"

MUTATIONS = [
    # ---- the grader: trials + expectation -> verdict, and the trial budget ----
    Mutation("grade-infra-unnoticed", "grader", GRADER_CPP,
             "    if (!t.infra_error.empty()) return &t;",
             "    if (!t.infra_error.empty()) continue;",
             "a trial that could not be judged is never noticed: graded on what it showed",
             GRADER),
    Mutation("grade-any-kind-detects", "grader", GRADER_CPP,
             "  if (line_rule == nullptr) return t.reported(expected.kinds);",
             "  if (line_rule == nullptr) return !t.findings.empty();",
             "a finding of any kind counts as the expected one",
             GRADER),
    Mutation("grade-line-rule-or", "grader", GRADER_CPP,
             "    return lists_kind(expected.kinds, f.kind) && finding_hits(f, *line_rule);",
             "    return lists_kind(expected.kinds, f.kind) || finding_hits(f, *line_rule);",
             "under a line rule, the right kind off the marked lines counts as detected",
             GRADER),
    Mutation("grade-may-find-as-finds", "grader", GRADER_CPP,
             "  g.passed = true;\n  const std::string where = line_rule",
             "  g.passed = first != nullptr;\n  const std::string where = line_rule",
             "a may-find symptom that never showed fails, as if it were a finds",
             GRADER),
    Mutation("grade-may-find-fp-undeclared", "grader", GRADER_CPP,
             "first_other_kind(trials, declared); t != nullptr",
             "first_other_kind(trials, expected.kinds); t != nullptr",
             "the false positive declared beside a may-find fails the pair",
             GRADER),
    Mutation("grade-fp-handling-inverted", "grader", GRADER_CPP,
             "  const bool tolerated = expected.want == Want::false_positive;",
             "  const bool tolerated = expected.want != Want::false_positive;",
             "false-positive handling inverted: a known false positive fails, clean tolerates",
             GRADER),
    Mutation("grade-kfp-tolerates-any-kind", "grader", GRADER_CPP,
             "    if (tolerated && unexpected == t.findings.end()) {",
             "    if (tolerated) {",
             "a known false positive excuses every other kind of report too",
             GRADER),
    Mutation("grade-clean-ignores-runner-limit", "grader", GRADER_CPP,
             "  if (const TrialRecord* t = first_runner_limit(trials)) "
             "return runner_limit_error(*t);\n"
             "  if (known != nullptr) {",
             "  if (known != nullptr) {",
             "a clean variant the runner killed over a limit passes as clean",
             GRADER),
    Mutation("grade-finds-infra-is-a-miss", "grader", GRADER_CPP,
             "    if (const TrialRecord* t = first_infra_error(trials)) "
             "return infra_error_grade(*t);\n"
             "    if (const TrialRecord* t = first_runner_limit(trials))",
             "    if (const TrialRecord* t = first_runner_limit(trials))",
             "a broken variant whose trial could not be judged is a miss, not an error",
             GRADER),
    Mutation("grade-no-trial-not-infra", "grader", GRADER_CPP,
             "    g.infrastructure = true;\n    g.reason = \"no trial ran\";",
             "    g.infrastructure = false;\n    g.reason = \"no trial ran\";",
             "a pair with no trial at all is the variant's error, not the machine's",
             GRADER),
    Mutation("grade-clean-anomaly-ignored", "grader", GRADER_CPP,
             "    if (!t.anomaly.empty()) {",
             "    if (false && !t.anomaly.empty()) {",
             "a clean variant that crashed or timed out without a report passes as clean",
             GRADER),
    Mutation("budget-deflake-min", "grader", GRADER_CPP,
             "  if (done < std::max(budget.repeat, budget.deflake)) return true;",
             "  if (done < std::min(budget.repeat, budget.deflake)) return true;",
             "a broken variant gets no deflake retries",
             GRADER),
    Mutation("budget-may-find-retried", "grader", GRADER_CPP,
             "  if (expected.want != Want::finds) return false;",
             "  if (expected.want == Want::clean) return false;",
             "a may-find or known false positive is retried like a broken variant",
             GRADER),
    Mutation("manifestation-first-hit-off-by-one", "grader", MANIFESTATION_HPP,
             "      m.first_hit_trial = m.trials;",
             "      m.first_hit_trial = m.trials - 1;",
             "the first hit's trial number is off by one",
             GRADER),
    Mutation("manifestation-clean-hits-kinds-only", "grader", MANIFESTATION_CPP,
             "  if (!expects_finding) return !trial.findings.empty();",
             "  if (!expects_finding) return false;",
             "a clean pair's false-positive rate counts nothing (hits only of declared kinds)",
             GRADER),
    Mutation("manifestation-wilson-centre", "grader", MANIFESTATION_CPP,
             "  const double centre = (p + z2n / 2) / (1 + z2n);",
             "  const double centre = (p + z2n) / (1 + z2n);",
             "the Wilson interval's centre is shifted: wrong confidence interval",
             GRADER),
    Mutation("line-truth-any-file", "grader", LINE_TRUTH_CPP,
             "  return frame.line > 0 && frame.base == rule.base && frame.file == rule.file &&",
             "  return frame.line > 0 && frame.base == rule.base &&",
             "a frame in any file on a marked line number counts as on the marked line",
             GRADER),
    Mutation("line-truth-top-frame-only", "grader", LINE_TRUTH_CPP,
             "      if (on_marked_line(frame, rule)) return true;",
             "      return on_marked_line(frame, rule);",
             "only the first stack's top frame can hit a marked line",
             GRADER),
    Mutation("line-truth-pair-one-order", "grader", LINE_TRUTH_CPP,
             "      if ((lines[0] == a && lines[1] == b) || (lines[0] == b && lines[1] == a)) "
             "return 2;",
             "      if (lines[0] == a && lines[1] == b) return 2;",
             "a race reported in the other order than its labelled pair names only one line",
             GRADER),
    Mutation("line-truth-both-and-one", "grader", LINE_TRUTH_CPP,
             "    if (pair.both) pair.one = false;",
             "",
             "a pair matched on both lines is also counted as matched on one",
             GRADER),
    # ---- merging results files ----
    Mutation("merge-last-wins", "merge", MERGE_CPP,
             "      const bool take_new = kept.passed && !v.passed;",
             "      const bool take_new = true;",
             "a conflict keeps the last file's verdict instead of the failure",
             REPORTS),
    Mutation("merge-conflict-by-name-only", "merge", MERGE_CPP,
             "      if (a == b && kept.passed == v.passed) {",
             "      if (a == b) {",
             "same verdict name, different pass/fail is dropped as a duplicate (first wins)",
             REPORTS),
    Mutation("merge-skipped-miscounted", "merge", RESULTS_MODEL_CPP,
             "count_verdict(s, v.verdict == \"skipped\", v.passed, v.infrastructure);",
             "count_verdict(s, v.verdict == \"skip\", v.passed, v.infrastructure);",
             "the recounted summary counts skipped pairs as passed",
             REPORTS),
    Mutation("merge-infra-miscounted", "merge", RESULTS_MODEL_CPP,
             "    if (infrastructure) ++s.infrastructure_errors;",
             "    ++s.infrastructure_errors;",
             "the recounted summary counts every failure as an infrastructure error",
             REPORTS),
    Mutation("merge-later-cases-dropped", "merge", MERGE_CPP,
             "    cases.insert(d.cases.begin(), d.cases.end());  // the first input's text of a case stays",
             "    if (&input == &inputs.front()) cases.insert(d.cases.begin(), d.cases.end());",
             "only the first file's case entries reach the merged document",
             REPORTS),
    Mutation("merge-newer-schema-read", "merge", MERGE_CPP,
             "  if (version.get<int>() > kReadableSchemaVersion) {",
             "  if (version.get<int>() > kReadableSchemaVersion + 1) {",
             "a results file of the next schema version is read as if it were this one",
             REPORTS),
    # ---- the detectors' traits ----
    Mutation("traits-other-tsan-inherits-nothing", "traits", TSAN_DETECTOR_CPP,
             "  t.expectations_of = \"tsan\";",
             "  t.expectations_of = \"\";",
             "tsan-gcc and tsan-clang no longer inherit what tsan is declared to find",
             TRAITS),
    Mutation("traits-noise-adds-nothing", "traits", INVARIANT_DETECTOR_CPP,
             "  t.added_by_noise = true;",
             "  t.added_by_noise = false;",
             "--noise no longer adds the invariant detector's noisy twin to a run",
             TRAITS),
    Mutation("traits-inheritance-ignored", "traits", CATALOG_CPP,
             "  if (!inherited_from.empty()) {",
             "  if (false) {",
             "a detector's traits name a base whose declaration is never inherited",
             TRAITS),
    # ---- the case host's documents ----
    Mutation("protocol-listing-drops-max-tasks", "protocol", PROTOCOL_READER_CPP,
             "  v.max_tasks = f.integer_or(\"max_tasks\", 0);",
             "  v.max_tasks = 0;",
             "the runner reads every variant's max_tasks as 0, whatever the host listed",
             PROTOCOL),
    Mutation("protocol-outcome-holds-ignored", "protocol", OUTCOME_CPP,
             "  o.holds = f.flag(\"holds\");",
             "  o.holds = f.flag_or(\"holds\", true);",
             "an outcome without holds (or with holds of another type) reads as holding",
             PROTOCOL),
    Mutation("protocol-property-shrinks-optional", "protocol", PROPERTY_CHECK_CPP,
             "  p.shrinks = f.integer(\"shrinks\");",
             "  p.shrinks = f.integer_or(\"shrinks\", 0);",
             "a property check without its shrink count reads as having shrunk nothing",
             PROTOCOL),
    # ---- bench-summary.json's fields ----
    Mutation("bench-gil-speedup-unchecked", "bench-summary", BENCH_READER_CPP,
             "  out.speedup_at_max = figure(g, \"speedup_at_max\");",
             "  out.speedup_at_max = kNoFigure;",
             "a GIL row's speedup_at_max may be missing or of any type",
             BENCH_FILE),
    Mutation("bench-series-mode-any-text", "bench-summary", BENCH_READER_CPP,
             "  out.mode = one_of(s, \"mode\", {\"threads\", \"processes\"});",
             "  out.mode = s.text(\"mode\");",
             "a series' mode may be any text, not only threads or processes",
             BENCH_FILE),
    # ---- the detector scorecard ----
    Mutation("scorecard-label-ignored", "scorecard", SCORECARD_CPP,
             "    const bool broken = v.positive ? *v.positive : v.variant == \"broken\";",
             "    const bool broken = v.variant == \"broken\";",
             "a standalone program's label is ignored: every program counts as a negative",
             REPORTS),
    Mutation("scorecard-union-never-flags", "scorecard", SCORECARD_CPP,
             "         (verdict.verdict == \"detected\" || verdict.verdict == \"false-positive\");",
             "         false;",
             "a program's union verdict, which runs no trials, never flags the program",
             REPORTS),
    Mutation("scorecard-pair-level-one-access", "scorecard", SCORECARD_CPP,
             "      d.pair.add(true, line_level.race_pair->both);",
             "      d.pair.add(true, line_level.race_pair->both || line_level.race_pair->one);",
             "a race with one access on a labelled pair's lines counts as the pair found",
             REPORTS),
    # ---- the SARIF writer ----
    Mutation("sarif-failed-findings-are-notes", "sarif", SARIF_CPP,
             "                {\"level\", passed ? \"note\" : \"error\"},",
             "                {\"level\", \"note\"},",
             "a failed pair's findings are written at level note, not error",
             REPORTS),
    Mutation("sarif-rule-without-detector", "sarif", SARIF_CPP,
             "        const std::string rule = detector + \"/\" + finding.kind;",
             "        const std::string rule = finding.kind;",
             "ruleId is the bare kind, not <detector>/<kind>",
             REPORTS),
    Mutation("sarif-error-rule-dropped", "sarif", SARIF_CPP,
             "    if (verdict == \"missed\" || (verdict == \"error\" && !passed)) {",
             "    if (verdict == \"missed\") {",
             "a failed error verdict gets no casebook/error result",
             REPORTS),
    Mutation("sarif-fingerprint-has-lines", "sarif", SARIF_CPP,
             "      key += \"|\" + frame.function + \"@\" + frame.file;",
             "      key += \"|\" + frame.function + \"@\" + frame.file + \":\" + "
             "std::to_string(frame.line);",
             "fingerprints change when a line number moves",
             REPORTS),
    Mutation("sarif-fingerprint-has-summary", "sarif", SARIF_CPP,
             "  if (taken == 0) key += \"|\" + without_addresses(finding.location);",
             "  if (taken == 0) key += \"|\" + finding.summary;",
             "a frameless finding's fingerprint changes with its observed values",
             REPORTS),
    Mutation("sarif-fingerprint-location-addresses", "sarif", SARIF_CPP,
             "  if (taken == 0) key += \"|\" + without_addresses(finding.location);",
             "  if (taken == 0) key += \"|\" + finding.location;",
             "a frameless finding's fingerprint changes with the addresses in its location",
             REPORTS),
    Mutation("sarif-trials-counted-twice", "sarif", SARIF_CPP,
             "        if (in_this_trial.insert(it->second).second) ++distinct[it->second].trials;",
             "        ++distinct[it->second].trials;",
             "a finding reported twice in one trial counts as two trials showing it",
             REPORTS),
    Mutation("sarif-region-line-off-by-one", "sarif", SARIF_CPP,
             "  json region = {{\"startLine\", std::max(line, 1)}};",
             "  json region = {{\"startLine\", std::max(line - 1, 1)}};",
             "every location's startLine is one line early",
             REPORTS),
    Mutation("sarif-primary-not-in-case", "sarif", SARIF_CPP,
             "      if (fallback == nullptr) fallback = &frame;",
             "      if (fallback == nullptr) return &frame;",
             "a result is located at the first repository frame, not the case's own code",
             REPORTS),
    # ---- the parsers of the tools' reports ----
    Mutation("tsan-race-kind", "parsers", "harness/src/parse/tsan_parser.cpp",
             "    {\"data race\", \"data-race\"},",
             "    {\"data race\", \"race\"},",
             "TSan's data race gets the wrong kind",
             TSAN_PARSE),
    Mutation("tsan-stack-titles-lost", "parsers", "harness/src/parse/tsan_parser.cpp",
             "    if (t.back() == ':') pending_title_ = std::string(t.substr(0, t.size() - 1));",
             "",
             "stacks lose their titles: which access, which thread, which mutex is unknown",
             TSAN_PARSE),
    Mutation("asan-double-free-kind", "parsers", "harness/src/parse/asan_parser.cpp",
             "      {\"attempting double-free\", \"double-free\"},",
             "      {\"attempting double-free\", \"bad-free\"},",
             "ASan's double free gets the wrong kind",
             ASAN_PARSE),
    Mutation("lsan-leak-kind", "parsers", "harness/src/parse/asan_parser.cpp",
             "                     ? \"memory-leak\"",
             "                     ? \"leak\"",
             "LeakSanitizer's leak gets the wrong kind",
             ASAN_PARSE),
    Mutation("valgrind-drd-race-kind", "parsers", "harness/src/parse/valgrind_parser.cpp",
             "  if (xml_kind == \"Race\" || xml_kind == \"ConflictingAccess\") "
             "return \"data-race\";",
             "  if (xml_kind == \"Race\") return \"data-race\";",
             "DRD's conflicting access is not read as a data race",
             VALGRIND_PARSE),
    Mutation("valgrind-line-off-by-one", "parsers", "harness/src/parse/valgrind_parser.cpp",
             "      f.line = whole_number(frame.child(\"line\"));",
             "      f.line = whole_number(frame.child(\"line\")) + 1;",
             "Valgrind frames' lines are off by one",
             VALGRIND_PARSE),
    Mutation("gdb-line-off-by-one", "parsers", "harness/src/parse/gdb_parser.cpp",
             "        frame.line = loc->line;",
             "        frame.line = loc->line - 1;",
             "gdb frames' lines are off by one",
             GDB_PARSE),
    # ---- the controlled scheduler's happens-before race check ----
    Mutation("model-clock-merge-min", "model", EXECUTION_CPP,
             "into[i] = std::max(into[i], from[i]);",
             "into[i] = std::min(into[i], from[i]);",
             "joining two vector clocks takes the minimum: acquires learn nothing",
             MODEL),
    Mutation("model-join-orders-nothing", "model", EXECUTION_CPP,
             "  t.joined = true;\n  merge(me().clock, t.clock);",
             "  t.joined = true;",
             "join does not order the joined thread's accesses before the joiner's",
             MODEL),
    Mutation("model-concurrent-inclusive", "model", EXECUTION_CPP,
             "    return a.clock > (u < t.clock.size() ? t.clock[u] : 0);",
             "    return a.clock >= (u < t.clock.size() ? t.clock[u] : 0);",
             "an access the thread has synchronised with still counts as concurrent",
             MODEL),
    Mutation("model-release-no-tick", "model", EXECUTION_CPP,
             "  ++t.clock[static_cast<std::size_t>(t.id)];",
             "",
             "a release does not advance the thread's epoch: accesses after an unlock look "
             "ordered by it",
             MODEL),
    Mutation("model-write-ignores-reads", "model", EXECUTION_CPP,
             "  if (write) {\n    for (const auto& r : loc.reads) {",
             "  if (false) {\n    for (const auto& r : loc.reads) {",
             "a write is not checked against other threads' earlier reads",
             MODEL),
    Mutation("reader-expectation-unchecked", "resume", READER_CPP,
             "  if (entry.expected != now) {",
             "  if (false) {",
             "a verdict graded against another expectation is kept on --resume",
             READER),
    Mutation("reader-seed-signed", "resume", RESULTS_MODEL_CPP,
             '  t.seed = f.unsigned_integer("seed");',
             '  t.seed = static_cast<std::uint64_t>(f.integer("seed"));',
             "a trial seed past 2^31 no longer reads back",
             READER),
    Mutation("capped-twice", "resume", RESULTS_JSON_CPP,
             "  if (text.size() <= kRawCap || already_capped(text)) return text;",
             "  if (text.size() <= kRawCap) return text;",
             "a report capped once is capped again when a resumed run writes it",
             READER),
    Mutation("journal-torn-tail-kept", "resume", JOURNAL_CPP,
             "      contents.torn_tail = true;\n      break;\n    }\n    json line",
             "      contents.torn_tail = false;\n      break;\n    }\n    json line",
             "a line cut short by the kill is not reported, so it is never cut off",
             JOURNAL),
    Mutation("journal-damage-skipped", "resume", JOURNAL_CPP,
             '      JsonFields::fail(where, "not a line of JSON; the journal is damaged: run without --resume");',
             "      at = end + 1;\n      continue;",
             "a damaged line in the middle of a journal is skipped silently",
             JOURNAL),
    Mutation("printable-surrogates-pass", "printable", PRINTABLE_HPP,
             "  if ((length == 3 && c < 0x800) || (length == 4 && c < 0x10000) || c > 0x10FFFF ||\n"
             "      (c >= 0xD800 && c <= 0xDFFF)) {",
             "  if ((length == 3 && c < 0x800) || (length == 4 && c < 0x10000) || c > 0x10FFFF) {",
             "UTF-16 surrogates pass as UTF-8, which JSON refuses",
             PRINTABLE),
    Mutation("printable-controls-pass", "printable", PRINTABLE_HPP,
             "    } else if (c < 0x20) {",
             "    } else if (c < 0x1B) {",
             "ESC and the controls after it reach XML as they are",
             PRINTABLE),
    Mutation("outcome-exception-escapes", "outcome", TRIAL_CPP,
             "  } catch (const nlohmann::json::exception& e) {\n    if (!evidence.outcome) throw;",
             "  } catch (const std::out_of_range& e) {\n    if (!evidence.outcome) throw;",
             "an outcome of the wrong shape escapes the detector as an exception",
             OUTCOME),
]


# ---- the tree: anchors, cleanliness, restoring ----


def path_of(m):
    return os.path.join(ROOT, m.file)


def anchor_problems(mutations):
    """What is wrong with the list against the tree: [] when every anchor occurs exactly once."""
    problems = []
    seen = set()
    for m in mutations:
        if m.id in seen:
            problems.append(f"{m.id}: the id is used twice")
        seen.add(m.id)
        if m.original == m.replacement:
            problems.append(f"{m.id}: the replacement is the original text")
        try:
            with open(path_of(m), encoding="utf-8") as f:
                text = f.read()
        except OSError as e:
            problems.append(f"{m.id}: cannot read {m.file}: {e.strerror}")
            continue
        count = text.count(m.original)
        if count != 1:
            problems.append(f"{m.id}: its original text occurs {count} times in {m.file}, "
                            f"not once (the code changed: update the mutation)\n"
                            f"    original: {m.original!r}")
    return problems


def dirty_files(files):
    """The files among `files` that differ from the commit checked out (staged or not)."""
    if subprocess.run(["git", "-C", ROOT, "rev-parse", "--verify", "-q", "HEAD"],
                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode != 0:
        print(f"mutation_check.py: {ROOT} is not a git checkout with a commit; the check "
              f"restores files to their committed text and needs one", file=sys.stderr)
        raise SystemExit(2)
    dirty = []
    for f in files:
        r = subprocess.run(["git", "-C", ROOT, "diff", "--quiet", "HEAD", "--", f],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if r.returncode != 0:
            dirty.append(f)
    return dirty


class Interrupted(Exception):
    pass


def on_signal(signum, _frame):
    raise Interrupted(signal.Signals(signum).name)


def restore(path, data):
    """Writes a file's original bytes back with the stop signals held off, so a second Ctrl-C
    cannot cut the restore short (it is delivered, and stops the run, once the file is whole)."""
    stops = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}
    signal.pthread_sigmask(signal.SIG_BLOCK, stops)
    try:
        with open(path, "rb") as fh:
            if fh.read() == data:
                return
        with open(path, "wb") as fh:
            fh.write(data)
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, stops)


def golden_leftovers():
    """The golden tests' *.new files (written beside a golden file on a mismatch)."""
    found = set()
    for base in ("reports",):
        for dirpath, dirnames, filenames in os.walk(os.path.join(ROOT, base)):
            dirnames[:] = [d for d in dirnames if d != "node_modules"]
            found.update(os.path.join(dirpath, n) for n in filenames if n.endswith(".new"))
    return found


# ---- building and testing ----


def build(build_dir, targets, jobs, log):
    """Builds targets; returns (ok, tail of the log)."""
    r = subprocess.run(["ninja", "-C", build_dir, f"-j{jobs}", *targets],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    log.write(r.stdout)
    return r.returncode == 0, r.stdout[-3000:]


def run_tests(build_dir, tests, timeout):
    """Runs the gtest binaries; returns (failed test names, problems that are not test failures).
    An empty pair means every test passed."""
    failed, problems = [], []
    env = dict(os.environ)
    env.pop("CASEBOOK_UPDATE_GOLDEN", None)  # never rewrite a golden file from broken code
    env.pop("GTEST_TOTAL_SHARDS", None)
    env.pop("GTEST_SHARD_INDEX", None)
    for binary, gtest_filter in tests.runs:
        exe = os.path.join(build_dir, "bin", binary)
        try:
            r = subprocess.run([exe, f"--gtest_filter={gtest_filter}"], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               errors="replace", timeout=timeout)
        except subprocess.TimeoutExpired:
            failed.append(f"{binary} (timed out after {timeout} s)")
            continue
        names = []
        for line in r.stdout.splitlines():
            if line.startswith("[  FAILED  ] "):
                # "[  FAILED  ] Suite.Name (3 ms)"; the summary's "N tests, listed below:" has
                # no dot in its first word.
                name = line[len("[  FAILED  ] "):].split(" ", 1)[0].rstrip(",")
                if "." in name and name not in names:
                    names.append(name)
        if r.returncode == 0:
            if names:
                problems.append(f"{binary} exited 0 but printed failures")
            continue
        if names:
            failed.extend(names)
        elif r.returncode < 0:
            try:
                how = signal.Signals(-r.returncode).name
            except ValueError:
                how = f"signal {-r.returncode}"
            failed.append(f"{binary} (died by {how})")
        elif "[==========]" not in r.stdout:
            # gtest never started: a crash in start-up, or a binary that is not there.
            failed.append(f"{binary} (exit {r.returncode} before any test ran)")
        else:
            failed.append(f"{binary} (exit {r.returncode})")
    return failed, problems


def shorten(names, limit=4):
    if len(names) <= limit:
        return ", ".join(names)
    return ", ".join(names[:limit]) + f" and {len(names) - limit} more"


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--only", help="comma-separated mutation ids to run")
    p.add_argument("--list", action="store_true", help="print the mutations and exit")
    p.add_argument("--check-anchors", action="store_true",
                   help="check that every original text occurs exactly once, and exit")
    p.add_argument("--build", default=os.path.join(ROOT, "build"),
                   help="a configured Ninja build folder of this tree (default: build/ at the "
                        "repository root)")
    p.add_argument("--jobs", type=int, default=2, help="ninja -j (default 2)")
    p.add_argument("--timeout", type=int, default=600,
                   help="seconds one test binary may run (default 600)")
    args = p.parse_args(argv[1:])

    mutations = MUTATIONS
    if args.only:
        wanted = [w for w in args.only.split(",") if w]
        known = {m.id for m in MUTATIONS}
        unknown = [w for w in wanted if w not in known]
        if unknown:
            print(f"mutation_check.py: no mutation {', '.join(unknown)} (see --list)",
                  file=sys.stderr)
            return 2
        mutations = [m for m in MUTATIONS if m.id in wanted]

    if args.list:
        for m in mutations:
            catch = "" if m.must_catch else " (not must-catch)"
            print(f"{m.id:40} {m.area:8} {m.file}: {m.description}{catch}")
    problems = anchor_problems(mutations)
    if args.list or args.check_anchors:
        for problem in problems:
            print(f"mutation_check.py: {problem}", file=sys.stderr)
        if args.check_anchors and not problems:
            print(f"mutation_check.py: all {len(mutations)} anchors occur exactly once")
        return 2 if problems else 0
    if problems:
        for problem in problems:
            print(f"mutation_check.py: {problem}", file=sys.stderr)
        return 2

    build_dir = os.path.abspath(args.build)
    if not os.path.isfile(os.path.join(build_dir, "build.ninja")):
        print(f"mutation_check.py: {build_dir} is not a configured Ninja build folder; "
              f"configure one first (cmake -S . -B build -G Ninja, as ci/setup.sh does)",
              file=sys.stderr)
        return 2
    files = sorted({m.file for m in mutations})
    dirty = dirty_files(files)
    if dirty:
        print("mutation_check.py: refusing to start: these files have uncommitted changes, and "
              "the check writes their committed text back after each mutation:\n  " +
              "\n  ".join(dirty) + "\ncommit or stash them (or, if a killed run left a "
              "mutation behind, `git checkout -- FILE`) and run again", file=sys.stderr)
        return 2

    originals = {}
    for f in files:
        with open(os.path.join(ROOT, f), "rb") as fh:
            originals[f] = fh.read()
    all_targets = sorted({t for m in mutations for t in m.tests.targets})
    log_path = os.path.join(build_dir, "mutation_check.log")
    leftovers_before = golden_leftovers()

    started = time.monotonic()
    rows = []
    with open(log_path, "w", encoding="utf-8") as log:
        print(f"mutation_check.py: {len(mutations)} mutations, build {build_dir}, "
              f"log {log_path}", flush=True)
        ok, tail = build(build_dir, all_targets, args.jobs, log)
        if not ok:
            print(f"mutation_check.py: the unmutated tree does not build:\n{tail}",
                  file=sys.stderr)
            return 3
        # The tests must pass before anything is broken, or a failure proves nothing.
        baselined = set()
        for m in mutations:
            if m.tests not in baselined:
                failed, _ = run_tests(build_dir, m.tests, args.timeout)
                if failed:
                    print(f"mutation_check.py: the unmutated tree fails {shorten(failed)}; fix "
                          f"that first", file=sys.stderr)
                    return 3
                baselined.add(m.tests)

        interrupted = None
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, on_signal)
        try:
            for i, m in enumerate(mutations, 1):
                t0 = time.monotonic()
                original = originals[m.file]
                mutated = original.decode("utf-8").replace(m.original, m.replacement, 1)
                log.write(f"\n==== {m.id}: {m.file}\n")
                log.flush()
                try:
                    with open(path_of(m), "wb") as fh:
                        fh.write(mutated.encode("utf-8"))
                    ok, tail = build(build_dir, m.tests.targets, args.jobs, log)
                    if not ok:
                        status, caught_by = "did not compile", ""
                    else:
                        failed, problems = run_tests(build_dir, m.tests, args.timeout)
                        if problems:
                            log.write("\n".join(problems) + "\n")
                        status = "caught" if failed else "UNCAUGHT"
                        caught_by = shorten(failed)
                finally:
                    restore(path_of(m), original)
                    for leftover in golden_leftovers() - leftovers_before:
                        os.remove(leftover)
                rows.append((m, status, caught_by))
                print(f"[{i}/{len(mutations)}] {m.id}: {status}"
                      f"{' by ' + caught_by if caught_by else ''} "
                      f"({time.monotonic() - t0:.0f} s)", flush=True)
        except Interrupted as e:
            interrupted = str(e)
        finally:
            # Restored above, mutation by mutation; this is the last guard.
            for f, data in originals.items():
                restore(os.path.join(ROOT, f), data)
        if interrupted:
            print(f"mutation_check.py: stopped by {interrupted}; every file is restored "
                  f"(rebuild before using {build_dir})", file=sys.stderr)
            return 3
        ok, tail = build(build_dir, all_targets, args.jobs, log)
        if not ok:
            print(f"mutation_check.py: the restored tree does not build:\n{tail}",
                  file=sys.stderr)
            return 3
    still_dirty = dirty_files(files)
    if still_dirty:
        print(f"mutation_check.py: after restoring, git still sees changes in "
              f"{', '.join(still_dirty)}", file=sys.stderr)
        return 3

    print()
    print("| id | area | breakage | caught by |")
    print("|---|---|---|---|")
    caught = uncaught = must_uncaught = not_compiled = 0
    for m, status, caught_by in rows:
        if status == "caught":
            caught += 1
            cell = caught_by
        elif status == "UNCAUGHT":
            uncaught += 1
            if m.must_catch:
                must_uncaught += 1
                cell = "**UNCAUGHT**"
            else:
                cell = "uncaught (not must-catch)"
        else:
            not_compiled += 1
            cell = "did not compile"
        print(f"| {m.id} | {m.area} | {m.description} | {cell} |")
    print()
    minutes, seconds = divmod(int(time.monotonic() - started), 60)
    print(f"wall time {minutes} min {seconds} s")
    tail = f", {not_compiled} did not compile" if not_compiled else ""
    print(f"{len(rows)} mutations, {caught} caught, {uncaught} uncaught{tail}")
    return 1 if must_uncaught or not_compiled else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
