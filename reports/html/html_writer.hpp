// html_writer.hpp - results.json -> one self-contained HTML page for people to read.
//
// The page opens from file:// with no network: its stylesheet and script are inlined (they
// live in reports/html/assets/ and are embedded at build time), it loads no font, image or
// script from anywhere, and a Content-Security-Policy forbids it to. It holds, in order:
//   - an overview: pass/fail counts, failed expectations with their repro commands, the
//     environment (compiler, flags per configuration, kernel, CPUs, commit) and the run
//     (seed, repeat, deflake, detectors, command, duration);
//   - the detection matrix: one row per case, a broken and a fixed cell per detector coloured
//     by verdict, with filter chips (category, verdict, detector), a search box and sortable
//     columns;
//   - a section per case: its verdicts (hits/trials when the run used --repeat > 1), every
//     finding of each verdict's deciding trial with its stacks side by side and each frame in
//     the case's files linked to its line, the README's account of the fix, broken.cpp beside
//     fixed.cpp (highlighted, differing lines marked, lines named by findings flagged), the
//     case's other sources, and the whole README rendered;
//   - performance: the perf detector's rounds of broken and fixed, ratio and threshold, as a
//     small chart and a table (omitted when the run has no perf measurements);
//   - benchmarks, when a bench-summary.json is given (casebook report --bench): speedup
//     against workers per workload, broken against fixed, sanitizer overhead against the
//     documented ranges, the harness's own speed, each as inline SVG with its numbers in a
//     table (section_benchmarks.cpp). Without one the page has no such section.
// Everything is rendered here, in C++; the page is complete before its script runs, and the
// script only adds the interactive parts (filters, sorting, frame-to-line jumps, copy buttons).
// Opening the page as index.html#selftest runs an in-page self-test (see assets/report.js).
//
// Pure function of its input: the same results give byte-identical output. Not thread-safe to
// share one json document with a writer mutating it; otherwise no shared state.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "html/bench_summary.hpp"
#include "results/results_model.hpp"

namespace casebook::reports {

// Renders a results document (read with results::read_results; its "cases" object, when
// present, gives READMEs and sources) as a complete HTML page. Cost: linear in the results' size
// plus a line diff per case (quadratic in a case's changed lines); about 2.5 MB of HTML for 30
// cases, most of it their READMEs, sources and raw reports; rendered in well under a second.
std::string html_from_results(const results::Results& results);

// The benchmark pass to show beside the results: bench/summarise.py's summary (read with
// load_bench_summary, bench_summary.hpp) and where it came from, as the page should name it.
struct BenchInput {
  const bench::Summary* summary = nullptr;  // nullptr: no Benchmarks section
  std::string source;                       // "reports/out/bench-summary.json (found beside ...)"
};

// The same page with a Benchmarks section (and its link in the navigation) when
// bench.summary is set; byte-identical to html_from_results(results) when it is not.
std::string html_from_results(const results::Results& results, const BenchInput& bench);

}  // namespace casebook::reports
