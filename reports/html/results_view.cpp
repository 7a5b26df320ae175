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

const Json* member(const Json& object, std::string_view key) {
  if (!object.is_object()) return nullptr;
  const auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

}  // namespace

std::string str(const Json& object, std::string_view key, std::string_view fallback) {
  const Json* v = member(object, key);
  return v != nullptr && v->is_string() ? v->get<std::string>() : std::string(fallback);
}

double number(const Json& object, std::string_view key, double fallback) {
  const Json* v = member(object, key);
  return v != nullptr && v->is_number() ? v->get<double>() : fallback;
}

long integer(const Json& object, std::string_view key, long fallback) {
  const Json* v = member(object, key);
  return v != nullptr && v->is_number() ? v->get<long>() : fallback;
}

const Json* CaseView::find(std::string_view variant, std::string_view detector) const {
  for (const Json* v : verdicts) {
    if (str(*v, "variant") == variant && str(*v, "detector") == detector) return v;
  }
  return nullptr;
}

const std::string* CaseView::file_text(std::string_view file) const {
  if (files == nullptr) return nullptr;
  const Json* text = member(*files, file);
  return text != nullptr && text->is_string() ? text->get_ptr<const std::string*>() : nullptr;
}

std::optional<std::string> CaseView::own_file(const Json& located) const {
  const std::string file = str(located, "file");
  const std::string prefix = folder + "/";
  if (str(located, "base") != folder_base || !file.starts_with(prefix)) return std::nullopt;
  return file.substr(prefix.size());
}

bool ResultsView::ours(const Json& frame) const {
  const std::string file = str(frame, "file");
  if (str(frame, "base").empty() && (file.starts_with("harness/") || file.starts_with("cases/"))) {
    return true;
  }
  return std::any_of(cases.begin(), cases.end(),
                     [&](const CaseView& c) { return c.own_file(frame).has_value(); });
}

ResultsView view_results(const Json& results) {
  for (const char* field : {"schema_version", "summary", "verdicts"}) {
    if (!results.is_object() || !results.contains(field)) {
      throw std::invalid_argument(std::string("not a casebook results file: no '") + field + "'");
    }
  }
  if (!results["verdicts"].is_array()) {
    throw std::invalid_argument("not a casebook results file: 'verdicts' is not an array");
  }
  ResultsView view;
  view.results = &results;

  std::map<std::string, CaseView> by_name;
  std::vector<std::string> detectors;
  for (const Json& v : results["verdicts"]) {
    const std::string name = str(v, "case");
    if (name.empty())
      throw std::invalid_argument("not a casebook results file: a verdict has no 'case'");
    CaseView& c = by_name[name];
    c.name = name;
    if (c.category.empty()) c.category = str(v, "category");
    if (const std::string base = str(v, "file_base"); !base.empty() && c.folder_base.empty()) {
      // A case from outside the catalog: its folder under its own root, not cases/<name>.
      const std::string file = str(v, "file");
      c.folder_base = base;
      c.folder = file.substr(0, std::min(file.size(), file.rfind('/')));
    }
    const std::string variant = str(v, "variant");
    std::string& title = variant == "fixed" ? c.fixed_title : c.broken_title;
    if (title.empty()) title = str(v, "title");
    c.verdicts.push_back(&v);
    if (str(v, "verdict") == "skipped") {
      ++c.skipped;
    } else if (v.value("passed", false)) {
      ++c.passed;
    } else {
      ++c.failed;
    }
    const std::string detector = str(v, "detector");
    if (std::find(detectors.begin(), detectors.end(), detector) == detectors.end()) {
      detectors.push_back(detector);
    }
  }
  // A case the run covered but that produced no verdict (filtered detectors) still gets its
  // text shown; its folder and category come from the "cases" object.
  if (const Json* cases = member(results, "cases"); cases != nullptr && cases->is_object()) {
    for (const auto& [name, entry] : cases->items()) {
      CaseView& c = by_name[name];
      c.name = name;
      if (c.category.empty()) c.category = str(entry, "category");
      c.folder = str(entry, "folder");
      c.folder_base = str(entry, "folder_base");
      if (const Json* files = member(entry, "files"); files != nullptr && files->is_object()) {
        c.files = files;
      }
    }
  }
  for (auto& [name, c] : by_name) {
    if (c.folder.empty()) c.folder = "cases/" + name;
    if (c.category.empty()) c.category = "uncategorised";
    view.cases.push_back(std::move(c));
  }
  std::stable_sort(view.cases.begin(), view.cases.end(), [](const CaseView& a, const CaseView& b) {
    const auto& order = casebook::results::category_order();
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
  // The run's own order (results/results_model.hpp), read from the document as it is.
  std::vector<std::string> run_detectors;
  if (const Json* run = member(results, "run")) {
    if (const Json* listed = member(*run, "detectors"); listed != nullptr && listed->is_array()) {
      for (const Json& d : *listed) {
        if (d.is_string()) run_detectors.push_back(d.get<std::string>());
      }
    }
  }
  view.detectors = casebook::results::detector_order(run_detectors, detectors);
  return view;
}

Rate manifestation(const Json& verdict) {
  Rate rate;
  const Json* trials = member(verdict, "trials");
  if (trials == nullptr || !trials->is_array()) return rate;
  std::vector<std::string> kinds;
  if (const Json* expected = member(verdict, "expected"); expected != nullptr) {
    if (const Json* k = member(*expected, "kinds"); k != nullptr && k->is_array()) {
      for (const Json& kind : *k) {
        if (kind.is_string()) kinds.push_back(kind.get<std::string>());
      }
    }
  }
  for (const Json& trial : *trials) {
    ++rate.trials;
    const Json* findings = member(trial, "findings");
    if (findings == nullptr || !findings->is_array()) continue;
    const bool hit = std::any_of(findings->begin(), findings->end(), [&](const Json& f) {
      // "*": any kind (a labelled positive program; catalog/catalog.hpp's lists_kind).
      return kinds.empty() ||
             std::find(kinds.begin(), kinds.end(), str(f, "kind")) != kinds.end() ||
             std::find(kinds.begin(), kinds.end(), "*") != kinds.end();
    });
    if (hit) ++rate.hits;
  }
  return rate;
}

bool CaseView::single_program() const {
  return std::any_of(verdicts.begin(), verdicts.end(),
                     [](const Json* v) { return str(*v, "variant") == "program"; });
}

const Json* deciding_trial(const Json& verdict) {
  const Json* trials = member(verdict, "trials");
  if (trials == nullptr || !trials->is_array() || trials->empty()) return nullptr;
  const long decided = integer(verdict, "deciding_trial", -1);
  if (decided >= 0 && static_cast<std::size_t>(decided) < trials->size()) {
    return &(*trials)[static_cast<std::size_t>(decided)];
  }
  for (const Json& trial : *trials) {
    const Json* findings = member(trial, "findings");
    if (findings != nullptr && findings->is_array() && !findings->empty()) return &trial;
  }
  return &trials->back();
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
