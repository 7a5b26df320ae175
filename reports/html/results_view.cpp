// results_view.cpp - indexing results.json for the HTML report (see results_view.hpp).
#include "results_view.hpp"

#include <algorithm>
#include <map>
#include <stdexcept>

#include "results/results_model.hpp"

namespace casebook::reports::html {
namespace {

std::size_t rank_in(const std::vector<std::string>& order, std::string_view name) {
  const auto it = std::find(order.begin(), order.end(), name);
  return static_cast<std::size_t>(it - order.begin());  // size() for names not in the list
}

}  // namespace

const model::Verdict* CaseView::find(std::string_view variant, std::string_view detector) const {
  for (const model::Verdict* v : verdicts) {
    if (v->variant == variant && v->detector == detector) return v;
  }
  return nullptr;
}

const std::string* CaseView::file_text(std::string_view file) const {
  if (files == nullptr) return nullptr;
  const auto it = files->find(std::string(file));
  return it == files->end() ? nullptr : &it->second;
}

std::optional<std::string> CaseView::own_file(const std::string& file,
                                              const std::string& base) const {
  const std::string prefix = folder + "/";
  if (base != folder_base || !file.starts_with(prefix)) return std::nullopt;
  return file.substr(prefix.size());
}

bool ResultsView::ours(const model::Frame& frame) const {
  if (frame.base.empty() &&
      (frame.file.starts_with("harness/") || frame.file.starts_with("cases/"))) {
    return true;
  }
  return std::any_of(cases.begin(), cases.end(), [&](const CaseView& c) {
    return c.own_file(frame.file, frame.base).has_value();
  });
}

ResultsView view_results(const model::Results& results) {
  ResultsView view;
  view.results = &results;

  std::map<std::string, CaseView> by_name;
  for (const model::Verdict& v : results.verdicts) {
    CaseView& c = by_name[v.case_name];
    c.name = v.case_name;
    if (c.category.empty()) c.category = v.category;
    if (!v.file_base.empty() && c.folder_base.empty()) {
      // A case from outside the catalog: its folder under its own root, not cases/<name>.
      c.folder_base = v.file_base;
      c.folder = v.file.substr(0, std::min(v.file.size(), v.file.rfind('/')));
    }
    std::string& title = v.variant == "fixed" ? c.fixed_title : c.broken_title;
    if (title.empty()) title = v.title;
    c.verdicts.push_back(&v);
    if (v.verdict == "skipped") {
      ++c.skipped;
    } else if (v.passed) {
      ++c.passed;
    } else {
      ++c.failed;
    }
  }
  // A case the run covered but that produced no verdict (filtered detectors) still gets its
  // text shown; its folder and category come from the "cases" object.
  for (const auto& [name, text] : results.cases) {
    CaseView& c = by_name[name];
    c.name = name;
    if (c.category.empty()) c.category = text.category;
    c.folder = text.folder;
    c.folder_base = text.folder_base;
    c.files = &text.files;
  }
  for (auto& [name, c] : by_name) {
    if (c.folder.empty()) c.folder = "cases/" + name;
    if (c.category.empty()) c.category = "uncategorised";
    view.cases.push_back(std::move(c));
  }
  std::stable_sort(view.cases.begin(), view.cases.end(), [](const CaseView& a, const CaseView& b) {
    const auto& order = model::category_order();
    const auto ra = rank_in(order, a.category), rb = rank_in(order, b.category);
    if (ra != rb) return ra < rb;
    return a.category != b.category ? a.category < b.category : a.name < b.name;
  });
  for (const CaseView& c : view.cases) {
    if (std::find(view.categories.begin(), view.categories.end(), c.category) ==
        view.categories.end()) {
      view.categories.push_back(c.category);
    }
  }
  view.detectors = model::detector_order(results);
  return view;
}

Rate manifestation(const model::Verdict& verdict) {
  const std::optional<model::Manifestation> m = model::manifestation_of(verdict);
  return m ? Rate{m->hits, m->trials} : Rate{0, static_cast<int>(verdict.trials.size())};
}

bool CaseView::single_program() const {
  return std::any_of(verdicts.begin(), verdicts.end(),
                     [](const model::Verdict* v) { return v->variant == "program"; });
}

const model::Trial* deciding_trial(const model::Verdict& verdict) {
  const auto& trials = verdict.trials;
  if (trials.empty()) return nullptr;
  if (verdict.deciding_trial >= 0 &&
      static_cast<std::size_t>(verdict.deciding_trial) < trials.size()) {
    return &trials[static_cast<std::size_t>(verdict.deciding_trial)];
  }
  for (const model::Trial& trial : trials) {
    if (!trial.findings.empty()) return &trial;
  }
  return &trials.back();
}

int verdict_rank(std::string_view verdict) {
  if (verdict == "missed" || verdict == "false-positive") return 0;
  if (verdict == "error") return 1;
  if (verdict == "detected") return 2;
  if (verdict == "clean") return 3;
  if (verdict == "skipped") return 4;
  return 5;
}

}  // namespace casebook::reports::html
