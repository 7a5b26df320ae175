// `casebook list`: the catalog, with every detector's expectation per variant.
#include <fmt/format.h>

#include <filesystem>
#include <iostream>

#include "catalog/catalog.hpp"
#include "cli/commands.hpp"
#include "cli/declarations.hpp"
#include "cli/variant_sources.hpp"
#include "detectors/detector.hpp"

namespace casebook {

namespace {

std::string describe(const Expectation& e) {
  switch (e.want) {
    case Want::finds: {
      std::string kinds;
      for (const auto& k : e.kinds) kinds += (kinds.empty() ? "" : "|") + k;
      return "finds " + kinds;
    }
    case Want::clean:
      return "clean";
    case Want::skip:
      return "skip (" + e.reason + ")";
    case Want::false_positive: {
      std::string kinds;
      for (const auto& k : e.kinds) kinds += (kinds.empty() ? "" : "|") + k;
      return "known false positive " + kinds + " (" + e.reason + ")";
    }
    case Want::may_find: {
      std::string kinds;
      for (const auto& k : e.kinds) kinds += (kinds.empty() ? "" : "|") + k;
      if (kinds == "*") kinds = "any finding";  // a labelled positive program
      std::string text = "may find " + kinds + " (" + e.reason + ")";
      if (!e.false_positive_kinds.empty()) {
        std::string wrong;
        for (const auto& k : e.false_positive_kinds) wrong += (wrong.empty() ? "" : "|") + k;
        text += "; known false positive " + wrong + " (" + e.false_positive_reason + ")";
      }
      return text;
    }
  }
  return "clean";
}

nlohmann::json vary_json(const std::vector<ParamRange>& ranges) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& r : ranges) out.push_back({{"name", r.name}, {"min", r.min}, {"max", r.max}});
  return out;
}

}  // namespace

int list_command(const ListOptions& o) {
  const auto variants =
      load_variants(o.sources, o.common.bin_dir, o.common.source_root, o.filter).variants;
  check_case_declarations(variants, detector_names(), o.common.source_root, stderr);

  if (o.format == "json") {
    nlohmann::json out = {{"detectors", nlohmann::json::array()},
                          {"variants", nlohmann::json::array()}};
    for (const auto& d : all_detectors()) {
      out["detectors"].push_back({{"name", d->name()},
                                  {"configuration", d->traits().configuration},
                                  {"description", d->traits().description}});
    }
    for (const auto& v : variants) {
      nlohmann::json expectations = nlohmann::json::object();
      for (const auto& d : all_detectors()) {
        if (!d->not_applicable(v).empty()) continue;
        const Expectation e = expectation_of(v, *d);
        nlohmann::json item = {{"want", want_name(e.want)}, {"declared", e.declared}};
        if (!e.kinds.empty()) item["kinds"] = e.kinds;
        if (!e.reason.empty()) item["reason"] = e.reason;
        expectations[std::string(d->name())] = std::move(item);
      }
      out["variants"].push_back({{"case", v.case_name},
                                 {"variant", v.variant},
                                 {"title", v.title},
                                 {"category", v.category},
                                 {"file", v.file},
                                 {"timeout_seconds", v.timeout_seconds},
                                 {"memory_limit_mib", v.memory_limit_mib},
                                 {"max_tasks", v.max_tasks},
                                 {"fairness_floor", v.fairness_floor},
                                 {"max_wait_seconds", v.max_wait_seconds},
                                 {"perf_ratio", v.perf_ratio},
                                 {"perf_metric", v.perf_metric},
                                 {"compile_probe", v.compile_probe},
                                 {"vary", vary_json(v.vary)},
                                 {"defaults",
                                  {{"threads", v.defaults.threads},
                                   {"iterations", v.defaults.iterations},
                                   {"extra", v.defaults.extra}}},
                                 {"expectations", std::move(expectations)}});
      if (v.program) {
        out["variants"].back()["positive"] = v.has_bug();
        out["variants"].back()["labelled_by"] =
            v.program->labelled_by.empty() ? "declarations" : v.program->labelled_by;
      }
    }
    std::cout << out.dump(2) << "\n";
    return 0;
  }

  std::string last_case;
  for (const auto& v : variants) {
    if (v.case_name != last_case) {
      fmt::print("{} [{}]\n", v.case_name, v.category);
      last_case = v.case_name;
    }
    fmt::print("  {:<7} {}\n", v.variant, v.title);
    for (const auto& d : all_detectors()) {
      if (!d->not_applicable(v).empty()) continue;
      fmt::print("          {:<10} {}\n", d->name(), describe(expectation_of(v, *d)));
    }
    // A labelled program's file-level verdict (suite/program_union.hpp).
    if (v.program && !v.program->labelled_by.empty()) {
      fmt::print("          {:<10} {} (labelled by {})\n", "union",
                 v.program->positive ? "finds any finding from some detector" : "clean",
                 v.program->labelled_by == "pair" ? "the broken/fixed pair" : "the label file");
    }
  }
  return 0;
}

}  // namespace casebook
