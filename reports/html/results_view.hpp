// results_view.hpp - the HTML report's read-only index over one results document.
//
// The sections of the page all need the same questions answered (which cases, in which order,
// which detectors, the verdict of (case, variant, detector), whether a frame is in our
// sources), so they are answered once here. The view holds pointers into the typed document
// (results/results_model.hpp): it must not outlive it. Every field is typed there, so nothing
// here asks a value whether it is there.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "results/manifestation.hpp"
#include "results/results_model.hpp"

namespace casebook::reports::html {

using Json = nlohmann::json;
namespace model = casebook::results;

struct CaseView {
  std::string name;
  std::string category;
  std::string folder;       // repo-relative, "cases/<name>" unless results say else
  std::string folder_base;  // the base id folder is relative to: "" for the repository,
                            // a CASEBOOK_EXTRA_CASES folder's for a case from outside
  // results.cases[name].files, when the results carry the case's text.
  const std::map<std::string, std::string>* files = nullptr;
  std::string broken_title;  // the variants' one-line titles, from their verdicts
  std::string fixed_title;
  std::vector<const model::Verdict*> verdicts;  // this case's verdicts, in results order
  int passed = 0, failed = 0, skipped = 0;

  // The verdict for (variant, detector), or nullptr when the run has none.
  const model::Verdict* find(std::string_view variant, std::string_view detector) const;
  // Whether this is a standalone program that is not half of a pair: its one variant is
  // "program", shown where a pair's broken variant would be.
  bool single_program() const;
  // The text of one file of the case folder ("broken.cpp"), or nullptr.
  const std::string* file_text(std::string_view file) const;
  // The name in the case's folder ("broken.cpp") of a path relative to `base` (a frame's or a
  // model step's file; base "" is the repository), or nullopt when it is elsewhere.
  std::optional<std::string> own_file(const std::string& file, const std::string& base) const;
};

struct ResultsView {
  const model::Results* results = nullptr;
  std::vector<std::string> detectors;   // the run's order, then others by name
                                        // (results::detector_order)
  std::vector<std::string> categories;  // present, in the catalog's order
  std::vector<CaseView> cases;          // by category, then by name

  // Whether a frame's file is in our sources (a case folder or the harness), so worth showing
  // when library frames are folded away.
  bool ours(const model::Frame& frame) const;
};

// Indexes a results document.
ResultsView view_results(const model::Results& results);

// How often a verdict's finding showed up (results/manifestation.hpp: trials whose findings
// include one of the expected kinds, any finding when the verdict expects none), out of the
// trials run: the file's own manifestation, or measured by the same rule.
struct Rate {
  int hits = 0;
  int trials = 0;
};
Rate manifestation(const model::Verdict& verdict);

// The trial that decided a verdict (its deciding_trial), else the first trial with a finding,
// else the last trial; nullptr when no trial ran.
const model::Trial* deciding_trial(const model::Verdict& verdict);

// Sort rank of a verdict for the matrix: failures first, then errors, then the rest.
int verdict_rank(std::string_view verdict);

}  // namespace casebook::reports::html
