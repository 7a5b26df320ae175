// bench_summary_fields.cpp - every field of a bench-summary.json checked against what
// reports/schema/bench-summary.schema.json says it is (see bench_summary.hpp).
//
// The page's Benchmarks section draws the summary without checking each value again, so a
// field that is missing or of another type must stop `casebook report` here, with its path
// ("series[2].points[0].speedup: expected a number or null, found \"fast\""), the same way a
// results.json field does (results/json_fields.hpp). The walk follows the schema's layout one
// object at a time; bench_section_test.cpp drops and mistypes every field of a real summary and
// checks that each schema-required one is refused here by its path.
#include <string>
#include <type_traits>

#include "html/bench_summary.hpp"
#include "results/json_fields.hpp"

namespace casebook::reports {

using nlohmann::json;

namespace {

// The checks the schema's $defs and property types make, on one field of `f`.
void number_or_null(const JsonFields& f, const char* key) {
  const json& v = f.any(key);
  if (!v.is_null() && !v.is_number()) {
    JsonFields::fail(f.path(key), "expected a number or null, found " + shown_json(v));
  }
}

void number_at_least(const JsonFields& f, const char* key, double floor) {
  if (f.number(key) < floor) {
    JsonFields::fail(f.path(key), "expected a number of at least " + shown_json(json(floor)) +
                                      ", found " + shown_json(f.any(key)));
  }
}

void seconds(const JsonFields& f, const char* key) {
  number_at_least(f, key, 0);
}

void seconds_or_null(const JsonFields& f, const char* key) {
  if (!f.any(key).is_null()) seconds(f, key);
}

void text_or_null(const JsonFields& f, const char* key) {
  if (!f.any(key).is_null()) f.text(key);
}

void workers(const JsonFields& f, const char* key) {
  if (f.integer(key) < 1) {
    JsonFields::fail(f.path(key),
                     "expected a worker count of 1 or more, found " + shown_json(f.any(key)));
  }
}

void one_of(const JsonFields& f, const char* key, std::initializer_list<const char*> allowed) {
  const std::string v = f.text(key);
  std::string names;
  for (const char* a : allowed) {
    if (v == a) return;
    names += std::string(names.empty() ? "" : " or ") + "\"" + a + "\"";
  }
  JsonFields::fail(f.path(key), "expected " + names + ", found " + shown_json(f.any(key)));
}

// A run's arguments other than its worker count: names to integers or strings.
void size(const JsonFields& f, const char* key) {
  const JsonFields s(f.any(key), f.path(key));
  for (const auto& [name, v] : f.any(key).items()) {
    if (!v.is_number_integer() && !v.is_string()) {
      JsonFields::fail(s.path(name.c_str()),
                       "expected an integer or a string, found " + shown_json(v));
    }
  }
}

// Each element of the array field `key` as an object, given to `check` with its path (and,
// for a check that also walks the keys it does not name, the element itself).
template <class Check>
void each(const JsonFields& f, const char* key, Check check) {
  const json& list = f.array(key);
  for (std::size_t i = 0; i < list.size(); ++i) {
    const JsonFields element(list[i], f.path(key, i));
    if constexpr (std::is_invocable_v<Check, const JsonFields&, const json&>) {
      check(element, list[i]);
    } else {
      check(element);
    }
  }
}

// An optional field: checked when present.
template <class Check>
void if_present(const JsonFields& f, const char* key, Check check) {
  if (f.has(key)) check(f, key);
}

// A sanitizer's (or Python's) factor over the plain C++ run, and the runs' times (seconds,
// under names such as plain_real_time_s).
void factor_row(const JsonFields& r, const json& row) {
  r.text("configuration");
  r.text("name");
  if (r.number("factor") <= 0) {
    JsonFields::fail(r.path("factor"),
                     "expected a number above 0, found " + shown_json(r.any("factor")));
  }
  seconds(r, "real_time_s");
  for (const auto& [name, v] : row.items()) {
    if (name != "configuration" && name != "name" && name != "factor") seconds(r, name.c_str());
  }
}

void source(const JsonFields& s) {
  s.text("file");
  text_list(s, "configurations");
  s.unsigned_integer("runs");
  text_list(s, "notes");
  for (const char* key : {"scale", "date", "library_build_type", "compiler", "python_version"}) {
    if_present(s, key, text_or_null);
  }
  if (s.has("num_cpus") && !s.any("num_cpus").is_null()) s.integer("num_cpus");
  if (s.has("load_avg") && !s.any("load_avg").is_null()) {
    const json& load = s.array("load_avg");
    for (std::size_t i = 0; i < load.size(); ++i) {
      if (!load[i].is_null() && !load[i].is_number()) {
        JsonFields::fail(s.path("load_avg", i),
                         "expected a number or null, found " + shown_json(load[i]));
      }
    }
  }
}

void series(const JsonFields& s) {
  for (const char* key : {"configuration", "workload", "variant"}) s.text(key);
  one_of(s, "mode", {"threads", "processes"});
  size(s, "size");
  const JsonFields baseline(s.any("baseline"), s.path("baseline"));
  one_of(baseline, "kind", {"sequential", "1 worker"});
  baseline.text("name");
  seconds(baseline, "real_time_s");
  each(s, "points", [](const JsonFields& p) {
    workers(p, "workers");
    seconds(p, "real_time_s");
    seconds_or_null(p, "cpu_time_s");
    for (const char* key :
         {"items_per_second", "speedup", "efficiency", "speedup_vs_1_worker", "cores_used"}) {
      number_or_null(p, key);
    }
  });
}

void gil(const JsonFields& g) {
  g.text("configuration");
  g.text("series");
  size(g, "size");
  number_or_null(g, "speedup_at_2");
  number_or_null(g, "efficiency_at_2");
  workers(g, "max_workers");
  number_or_null(g, "speedup_at_max");
}

void sanitizer_overhead(const JsonFields& s) {
  s.text("note");
  const JsonFields documented(s.any("documented"), s.path("documented"));
  for (const auto& [name, v] : s.any("documented").items()) {
    if (!v.is_string()) {
      JsonFields::fail(documented.path(name.c_str()), "expected a string, found " + shown_json(v));
    }
  }
  const JsonFields geomean(s.any("geomean"), s.path("geomean"));
  geomean.any("tsan");
  geomean.any("asan");
  for (const auto& [name, v] : s.any("geomean").items()) number_or_null(geomean, name.c_str());
  each(s, "rows", factor_row);
  if (s.has("runs")) {
    each(s, "runs", [](const JsonFields& r) {
      r.text("name");
      for (const char* key : {"plain_median_s", "tsan", "asan"}) number_or_null(r, key);
    });
  }
}

void contrast(const JsonFields& c) {
  c.text("workload");
  c.text("title");
  workers(c, "workers");
  size(c, "size");
  c.text("metric");
  each(c, "rows", [](const JsonFields& r) {
    r.text("variant");
    r.flag("broken");
    r.text("role");
    r.text("name");
    text_or_null(r, "error");
    seconds_or_null(r, "real_time_s");
    number_or_null(r, "items_per_second");
    for (const char* key : {"lost_fraction", "rtt_p50_us", "rtt_p99_us"}) {
      if_present(r, key, number_or_null);
    }
  });
}

void harness_speed(const JsonFields& h) {
  each(h, "runner", [](const JsonFields& r) {
    r.text("name");
    seconds(r, "real_time_s");
    number_or_null(r, "overhead_ms");
  });
  number_or_null(h, "runner_overhead_ms");
  each(h, "parsers", [](const JsonFields& p) {
    p.text("name");
    seconds(p, "real_time_s");
    if (p.number("mb_per_s") <= 0) {
      JsonFields::fail(p.path("mb_per_s"),
                       "expected a number above 0, found " + shown_json(p.any("mb_per_s")));
    }
  });
  each(h, "model", [](const JsonFields& m) {
    m.text("name");
    m.text("variant");
    size(m, "size");
    seconds(m, "real_time_s");
    number_or_null(m, "steps_per_second");
    number_or_null(m, "ns_per_step");
  });
  for (const char* key : {"model_steps_per_second", "model_decision_ns", "model_switch_step_ns",
                          "model_context_switch_ns"}) {
    number_or_null(h, key);
  }
  h.number("model_target_steps_per_second");
}

// A run without a series: its time, and its counters (numbers or null) under their own names.
void other(const JsonFields& o, const json& run) {
  o.text("configuration");
  o.text("name");
  seconds_or_null(o, "real_time_s");
  for (const auto& [name, v] : run.items()) {
    if (name != "configuration" && name != "name") number_or_null(o, name.c_str());
  }
}

}  // namespace

void check_bench_summary_fields(const json& doc) {
  const JsonFields top(doc, "");
  if (top.has("skipped")) {
    top.text("skipped");  // the pass did not run (run-bench.sh without python3): nothing else
    return;
  }
  each(top, "sources", source);
  each(top, "errors", [](const JsonFields& e) {
    for (const char* key : {"configuration", "name", "message"}) e.text(key);
  });
  each(top, "series", series);
  each(top, "gil", gil);
  const JsonFields python(top.any("python_vs_cpp"), top.path("python_vs_cpp"));
  python.text("note");
  each(python, "rows", factor_row);
  number_or_null(python, "geomean");
  sanitizer_overhead(JsonFields(top.any("sanitizer_overhead"), top.path("sanitizer_overhead")));
  each(top, "broken_vs_fixed", contrast);
  harness_speed(JsonFields(top.any("harness_speed"), top.path("harness_speed")));
  each(top, "other", other);
  if (top.has("notes")) text_list(top, "notes");
}

}  // namespace casebook::reports
