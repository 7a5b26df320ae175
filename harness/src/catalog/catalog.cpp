#include "catalog/catalog.hpp"

#include <fmt/format.h>
#include <fnmatch.h>

#include <algorithm>
#include <chrono>
#include <set>
#include <sstream>

#include "common/errors.hpp"
#include "process/process.hpp"
#include "protocol/host_protocol_reader.hpp"
#include "results/results_model.hpp"

namespace casebook {

using nlohmann::json;

const std::vector<std::string>& known_categories() {
  return results::category_order();  // the reports list them in the same order
}

bool VariantDecl::has_bug() const {
  if (!program) return variant == "broken";
  if (!program->labelled_by.empty()) return program->positive;
  return std::any_of(expectations.begin(), expectations.end(), [](const Expectation& e) {
    return e.want == Want::finds || e.want == Want::may_find;
  });
}

bool lists_kind(const std::vector<std::string>& kinds, std::string_view kind) {
  return std::any_of(kinds.begin(), kinds.end(),
                     [&](const std::string& k) { return k == kind || k == "*"; });
}

bool VariantDecl::declares_hang() const {
  return std::any_of(expectations.begin(), expectations.end(), [](const Expectation& e) {
    return (e.want == Want::finds || e.want == Want::may_find) &&
           std::find(e.kinds.begin(), e.kinds.end(), "hang") != e.kinds.end();
  });
}

Expectation VariantDecl::expectation_for(const std::string& detector,
                                         std::string_view inherited_from) const {
  for (const auto& e : expectations) {
    if (e.detector == detector) return e;
  }
  if (!inherited_from.empty()) {
    Expectation inherited = expectation_for(std::string(inherited_from));
    inherited.detector = detector;
    return inherited;
  }
  Expectation implicit;
  implicit.detector = detector;
  implicit.want = Want::clean;
  return implicit;
}

namespace {

[[noreturn]] void bad_declaration(const std::string& where, const std::string& what) {
  throw UsageError("case declaration " + where + ": " + what);
}

Params params_of(const protocol::ListedParams& p) {
  Params out;
  out.threads = p.threads;
  out.iterations = p.iterations;
  out.seed = p.seed;
  out.extra = p.extra;
  return out;
}

VariantDecl parse_variant(const protocol::ListedVariant& j, const std::vector<std::string>& known) {
  VariantDecl v;
  v.case_name = j.case_name;
  v.variant = j.variant;
  const std::string where = v.id() + " (" + (j.file.empty() ? std::string("?") : j.file) + ")";
  v.title = j.title;
  v.category = j.category;
  v.file = j.file;
  v.cases_root = j.cases_root;
  v.timeout_seconds = j.timeout_seconds;
  v.memory_limit_mib = j.memory_limit_mib;
  v.max_tasks = j.max_tasks;
  v.fairness_floor = j.fairness_floor;
  v.max_wait_seconds = j.max_wait_seconds;
  v.perf_ratio = j.perf_ratio;
  v.perf_metric = j.perf_metric;
  const std::string& probe = j.compile_probe;
  if (!probe.empty()) {
    if (probe.find('/') != std::string::npos || probe.rfind('.', 0) == 0) {
      bad_declaration(where, ".compile_probe is '" + probe +
                                 "'; name a file in the case's own folder, without a path");
    }
    const auto slash = v.file.rfind('/');
    v.compile_probe = (slash == std::string::npos ? "" : v.file.substr(0, slash + 1)) + probe;
  }
  if (v.fairness_floor < 0 || v.fairness_floor >= 1) {
    bad_declaration(where, ".fairness_floor must be in [0, 1): a fraction of the fair share");
  }
  for (const auto& r : j.vary) {
    ParamRange range{r.name, r.min, r.max};
    if (range.min > range.max) {
      bad_declaration(where, ".vary range '" + range.name + "' has min above max");
    }
    v.vary.push_back(std::move(range));
  }
  v.property_tests = j.property_tests;
  if (v.property_tests < 0) bad_declaration(where, ".property_tests is negative");
  if (v.property_tests == 0) v.property_tests = 100;
  if (v.max_wait_seconds < 0) bad_declaration(where, ".max_wait_seconds is negative");
  if (v.perf_ratio != 0 && v.perf_ratio <= 1) {
    bad_declaration(where, ".perf_ratio must be above 1 (broken at least that many times fixed)");
  }
  if (v.timeout_seconds < 0) bad_declaration(where, ".timeout_seconds is negative");
  if (v.memory_limit_mib < 0) bad_declaration(where, ".memory_limit_mib is negative");
  if (v.max_tasks < 0) bad_declaration(where, ".max_tasks is negative");
  v.defaults = params_of(j.defaults);
  if (j.small) v.small = params_of(*j.small);
  if (v.title.empty()) bad_declaration(where, ".title is empty: say in one line what it does");
  const auto& categories = known_categories();
  if (std::find(categories.begin(), categories.end(), v.category) == categories.end()) {
    bad_declaration(where, ".category is '" + v.category + "'; use one of " +
                               fmt::format("{}", fmt::join(categories, ", ")));
  }

  std::set<std::string> seen;
  for (const auto& e : j.expectations) {
    Expectation x;
    x.declared = true;
    x.detector = e.detector;
    const Want want = e.want;
    if (std::find(known.begin(), known.end(), x.detector) == known.end()) {
      bad_declaration(where, "unknown detector '" + x.detector +
                                 "'; known: " + fmt::format("{}", fmt::join(known, ", ")));
    }
    const bool second = !seen.insert(x.detector).second;
    x.kinds = e.kinds;
    x.reason = e.reason;
    x.want = want;
    switch (want) {
      case Want::finds:
        if (x.kinds.empty()) bad_declaration(where, "finds(\"" + x.detector + "\") lists no kinds");
        break;
      case Want::clean:
        break;
      case Want::skip:
        if (x.reason.empty()) {
          bad_declaration(where, "skip(\"" + x.detector + "\") needs a reason saying why");
        }
        break;
      case Want::false_positive:
        if (x.kinds.empty() || x.reason.empty()) {
          bad_declaration(where, "false_positive(\"" + x.detector +
                                     "\") needs the kinds the tool reports and a reason saying "
                                     "why they are wrong");
        }
        break;
      case Want::may_find:
        if (x.kinds.empty() || x.reason.empty()) {
          bad_declaration(where, "may_find(\"" + x.detector +
                                     "\") needs the kinds the detector may report and a reason "
                                     "saying why they show only sometimes");
        }
        // A standalone program labelled positive is broken whatever its file is called.
        if (v.variant != "broken" && v.category != "program") {
          bad_declaration(
              where, "may_find(\"" + x.detector + "\") is for a broken variant; on a " + v.variant +
                         " variant a report the tool makes sometimes is a known false "
                         "positive: declare cb::expect::false_positive with the reason");
        }
        break;
    }
    if (!second) {
      v.expectations.push_back(std::move(x));
      continue;
    }
    // A detector's second declaration: only a may_find and a false_positive pair up (a chance
    // race beside the tool's constant false positive), merged into the may_find.
    auto first = std::find_if(v.expectations.begin(), v.expectations.end(),
                              [&](const Expectation& y) { return y.detector == x.detector; });
    Expectation* chance = first->want == Want::may_find ? &*first : &x;
    const Expectation* wrong = first->want == Want::may_find ? &x : &*first;
    if (chance->want != Want::may_find || wrong->want != Want::false_positive ||
        !first->false_positive_kinds.empty()) {
      bad_declaration(where, "detector '" + x.detector +
                                 "' is declared twice; only a may_find and a false_positive may "
                                 "share a detector");
    }
    chance->false_positive_kinds = wrong->kinds;
    chance->false_positive_reason = wrong->reason;
    if (chance == &x) *first = std::move(x);
  }
  return v;
}

}  // namespace

Catalog parse_catalog(const json& listing, const std::vector<std::string>& known_detectors) {
  if (!listing.is_array()) throw InfraError("case listing is not a JSON array");
  Catalog c;
  std::set<std::string> ids;
  for (std::size_t i = 0; i < listing.size(); ++i) {
    const json& j = listing[i];
    protocol::ListedVariant listed;
    try {
      listed = protocol::read_listed_variant(j, "listing[" + std::to_string(i) + "]");
    } catch (const FieldError& e) {
      throw UsageError("case listing entry " + j.dump().substr(0, 120) +
                       " is malformed: " + e.what());
    }
    c.variants.push_back(parse_variant(listed, known_detectors));
    if (!ids.insert(c.variants.back().id()).second) {
      throw UsageError("variant " + c.variants.back().id() + " is registered twice");
    }
  }
  std::map<std::string, const VariantDecl*> first_of_case;
  for (const auto& v : c.variants) {
    auto [it, fresh] = first_of_case.emplace(v.case_name, &v);
    if (!fresh && it->second->category != v.category) {
      throw UsageError("case " + v.case_name + ": its variants disagree on .category ('" +
                       it->second->category + "' vs '" + v.category + "'); give both the same");
    }
  }
  std::sort(c.variants.begin(), c.variants.end(), [](const auto& a, const auto& b) {
    return std::tie(a.case_name, a.variant) < std::tie(b.case_name, b.variant);
  });
  // Base ids over the whole catalog, in case order, so every filter and shard of one build
  // gives a folder the same id (merged results must agree on it).
  std::map<std::string, std::string> id_of_folder;
  std::set<std::string> taken;
  for (auto& v : c.variants) {
    if (v.cases_root.empty()) continue;
    auto [it, fresh] = id_of_folder.emplace(v.cases_root, "");
    if (fresh) {
      const std::string id =
          extra_cases_base_id(v.cases_root, v.category == "program" ? "PROGRAMS" : "EXTRA_CASES");
      it->second = id;
      for (int n = 2; !taken.insert(it->second).second; ++n) {
        it->second = id.substr(0, id.size() - 1) + "_" + std::to_string(n) + "%";
      }
    }
    v.file_base = it->second;
  }
  return c;
}

std::string VariantDecl::source_path(const std::string& relative,
                                     const std::string& source_root) const {
  if (!relative.empty() && relative.front() == '/') return relative;
  return (cases_root.empty() ? source_root : cases_root) + "/" + relative;
}

Catalog load_catalog(const std::string& case_binary,
                     const std::vector<std::string>& known_detectors) {
  ProcessSpec spec;
  spec.argv = {case_binary, "list"};
  spec.timeout = std::chrono::seconds(30);
  spec.output_cap = 64 << 20;
  ProcessResult r = run_process(spec);
  if (!r.started || !r.exited || r.exit_code != 0) {
    throw InfraError("cannot list the cases with '" + case_binary + "' (" + describe_status(r) +
                     "): build it first (cmake --build build) or pass --bin-dir. " +
                     r.stderr_text.substr(0, 500));
  }
  json listing;
  try {
    listing = json::parse(r.stdout_text);
  } catch (const json::exception& e) {
    throw InfraError("'" + case_binary + " list' printed invalid JSON: " + e.what());
  }
  return parse_catalog(listing, known_detectors);
}

std::vector<VariantDecl> select_variants(const Catalog& catalog, const std::string& filter) {
  std::vector<std::string> globs;
  std::string glob;
  std::stringstream in(filter);
  while (std::getline(in, glob, ',')) {
    if (!glob.empty()) globs.push_back(glob);
  }
  for (const auto& g : globs) {
    if (g.rfind("category:", 0) == 0) {
      const std::string name = g.substr(9);
      const auto& categories = known_categories();
      if (std::find(categories.begin(), categories.end(), name) == categories.end()) {
        throw UsageError("unknown category '" + name + "' in --filter; use one of " +
                         fmt::format("{}", fmt::join(categories, ", ")));
      }
    }
  }
  auto matches = [&](const VariantDecl& v) {
    if (globs.empty()) return true;
    for (const auto& g : globs) {
      if (g.rfind("category:", 0) == 0) {
        if (g.substr(9) == v.category) return true;
        continue;
      }
      if (fnmatch(g.c_str(), v.id().c_str(), 0) == 0 ||
          fnmatch(g.c_str(), v.case_name.c_str(), 0) == 0) {
        return true;
      }
    }
    return false;
  };
  std::vector<VariantDecl> out;
  for (const auto& v : catalog.variants) {
    if (matches(v)) out.push_back(v);
  }
  if (out.empty()) {
    std::set<std::string> names;
    for (const auto& v : catalog.variants) names.insert(v.case_name);
    throw UsageError("no case matches --filter '" + filter +
                     "'. Cases: " + fmt::format("{}", fmt::join(names, ", ")) +
                     ". A filter is a comma-separated list of globs over <case> or "
                     "<case>/<variant>, or category:NAME; `casebook list` shows them all.");
  }
  return out;
}

}  // namespace casebook
