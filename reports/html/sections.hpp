// sections.hpp - the parts of the HTML report page, one renderer per file.
//
// Each returns an HTML fragment built from the ResultsView alone; html_writer.cpp puts them in
// the page skeleton. Every string from results.json goes through escape() (html_text.hpp) or
// one of the renderers that escape (markdown, highlight_cpp). Ids are stable and derived from
// names, so links between parts (matrix cell -> verdict, stack frame -> source line) hold.
#pragma once

#include <string>
#include <string_view>

#include "html/bench_summary.hpp"
#include "results_view.hpp"

namespace casebook::reports::html {

// Overview: pass/fail counts, failed expectations, environment, run parameters, duration.
std::string render_overview(const ResultsView& view);

// The detection matrix (cases x detectors x variants) with its filter chips, search and
// sortable headers. Readable without JS; report.js makes the controls work.
std::string render_matrix(const ResultsView& view);

// One case: verdicts, evidence, the fix, broken/fixed side by side, the full README.
std::string render_case(const ResultsView& view, const CaseView& c);

// The evidence of one case: every finding of each verdict's deciding trial, stacks side by
// side with frames in the case's files linked to their lines (section_findings.cpp).
std::string render_findings(const ResultsView& view, const CaseView& c);

// broken.cpp beside fixed.cpp with differing lines marked, then the case's other source files
// (section_source.cpp). Lines that appear in a finding's stack are marked as evidence.
std::string render_sources(const ResultsView& view, const CaseView& c);

// Performance: the perf detector's rounds per variant as a small chart and a table; empty
// when the run has no perf verdict with measurements.
std::string render_performance(const ResultsView& view);
// Whether a trial's outcome is a broken-against-fixed comparison (the case host's `compare`:
// a ratio and the rounds of each side), which the Performance section draws. Told by what the
// outcome holds, not by which detector ran it.
bool is_comparison(const std::optional<model::Outcome>& outcome);

// Benchmarks: bench-summary.json (bench/summarise.py) as charts with their tables: speedup
// against workers, broken against fixed, sanitizer overhead, the harness's own speed (with the
// suite's wall time from the results), and the pass's notes (section_benchmarks.cpp). `source`
// is how the page names the file.
std::string render_benchmarks(const ResultsView& view, const bench::Summary& summary,
                              std::string_view source);

// The detector scorecard (results.json "scorecard") as a table; empty when there is none.
std::string render_scorecard(const ResultsView& view);

// The verdict a person should read: results.json's verdict, except that a false positive the
// variant declares as a tool's known limit (and so passed) reads "known-false-positive"
// (reports/writing/verdict_words.hpp). Badges, cells, chips and the verdict mix all use it, so
// a passing known false positive is never painted as the failing kind.
std::string display_verdict(const model::Verdict& verdict);

// Whether the verdict's expectation is a may-find (a chance symptom whose rate is its story).
bool expects_may_find(const model::Verdict& verdict);

// The displayed verdicts in the order the page lists them: passing kinds, then failing ones.
inline constexpr std::string_view kVerdictOrder[] = {
    "detected", "clean", "known-false-positive", "missed", "false-positive", "error", "skipped"};

// A verdict as a coloured badge: <span class="badge v-detected">detected</span>.
std::string verdict_badge(std::string_view verdict);

// The id of a verdict's row in its case's verdict table: "v-<case>-<variant>-<detector>".
std::string verdict_anchor(std::string_view case_name, std::string_view variant,
                           std::string_view detector);

// A shell command with a copy button (the button works with JS; the text is selectable),
// after `label` ("replay:") when one is given.
std::string copyable_command(std::string_view command, std::string_view label = {});

// A property-detector verdict's "property" object (the shrunk counterexample, the failure, the
// counts and the replay command), or a one-line summary when the property held; "" when the
// verdict carries no property figures (section_property.cpp).
std::string render_property(const model::Verdict& verdict);

// The model checker's minimal failing interleaving of a trial (outcome.model): failure, schedule,
// replay command, shrink record, then one column per thread and one row per step, each step in
// the case's files linked to its source line. "" when the trial has no well-formed trace
// (section_interleaving.cpp).
std::string render_interleaving(const CaseView& c, const model::Trial& trial);

}  // namespace casebook::reports::html
