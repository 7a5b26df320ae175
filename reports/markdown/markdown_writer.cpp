#include "markdown/markdown_writer.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <stdexcept>
#include <vector>

#include "writing/suppressions.hpp"
#include "writing/text.hpp"
#include "writing/verdict_words.hpp"

namespace casebook::reports {

namespace {

using nlohmann::json;

constexpr std::size_t kMaxFailuresListed = 50;

// One line of table-safe text: no newlines, no pipes that would split the cell.
std::string cell_text(std::string_view text) {
  std::string out;
  for (char c : strip_ansi(text)) {
    if (c == '\n' || c == '\r') {
      out += ' ';
    } else if (c == '|') {
      out += "\\|";
    } else {
      out += c;
    }
  }
  return out;
}

bool is_may_find(const results::Verdict& v) {
  return v.expected.verdict == "may-find";
}

std::string short_verdict(const results::Verdict& v) {
  const std::string verdict = shown_verdict(v);
  if (!v.passed) return "**❌ " + verdict + "**";
  if (verdict == "skipped") return "–";
  if (is_may_find(v) && v.manifestation) {
    // A chance symptom: both verdicts pass, so what the cell owes the reader is the rate.
    return fmt::format("may find {}/{}", v.manifestation->hits, v.manifestation->trials);
  }
  return verdict;
}

std::string fraction(const std::optional<double>& value) {
  return value ? fmt::format("{:.3f}", *value) : std::string("–");
}

std::string score_cells(const std::optional<results::Score>& score) {
  if (!score) return " does not locate | | |";
  return fmt::format(" {}/{}/{}/{} | {} | {} |", score->tp, score->fp, score->tn, score->fn,
                     fraction(score->precision), fraction(score->recall));
}

// One scorecard's table (the run's, or one of its corpora's).
std::string detector_table(const std::vector<results::DetectorScore>& rows, int pairs_of_run) {
  // Race-pair columns only where some detector's races named two accesses (a corpus with
  // labelled race pairs, or cases marking both lines of a race).
  const bool pairs = std::any_of(rows.begin(), rows.end(),
                                 [](const results::DetectorScore& row) { return row.pair_level; });
  std::string md =
      "| detector | pairs (support) | file TP/FP/TN/FN | precision | recall | line TP/FP/TN/FN | "
      "precision | recall |" +
      std::string(pairs ? " race pair TP/FP/TN/FN | precision | recall |" : "") +
      " median s/trial | memory vs plain |\n"
      "|---|---|---|---|---|---|---|---|" +
      std::string(pairs ? "---|---|---|" : "") + "---|---|\n";
  for (const results::DetectorScore& row : rows) {
    md += fmt::format(
        "| {} | {} of {} |{}{}{} {} | {} |\n", row.detector, row.pairs_applicable, pairs_of_run,
        score_cells(row.file_level), score_cells(row.line_level),
        pairs ? score_cells(row.pair_level) : std::string(),
        row.median_trial_seconds ? fmt::format("{:.2f}", *row.median_trial_seconds) : "–",
        row.peak_memory_vs_plain ? fmt::format("{:.1f}×", *row.peak_memory_vs_plain) : "–");
  }
  return md;
}

// The scorecard (reports/scorecard/scorecard.hpp) as a table, and one per corpus when the run
// held several; "" when the run has none.
std::string scorecard_table(const results::Results& results) {
  if (!results.scorecard || results.scorecard->detectors.empty()) return "";
  const results::Scorecard& card = *results.scorecard;
  std::string md = "### Detector scorecard\n\n" + detector_table(card.detectors, card.pairs);
  for (const results::CorpusScorecard& corpus : card.corpora) {
    if (corpus.detectors.empty()) continue;
    md += fmt::format("\n#### Corpus {}\n\n", corpus.corpus) +
          detector_table(corpus.detectors, corpus.pairs);
  }
  const bool any_may_find =
      std::any_of(card.detectors.begin(), card.detectors.end(),
                  [](const results::DetectorScore& row) { return row.may_find_pairs > 0; });
  bool any_program = false;
  for (const auto& v : results.verdicts) any_program = any_program || v.positive.has_value();
  return md + "\nBroken variants are positives, fixed ones negatives" +
         (any_program ? " (a standalone program: as labelled or declared)" : "") +
         "; a variant is flagged when any trial reported anything" +
         (any_may_find ? ", so a may-find pair that showed nothing counts as a miss although it "
                         "passed"
                       : "") +
         ". Line level: a finding's top frame in the case's code is on a `casebook-bug` line.\n";
}

// The command that replays a verdict's exact failing input, where its detector records one:
// the property runner's shrunk counterexample, the model checker's failing schedule (in the
// deciding trial's outcome), as a labelled shell block; "" when there is none.
std::string replay_block(const results::Verdict& v) {
  const auto block = [](const char* label, const std::string& command) {
    return fmt::format("  {}:\n  ```sh\n  {}\n  ```\n", label, command);
  };
  const std::string counterexample =
      v.property ? v.property->replay_command.value_or("") : std::string();
  if (!counterexample.empty()) return block("replay the counterexample", counterexample);
  if (v.deciding_trial < 0 || static_cast<std::size_t>(v.deciding_trial) >= v.trials.size()) {
    return "";
  }
  const std::optional<results::Outcome>& outcome =
      v.trials[static_cast<std::size_t>(v.deciding_trial)].outcome;
  if (!outcome || !outcome->model) return "";
  const std::string command = outcome->model->replay_command.value_or("");
  return command.empty() ? "" : block("replay the failing schedule", command);
}

// For a run with --repeat (or shards of one, merged): how many trials ran, and every pair
// whose trials did not all agree, the flakiness a repeat run is for: a broken variant's finding
// missing from some trials, a clean expectation reported in any. "" for a run without --repeat
// (where a broken variant's extra deflake trials say nothing about rates).
std::string repeat_section(const std::vector<results::Verdict>& verdicts, const results::Run& run) {
  if (run.repeat <= 1) return "";
  long trials = 0, most = 0, graded = 0, broken_pairs = 0, clean_pairs = 0, clean_trials = 0;
  std::vector<std::pair<double, std::string>> uneven;  // (rate, row): lowest rate first
  std::vector<std::string> reported, chance;
  for (const auto& v : verdicts) {
    if (!v.manifestation) continue;
    const results::Manifestation& m = *v.manifestation;
    const long n = m.trials, hits = m.hits;
    if (n == 0) continue;
    ++graded;
    trials += n;
    most = std::max(most, n);
    const std::string pair = fmt::format("{}/{}", v.case_name, v.variant);
    const std::string& detector = v.detector;
    if (is_may_find(v)) {
      chance.push_back(fmt::format("| {} | {} | {} of {} ({:.0f}%) | {:.0f}-{:.0f}% |\n", pair,
                                   detector, hits, n, 100 * m.rate, 100 * m.ci_low,
                                   100 * m.ci_high));
      continue;
    }
    if (v.expected.verdict == "detected") {
      ++broken_pairs;
      if (hits < n) {
        uneven.emplace_back(
            m.rate, fmt::format("| {} | {} | {} of {} ({:.0f}%) | {:.0f}-{:.0f}% |\n", pair,
                                detector, hits, n, 100 * m.rate, 100 * m.ci_low, 100 * m.ci_high));
      }
    } else {
      ++clean_pairs;
      clean_trials += n;
      if (hits > 0) {
        reported.push_back(fmt::format("- {} `{}`: {} of {} trials reported something\n", pair,
                                       detector, hits, n));
      }
    }
  }
  // How the trials shared the machine, where the file says (older files do not).
  std::string sharing;
  if (run.trials_alone) {
    sharing = *run.trials_alone
                  ? "Pairs ran one at a time, so each rate is the variant's own. "
                  : fmt::format(
                        "Pairs ran {} at a time (--share-machine), so a rate may be bent "
                        "by the trials that ran beside it. ",
                        run.jobs);
  }
  std::string md = fmt::format(
      "### Repeated trials\n\n{}{} trials over {} graded pairs (up to {} a pair). The declared "
      "finding appeared in every trial of {} of the {} pairs that expect one",
      sharing, trials, graded, most, broken_pairs - static_cast<long>(uneven.size()), broken_pairs);
  if (uneven.empty()) {
    md += ".\n\n";
  } else {
    md +=
        "; in the others, in the share of trials below (a pair is detected if one trial shows "
        "it).\n\n| pair | detector | trials that showed it | 95% interval |\n|---|---|---|---|\n";
    std::stable_sort(uneven.begin(), uneven.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    for (const auto& row : uneven) md += row.second;
    md += "\n";
  }
  if (!chance.empty()) {
    md += fmt::format(
        "{} pairs declare a finding that shows by chance (may find), seen in:\n\n"
        "| pair | detector | trials that showed it | 95% interval |\n|---|---|---|---|\n",
        chance.size());
    for (const auto& row : chance) md += row;
    md += "\n";
  }
  md += fmt::format("{} pairs expected nothing: {} trials, ", clean_pairs, clean_trials);
  if (reported.empty()) return md + "none of which reported anything.\n";
  md += fmt::format("and {} pairs reported something in some trial:\n\n", reported.size());
  for (const auto& line : reported) md += line;
  return md;
}

// Which suppressions fired in the run (Valgrind's tools), one line per suppression: how many
// reports it silenced and in which pairs (the first few). Per suppression, not per pair:
// Valgrind's own default.supp fires in nearly every Valgrind trial, and a line per pair would
// bury the summary; the HTML report has the line per verdict. "" when nothing was suppressed.
std::string suppressed_section(const std::vector<results::Verdict>& verdicts) {
  constexpr std::size_t kPairsNamed = 4;
  struct Fired {
    long count = 0;
    std::vector<std::string> pairs;
  };
  std::map<std::string, Fired> fired;
  for (const auto& v : verdicts) {
    for (const auto& [name, count] : suppressed_in(v)) {
      Fired& f = fired[name];
      f.count += count;
      f.pairs.push_back(fmt::format("{}/{} `{}`", v.case_name, v.variant, v.detector));
    }
  }
  if (fired.empty()) return "";
  std::vector<std::pair<std::string, Fired>> rows(fired.begin(), fired.end());
  std::stable_sort(rows.begin(), rows.end(),
                   [](const auto& a, const auto& b) { return a.second.count > b.second.count; });
  std::string md =
      "### Suppressed reports\n\nReports a tool found and did not show because a suppression "
      "matched (casebook's own are in `harness/valgrind/casebook.supp`):\n\n";
  for (const auto& [name, f] : rows) {
    std::string where;
    for (std::size_t i = 0; i < f.pairs.size() && i < kPairsNamed; ++i) {
      where += (i == 0 ? "" : ", ") + f.pairs[i];
    }
    if (f.pairs.size() > kPairsNamed) {
      where += fmt::format(" and {} more", f.pairs.size() - kPairsNamed);
    }
    md += fmt::format("- `{}`: {}x in {} pair{}: {}\n", cell_text(name), f.count, f.pairs.size(),
                      f.pairs.size() == 1 ? "" : "s", cell_text(where));
  }
  return md;
}

}  // namespace

std::string markdown_from_results(const results::Results& results) {
  const std::vector<results::Verdict>& verdicts = results.verdicts;
  const results::Environment& env = results.environment;
  const results::Run& run = results.run;

  std::string md =
      fmt::format("## casebook: {} passed, {} failed, {} skipped\n\n", results.summary.passed,
                  results.summary.failed, results.summary.skipped);
  std::string commit = fmt::format("`{}`", env.git_commit);
  if (const auto built = results::build_provenance(env)) {
    commit += fmt::format(" (binaries built{}{})",
                          built->commit.empty() ? "" : fmt::format(" from `{}`", built->commit),
                          built->dirty ? " with uncommitted changes" : "");
  }
  md += fmt::format("{} {} · {} CPUs · commit {} · seed {} · {:.1f} s", env.compiler_id,
                    env.compiler_version, env.cpu_count, commit, run.seed, run.duration_seconds);
  if (results.merged_from.size() > 1) {
    // The duration above is the inputs' together; the longest is the wall time of shards
    // that ran side by side.
    double longest = 0;
    for (const auto& input : results.merged_from) {
      longest = std::max(longest, input.duration_seconds);
    }
    md += fmt::format(" in all · merged from {} files, the longest run {:.1f} s",
                      results.merged_from.size(), longest);
  }
  md += "\n\n";
  if (results.interrupted) {
    md +=
        "**Interrupted:** the run was stopped by a signal; only the pairs that finished are "
        "below.\n\n";
  }

  // Failed expectations first: that is what a CI reader came for.
  std::vector<const results::Verdict*> failures;
  for (const auto& v : verdicts) {
    if (!v.passed) failures.push_back(&v);
  }
  if (!failures.empty()) {
    md += "### Failed expectations\n\n";
    for (std::size_t i = 0; i < failures.size() && i < kMaxFailuresListed; ++i) {
      const results::Verdict& v = *failures[i];
      md += fmt::format("- **{}/{}** `{}`: {}. {}\n", v.case_name, v.variant, v.detector,
                        verdict_with_expectation(v), cell_text(v.reason));
      if (!v.repro.empty()) md += fmt::format("  ```sh\n  {}\n  ```\n", v.repro);
      md += replay_block(v);
    }
    if (failures.size() > kMaxFailuresListed) {
      md += fmt::format("- ... and {} more: see results.json\n",
                        failures.size() - kMaxFailuresListed);
    }
    md += "\n";
  }

  // The matrix: case -> detector -> variant -> verdict.
  std::map<std::string, std::map<std::string, std::map<std::string, const results::Verdict*>>>
      matrix;
  std::map<std::string, std::string> category;
  for (const auto& v : verdicts) {
    matrix[v.case_name][v.detector][v.variant] = &v;
    category[v.case_name] = v.category;
  }
  const std::vector<std::string> detectors = results::detector_order(results);

  md += "### Detection matrix (broken · fixed)\n\n| case | category |";
  for (const auto& d : detectors) md += " " + d + " |";
  md += "\n|---|---|";
  for (std::size_t i = 0; i < detectors.size(); ++i) md += "---|";
  md += "\n";
  for (const auto& [c, by_detector] : matrix) {
    md += fmt::format("| {} | {} |", c, category[c]);
    for (const auto& d : detectors) {
      const auto it = by_detector.find(d);
      if (it == by_detector.end()) {
        md += " |";
        continue;
      }
      auto part = [&](const char* variant) {
        const auto v = it->second.find(variant);
        return v == it->second.end() ? std::string(" ") : short_verdict(*v->second);
      };
      // A standalone program that is not half of a pair has one variant, "program".
      if (it->second.count("program") != 0) {
        md += fmt::format(" {} |", part("program"));
        continue;
      }
      md += fmt::format(" {} · {} |", part("broken"), part("fixed"));
    }
    md += "\n";
  }
  md += "\n– skipped (with a declared reason); blank: the detector does not apply";
  if (std::any_of(verdicts.begin(), verdicts.end(), is_may_find)) {
    md +=
        "; may find k/n: a finding the variant declares as a chance symptom, seen in k of n "
        "trials (a pass either way)";
  }
  md += ".\n";
  const std::string suppressed = suppressed_section(verdicts);
  if (!suppressed.empty()) md += "\n" + suppressed;
  const std::string repeats = repeat_section(verdicts, run);
  if (!repeats.empty()) md += "\n" + repeats;
  const std::string scorecard = scorecard_table(results);
  if (!scorecard.empty()) md += "\n" + scorecard;
  return md;
}

}  // namespace casebook::reports
