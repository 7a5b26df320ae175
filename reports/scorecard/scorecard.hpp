// scorecard.hpp - every detector's precision and recall on the catalog, DataRaceBench-style,
// computed from a results document's verdicts alone (so a merge of shards recomputes it).
//
// Ground truth is the pair: a broken variant has a bug (a positive), a fixed one has none (a
// negative). A detector "flags" a variant when any of its trials reported any finding; what a
// case declares does not enter, so a detector is scored on every bug class it runs on, not
// only the ones it is meant for. Per detector:
//   file level: broken flagged -> TP, broken silent -> FN, fixed flagged -> FP, fixed silent ->
//               TN (a declared known false positive is still an FP here);
//   line level: as file level, except that a broken variant counts as TP only when a finding's
//               top frame in the case's code is on a line the variant marks (results.json
//               line_level.hit); computed only for detectors whose findings carry locations
//               in case code at all, null for the others (an invariant check has no stack);
//   skipped verdicts do not count; error verdicts are counted apart, not scored;
//   support: the share of the run's pairs whose broken variant the detector ran on;
//   median seconds per trial, and peak resident memory relative to the plain build (the
//   median over variants of this detector's peak / the invariant detector's peak, which runs
//   the same variant uninstrumented), when the run measured both.
// A run over more than one corpus (the catalog, each --programs folder, each
// CASEBOOK_EXTRA_CASES folder: a verdict's file_base) also gets "corpora": the same scorecard
// for each corpus alone, named by its folder ("catalog" for the catalog's own cases).
#pragma once

#include <nlohmann/json.hpp>

#include "results/results_model.hpp"

namespace casebook::reports {

// results.json's "scorecard" (results/scorecard_model.hpp) for doc's verdicts, detectors in
// order of first appearance.
results::Scorecard scorecard_of(const results::Results& doc);

}  // namespace casebook::reports
