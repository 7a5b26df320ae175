// bench_summary_reader.cpp - a bench-summary.json read into bench::Summary, every field checked
// against what reports/schema/bench-summary.schema.json says it is (see bench_summary.hpp).
//
// The page's Benchmarks section draws the summary without asking any value again, so a field
// that is missing or of another type must stop `casebook report` here, with its path
// ("series[2].points[0].speedup: expected a number or null, found \"fast\""), the same way a
// results.json field does (results/json_fields.hpp). The reading follows the schema's layout one
// object at a time; bench_section_test.cpp drops and mistypes every field of a real summary and
// checks that each schema-required one is refused here by its path.
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "html/bench_summary.hpp"
#include "results/json_fields.hpp"

namespace casebook::reports::bench {

using nlohmann::json;

namespace {

// The schema's $defs and property types, on one field of `f`.

// A figure: a number, or null for one summarise.py could not compute (NaN).
double figure(const JsonFields& f, const char* key) {
  const json& v = f.any(key);
  if (v.is_null()) return kNoFigure;
  if (!v.is_number()) {
    JsonFields::fail(f.path(key), "expected a number or null, found " + shown_json(v));
  }
  return v.get<double>();
}

double number_at_least(const JsonFields& f, const char* key, double floor) {
  const double v = f.number(key);
  if (v < floor) {
    JsonFields::fail(f.path(key), "expected a number of at least " + shown_json(json(floor)) +
                                      ", found " + shown_json(f.any(key)));
  }
  return v;
}

double above_zero(const JsonFields& f, const char* key) {
  const double v = f.number(key);
  if (v <= 0) {
    JsonFields::fail(f.path(key), "expected a number above 0, found " + shown_json(f.any(key)));
  }
  return v;
}

double seconds(const JsonFields& f, const char* key) {
  return number_at_least(f, key, 0);
}

double seconds_or_null(const JsonFields& f, const char* key) {
  return f.any(key).is_null() ? kNoFigure : seconds(f, key);
}

// An optional text the file may also give as null: none either way.
std::optional<std::string> text_or_null(const JsonFields& f, const char* key) {
  if (!f.has(key) || f.any(key).is_null()) return std::nullopt;
  return f.text(key);
}

int workers(const JsonFields& f, const char* key) {
  const int n = f.integer(key);
  if (n < 1) {
    JsonFields::fail(f.path(key),
                     "expected a worker count of 1 or more, found " + shown_json(f.any(key)));
  }
  return n;
}

std::string one_of(const JsonFields& f, const char* key,
                   std::initializer_list<const char*> allowed) {
  const std::string v = f.text(key);
  std::string names;
  for (const char* a : allowed) {
    if (v == a) return v;
    names += std::string(names.empty() ? "" : " or ") + "\"" + a + "\"";
  }
  JsonFields::fail(f.path(key), "expected " + names + ", found " + shown_json(f.any(key)));
}

// A run's arguments other than its worker count: names to integers or strings, kept as the
// object they are (the page writes them out and compares them whole).
json size(const JsonFields& f, const char* key) {
  const JsonFields s(f.any(key), f.path(key));
  for (const auto& [name, v] : f.any(key).items()) {
    if (!v.is_number_integer() && !v.is_string()) {
      JsonFields::fail(s.path(name.c_str()),
                       "expected an integer or a string, found " + shown_json(v));
    }
  }
  return f.any(key);
}

// Each element of the array field `key`, read by `read` from its fields (and, for a reader
// that also walks the keys it does not name, the element itself).
template <class Read>
auto each(const JsonFields& f, const char* key, Read read) {
  const json& list = f.array(key);
  using Element = std::invoke_result_t<Read, const JsonFields&, const json&>;
  std::vector<Element> out;
  for (std::size_t i = 0; i < list.size(); ++i) {
    out.push_back(read(JsonFields(list[i], f.path(key, i)), list[i]));
  }
  return out;
}

// A sanitizer's (or Python's) factor over the plain C++ run, and the runs' times (seconds,
// under names such as plain_real_time_s).
FactorRow factor_row(const JsonFields& r, const json& row) {
  FactorRow out;
  out.configuration = r.text("configuration");
  out.name = r.text("name");
  out.factor = above_zero(r, "factor");
  out.real_time_s = seconds(r, "real_time_s");
  for (const auto& [name, v] : row.items()) {
    if (name != "configuration" && name != "name" && name != "factor" && name != "real_time_s") {
      out.other_times[name] = seconds(r, name.c_str());
    }
  }
  return out;
}

Source source(const JsonFields& s, const json&) {
  Source out;
  out.file = s.text("file");
  out.configurations = text_list(s, "configurations");
  out.runs = s.unsigned_integer("runs");
  out.notes = text_list(s, "notes");
  out.scale = text_or_null(s, "scale");
  out.date = text_or_null(s, "date");
  out.library_build_type = text_or_null(s, "library_build_type");
  out.compiler = text_or_null(s, "compiler");
  out.python_version = text_or_null(s, "python_version");
  if (s.has("num_cpus") && !s.any("num_cpus").is_null()) out.num_cpus = s.integer("num_cpus");
  if (s.has("load_avg") && !s.any("load_avg").is_null()) {
    const json& load = s.array("load_avg");
    for (std::size_t i = 0; i < load.size(); ++i) {
      if (!load[i].is_null() && !load[i].is_number()) {
        JsonFields::fail(s.path("load_avg", i),
                         "expected a number or null, found " + shown_json(load[i]));
      }
      out.load_avg.push_back(load[i].is_null() ? kNoFigure : load[i].get<double>());
    }
  }
  return out;
}

Point point(const JsonFields& p, const json&) {
  Point out;
  out.workers = workers(p, "workers");
  out.real_time_s = seconds(p, "real_time_s");
  out.cpu_time_s = seconds_or_null(p, "cpu_time_s");
  out.items_per_second = figure(p, "items_per_second");
  out.speedup = figure(p, "speedup");
  out.efficiency = figure(p, "efficiency");
  out.speedup_vs_1_worker = figure(p, "speedup_vs_1_worker");
  out.cores_used = figure(p, "cores_used");
  return out;
}

Series series(const JsonFields& s, const json&) {
  Series out;
  out.configuration = s.text("configuration");
  out.workload = s.text("workload");
  out.variant = s.text("variant");
  out.mode = one_of(s, "mode", {"threads", "processes"});
  out.size = size(s, "size");
  const JsonFields baseline(s.any("baseline"), s.path("baseline"));
  out.baseline_kind = one_of(baseline, "kind", {"sequential", "1 worker"});
  out.baseline_name = baseline.text("name");
  out.baseline_real_time_s = seconds(baseline, "real_time_s");
  out.points = each(s, "points", point);
  return out;
}

GilRow gil(const JsonFields& g, const json&) {
  GilRow out;
  out.configuration = g.text("configuration");
  out.series = g.text("series");
  out.size = size(g, "size");
  out.speedup_at_2 = figure(g, "speedup_at_2");
  out.efficiency_at_2 = figure(g, "efficiency_at_2");
  out.max_workers = workers(g, "max_workers");
  out.speedup_at_max = figure(g, "speedup_at_max");
  return out;
}

PythonVsCpp python_vs_cpp(const JsonFields& p) {
  PythonVsCpp out;
  out.note = p.text("note");
  out.rows = each(p, "rows", factor_row);
  out.geomean = figure(p, "geomean");
  return out;
}

SanitizerRun sanitizer_run(const JsonFields& r, const json&) {
  return {r.text("name"), figure(r, "plain_median_s"), figure(r, "tsan"), figure(r, "asan")};
}

SanitizerOverhead sanitizer_overhead(const JsonFields& s) {
  SanitizerOverhead out;
  out.note = s.text("note");
  const JsonFields documented(s.any("documented"), s.path("documented"));
  for (const auto& [name, v] : s.any("documented").items()) {
    out.documented[name] = documented.text(name.c_str());
  }
  const JsonFields geomean(s.any("geomean"), s.path("geomean"));
  geomean.any("tsan");
  geomean.any("asan");
  for (const auto& [name, v] : s.any("geomean").items()) {
    out.geomean[name] = figure(geomean, name.c_str());
  }
  out.rows = each(s, "rows", factor_row);
  if (s.has("runs")) out.runs = each(s, "runs", sanitizer_run);
  return out;
}

// An optional figure the file may leave out altogether: none either way.
double figure_if_present(const JsonFields& f, const char* key) {
  return f.has(key) ? figure(f, key) : kNoFigure;
}

ContrastRow contrast_row(const JsonFields& r, const json&) {
  ContrastRow out;
  out.variant = r.text("variant");
  out.broken = r.flag("broken");
  out.role = r.text("role");
  out.name = r.text("name");
  if (!r.any("error").is_null()) out.error = r.text("error");
  out.real_time_s = seconds_or_null(r, "real_time_s");
  out.items_per_second = figure(r, "items_per_second");
  out.lost_fraction = figure_if_present(r, "lost_fraction");
  out.rtt_p50_us = figure_if_present(r, "rtt_p50_us");
  out.rtt_p99_us = figure_if_present(r, "rtt_p99_us");
  return out;
}

Contrast contrast(const JsonFields& c, const json&) {
  Contrast out;
  out.workload = c.text("workload");
  out.title = c.text("title");
  out.workers = workers(c, "workers");
  out.size = size(c, "size");
  out.metric = c.text("metric");
  out.rows = each(c, "rows", contrast_row);
  return out;
}

HarnessSpeed harness_speed(const JsonFields& h) {
  HarnessSpeed out;
  out.runner = each(h, "runner", [](const JsonFields& r, const json&) {
    return RunnerRow{r.text("name"), seconds(r, "real_time_s"), figure(r, "overhead_ms")};
  });
  out.runner_overhead_ms = figure(h, "runner_overhead_ms");
  out.parsers = each(h, "parsers", [](const JsonFields& p, const json&) {
    return ParserRow{p.text("name"), seconds(p, "real_time_s"), above_zero(p, "mb_per_s")};
  });
  out.model = each(h, "model", [](const JsonFields& m, const json&) {
    return ModelRow{m.text("name"),
                    m.text("variant"),
                    size(m, "size"),
                    seconds(m, "real_time_s"),
                    figure(m, "steps_per_second"),
                    figure(m, "ns_per_step")};
  });
  out.model_steps_per_second = figure(h, "model_steps_per_second");
  out.model_decision_ns = figure(h, "model_decision_ns");
  out.model_switch_step_ns = figure(h, "model_switch_step_ns");
  out.model_context_switch_ns = figure(h, "model_context_switch_ns");
  out.model_target_steps_per_second = h.number("model_target_steps_per_second");
  return out;
}

// A run without a series: its time, and its counters (numbers or null) under their own names.
OtherRun other(const JsonFields& o, const json& run) {
  OtherRun out;
  out.configuration = o.text("configuration");
  out.name = o.text("name");
  out.real_time_s = seconds_or_null(o, "real_time_s");
  for (const auto& [name, v] : run.items()) {
    if (name != "configuration" && name != "name" && name != "real_time_s") {
      out.counters[name] = figure(o, name.c_str());
    }
  }
  return out;
}

}  // namespace

Summary read_bench_summary(const json& doc) {
  const JsonFields top(doc, "");
  Summary out;
  if (top.has("skipped")) {
    out.skipped = top.text("skipped");  // the pass did not run: nothing else
    return out;
  }
  out.sources = each(top, "sources", source);
  out.errors = each(top, "errors", [](const JsonFields& e, const json&) {
    return SelfCheckError{e.text("configuration"), e.text("name"), e.text("message")};
  });
  out.series = each(top, "series", series);
  out.gil = each(top, "gil", gil);
  out.python_vs_cpp =
      python_vs_cpp(JsonFields(top.any("python_vs_cpp"), top.path("python_vs_cpp")));
  out.sanitizer_overhead =
      sanitizer_overhead(JsonFields(top.any("sanitizer_overhead"), top.path("sanitizer_overhead")));
  out.broken_vs_fixed = each(top, "broken_vs_fixed", contrast);
  out.harness_speed =
      harness_speed(JsonFields(top.any("harness_speed"), top.path("harness_speed")));
  out.other = each(top, "other", other);
  if (top.has("notes")) out.notes = text_list(top, "notes");
  return out;
}

}  // namespace casebook::reports::bench
