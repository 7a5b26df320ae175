// section_benchmarks.cpp - the benchmark pass (bench-summary.json) as charts and tables.
//
// bench/summarise.py has done the arithmetic (speedups, efficiencies, overhead factors, the
// broken/fixed rows, the harness's speed); this file only draws it. Every chart is inline SVG
// with its numbers in a table beside it, so the page needs no library, prints in black and
// white and reads without the charts. Colour never carries meaning alone: lines end in their
// name and have their own marker and dash, broken bars say "broken" in their label, sanitizer
// bars say which sanitizer and the factor, documented ranges are labelled bands.
//
// The file was read into bench::Summary field by field (bench_summary_reader.cpp), so nothing
// here asks whether a value is there; a figure summarise.py could not compute is NaN and reads
// "–". A part the schema leaves optional and an older summarise.py did not write
// (sanitizer_overhead.runs) is left out with a sentence that says so; a summary whose pass was
// skipped (no python3) shows only why.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <vector>

#include "html_text.hpp"
#include "markdown.hpp"
#include "sections.hpp"

namespace casebook::reports::html {
namespace {

using bench::Summary;

// A duration in the unit that suits it: "583 µs", "20.3 ms", "1.23 s".
std::string duration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "–";
  if (seconds >= 1) return fmt::format("{:.2f} s", seconds);
  if (seconds >= 1e-3) return fmt::format("{:.1f} ms", seconds * 1e3);
  return fmt::format("{:.1f} µs", seconds * 1e6);
}

std::string times(double factor, const char* spec = "{:.2f}") {
  if (!std::isfinite(factor)) return "–";
  return fmt::format(fmt::runtime(spec), factor) + "\u00d7";
}

std::string percent(double fraction) {
  return std::isfinite(fraction) ? fmt::format("{:.0f}%", 100 * fraction) : "–";
}

// A rate with an SI prefix: "5.34 M", "402".
std::string rate(double v) {
  if (!std::isfinite(v)) return "–";
  if (v >= 1e9) return fmt::format("{:.3g} G", v / 1e9);
  if (v >= 1e6) return fmt::format("{:.3g} M", v / 1e6);
  if (v >= 1e3) return fmt::format("{:.3g} k", v / 1e3);
  return fmt::format("{:.3g}", v);
}

// Decade labels of the log axes: "1 ms", "10 M/s", "100 µs", "0.1×".
std::string decade_seconds(double v) {
  if (v >= 1) return fmt::format("{:.0f} s", v);
  if (v >= 1e-3) return fmt::format("{:.0f} ms", v * 1e3);
  if (v >= 1e-6) return fmt::format("{:.0f} µs", v * 1e6);
  return fmt::format("{:.0f} ns", v * 1e9);
}
std::string decade_rate(double v) {
  return rate(v) + "/s";
}
std::string decade_microseconds(double v) {
  return v >= 1000 ? fmt::format("{:g} ms", v / 1000) : fmt::format("{:g} µs", v);
}
std::string decade_factor(double v) {
  return fmt::format("{:g}\u00d7", v);
}

// "limit=300000" from {"limit": 300000}.
std::string size_text(const Json& size) {
  std::string out;
  for (const auto& [k, v] : size.items()) {
    out += (out.empty() ? "" : ", ") + k + "=" + (v.is_string() ? v.get<std::string>() : v.dump());
  }
  return out;
}

// A run name without its size arguments: "counters/mutex/threads".
std::string family(std::string_view name) {
  std::string out;
  std::size_t start = 0;
  while (start <= name.size()) {
    const auto end = std::min(name.find('/', start), name.size());
    const std::string_view part = name.substr(start, end - start);
    if (part.find(':') == std::string_view::npos)
      out += (out.empty() ? "" : "/") + std::string(part);
    start = end + 1;
  }
  return out;
}

// A log-scale axis over [lo, hi] mapped to [x0, x1], widened to whole decades.
struct LogAxis {
  double l0 = 0, l1 = 1, x0 = 0, x1 = 1;
  LogAxis(double lo, double hi, double left, double right) : x0(left), x1(right) {
    l0 = std::floor(std::log10(lo));
    l1 = std::max(l0 + 1, std::ceil(std::log10(hi)));
  }
  double operator()(double v) const {
    const double l = std::clamp(std::log10(v), l0, l1);
    return x0 + (l - l0) / (l1 - l0) * (x1 - x0);
  }
  // Grid lines and labels at every decade, across [top, bottom]; `label` writes a decade.
  std::string grid(double top, double bottom, std::string (*label)(double)) const {
    std::string out;
    for (double p = l0; p <= l1; ++p) {
      const double v = std::pow(10.0, p);
      out += fmt::format(
          "<line class=\"grid\" x1=\"{0:.1f}\" x2=\"{0:.1f}\" y1=\"{1}\" y2=\"{2}\"/>"
          "<text class=\"tick-label\" x=\"{0:.1f}\" y=\"{3}\">{4}</text>",
          (*this)(v), top, bottom, bottom + 13, escape(label(v)));
    }
    return out;
  }
};

// ---------------------------------------------------------------------------------------------
// Speedup against workers

struct Curve {
  std::string mode;  // threads, processes
  const bench::Series* series = nullptr;
};

struct ScalingGroup {
  std::string configuration, workload, variant;
  const Json* size = nullptr;
  std::vector<Curve> curves;
};

std::string group_title(const ScalingGroup& g) {
  const std::string name = g.workload + (g.variant.empty() ? "" : "/" + g.variant);
  return g.configuration == "python" ? name + " (Python)" : name;
}

std::string speedup_chart(const ScalingGroup& g, int cpus) {
  constexpr double kW = 460, kH = 250, kLeft = 40, kRight = 122, kTop = 16, kBottom = 36;
  double max_workers = 1, max_speedup = 1;
  for (const Curve& c : g.curves) {
    for (const bench::Point& p : c.series->points) {
      max_workers = std::max(max_workers, static_cast<double>(p.workers));
      if (std::isfinite(p.speedup)) max_speedup = std::max(max_speedup, p.speedup);
    }
  }
  const double y_max = std::ceil(std::max(max_workers, max_speedup));
  auto x = [&](double w) { return kLeft + w / max_workers * (kW - kLeft - kRight); };
  auto y = [&](double s) { return kH - kBottom - s / y_max * (kH - kTop - kBottom); };
  std::string svg = fmt::format(
      "<svg class=\"bench-chart speedup\" viewBox=\"0 0 {0} {1}\" width=\"{0}\" height=\"{1}\" "
      "role=\"img\" aria-label=\"speedup against workers, {2}\">",
      kW, kH, escape(group_title(g)));
  // Horizontal grid at whole speedups (at most about 6 lines), vertical ticks at the workers.
  const double step = std::max(1.0, std::ceil(y_max / 6));
  for (double s = 0; s <= y_max + 1e-9; s += step) {
    svg += fmt::format(
        "<line class=\"grid\" x1=\"{0}\" x2=\"{1}\" y1=\"{2:.1f}\" y2=\"{2:.1f}\"/>"
        "<text class=\"tick-label y\" x=\"{3}\" y=\"{4:.1f}\">{5}\u00d7</text>",
        kLeft, kW - kRight, y(s), kLeft - 4, y(s) + 4, s);
  }
  std::set<double> ticks;
  for (const Curve& c : g.curves) {
    for (const bench::Point& p : c.series->points) ticks.insert(p.workers);
  }
  for (double w : ticks) {
    svg += fmt::format("<text class=\"tick-label\" x=\"{:.1f}\" y=\"{}\">{}</text>", x(w),
                       kH - kBottom + 14, w);
  }
  svg += fmt::format(
      "<text class=\"axis-name\" x=\"{:.1f}\" y=\"{}\">workers</text>"
      "<text class=\"axis-name start\" x=\"2\" y=\"10\">speedup</text>",
      (kLeft + kW - kRight) / 2, kH - 6);
  if (cpus > 0 && cpus < max_workers) {
    svg += fmt::format(
        "<line class=\"cpus\" x1=\"{0:.1f}\" x2=\"{0:.1f}\" y1=\"{1}\" y2=\"{2}\"/>"
        "<text class=\"tick-label cpus-label\" x=\"{3:.1f}\" y=\"{4}\">{5} CPUs</text>",
        x(cpus), kTop, kH - kBottom, x(cpus) + 3, kTop + 8, cpus);
  }
  // The ideal: k workers, k times faster.
  svg +=
      fmt::format("<line class=\"ideal\" x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\"/>",
                  x(1), y(1), x(max_workers), y(max_workers));
  // The curves, each ending in its name; labels that would overlap (the ideal's too) are
  // pushed apart.
  struct Label {
    double y, x;
    std::string mode, text;
  };
  std::vector<Label> labels = {{y(max_workers) + 4, x(max_workers) + 6, "ideal-label", "ideal"}};
  for (const Curve& c : g.curves) {
    std::string points, markers;
    double last_x = 0, last_y = 0, last_s = NAN;
    const std::string mode = escape(c.mode);
    for (const bench::Point& p : c.series->points) {
      const double w = p.workers, s = p.speedup;
      if (!std::isfinite(s)) continue;
      last_x = x(w);
      last_y = y(s);
      last_s = s;
      points += fmt::format("{}{:.1f},{:.1f}", points.empty() ? "" : " ", last_x, last_y);
      const std::string tip = fmt::format("{}, {} workers: {} ({} efficiency)", c.mode, w, times(s),
                                          percent(p.efficiency));
      markers += c.mode == "processes"
                     ? fmt::format(
                           "<rect class=\"marker {}\" x=\"{:.1f}\" y=\"{:.1f}\" width=\"8\" "
                           "height=\"8\"><title>{}</title></rect>",
                           mode, last_x - 4, last_y - 4, escape(tip))
                     : fmt::format(
                           "<circle class=\"marker {}\" cx=\"{:.1f}\" cy=\"{:.1f}\" "
                           "r=\"4.5\"><title>{}</title></circle>",
                           mode, last_x, last_y, escape(tip));
    }
    if (points.empty()) continue;
    svg += fmt::format("<polyline class=\"curve {}\" points=\"{}\"/>{}", mode, points, markers);
    labels.push_back({last_y + 4, last_x + 8, mode, mode + " " + times(last_s)});
  }
  std::sort(labels.begin(), labels.end(), [](const Label& a, const Label& b) { return a.y < b.y; });
  for (std::size_t i = 1; i < labels.size(); ++i) {
    labels[i].y = std::max(labels[i].y, labels[i - 1].y + 13);
  }
  for (const Label& l : labels) {
    svg += fmt::format("<text class=\"line-label {}\" x=\"{:.1f}\" y=\"{:.1f}\">{}</text>", l.mode,
                       l.x, l.y, l.text);
  }
  return svg + "</svg>";
}

std::string speedup_table(const ScalingGroup& g) {
  std::set<double> workers;
  std::map<std::string, std::map<double, const bench::Point*>> by_mode;
  for (const Curve& c : g.curves) {
    for (const bench::Point& p : c.series->points) {
      workers.insert(p.workers);
      by_mode[c.mode][p.workers] = &p;
    }
  }
  std::string head = "<tr><th rowspan=\"2\">workers</th>";
  std::string sub;
  for (const Curve& c : g.curves) {
    head += fmt::format("<th colspan=\"3\" class=\"group {0}\">{0}</th>", escape(c.mode));
    sub += "<th>speedup (eff.)</th><th>time</th><th>cores used</th>";
  }
  std::string rows;
  for (double w : workers) {
    rows += fmt::format("<tr><th scope=\"row\">{}</th>", w);
    for (const Curve& c : g.curves) {
      const auto it = by_mode[c.mode].find(w);
      if (it == by_mode[c.mode].end()) {
        rows += "<td class=\"num\">–</td><td class=\"num\">–</td><td class=\"num\">–</td>";
        continue;
      }
      const bench::Point& p = *it->second;
      rows += fmt::format(
          "<td class=\"num\">{} <span class=\"muted\">({})</span></td><td class=\"num\">{}</td>"
          "<td class=\"num\">{}</td>",
          times(p.speedup), percent(p.efficiency), duration(p.real_time_s),
          std::isfinite(p.cores_used) ? fmt::format("{:.2f}", p.cores_used) : "–");
    }
    rows += "</tr>\n";
  }
  const bench::Series& first = *g.curves.front().series;
  return fmt::format(
      "<table class=\"bench speedup-table\"><caption>baseline: {} run, {}</caption>"
      "<thead>{}</tr><tr>{}</tr></thead><tbody>\n{}</tbody></table>",
      escape(first.baseline_kind), duration(first.baseline_real_time_s), head, sub, rows);
}

std::vector<ScalingGroup> scaling_groups(const Summary& summary) {
  // Plain C++ and the Python reference; the counters are broken/fixed material, shown below.
  // Each workload at its largest size only (the full pass also runs the short sizes).
  std::map<std::tuple<std::string, std::string, std::string>, std::string> largest;
  for (const bench::Series& s : summary.series) {
    const std::string& config = s.configuration;
    if ((config != "plain" && config != "python") || s.workload == "counters") continue;
    const auto key = std::make_tuple(config, s.workload, s.variant);
    const std::string size = s.size.dump();
    auto& best = largest[key];
    if (best.empty() || size.size() > best.size() || (size.size() == best.size() && size > best))
      best = size;
  }
  std::vector<ScalingGroup> groups;
  for (const bench::Series& s : summary.series) {
    const std::string& config = s.configuration;
    const auto key = std::make_tuple(config, s.workload, s.variant);
    const auto it = largest.find(key);
    if (it == largest.end() || it->second != s.size.dump()) continue;
    auto g = std::find_if(groups.begin(), groups.end(), [&](const ScalingGroup& x) {
      return x.configuration == config && x.workload == std::get<1>(key) &&
             x.variant == std::get<2>(key);
    });
    if (g == groups.end()) {
      groups.push_back({config, std::get<1>(key), std::get<2>(key), &s.size, {}});
      g = groups.end() - 1;
    }
    g->curves.push_back({s.mode, &s});
  }
  // threads before processes in every group, whatever order the file has.
  for (ScalingGroup& g : groups) {
    std::stable_sort(g.curves.begin(), g.curves.end(),
                     [](const Curve& a, const Curve& b) { return a.mode > b.mode; });
  }
  return groups;
}

std::string render_scaling(const Summary& summary, int cpus) {
  const auto groups = scaling_groups(summary);
  if (groups.empty()) return {};
  std::string out =
      "<h3 id=\"bench-scaling\">Speedup against workers</h3>\n<p class=\"hint\">Speedup = the "
      "sequential run's time (else the 1-worker run's) / the time with k workers; efficiency = "
      "speedup / k. Threads are the solid line with round markers, processes the dashed line "
      "with square markers; the grey diagonal is the ideal. Past the machine's CPU count the "
      "extra workers only share cores. <em>cores used</em> is CPU seconds per real second: "
      "below k on a shared machine, another job held a core. Each workload at the pass's "
      "largest size (bench-summary.md has every size).</p>\n<div class=\"bench-grid\">\n";
  for (const ScalingGroup& g : groups) {
    out += fmt::format(
        "<figure class=\"bench-figure\" id=\"bench-{}\"><figcaption><strong>{}</strong> "
        "<span class=\"muted\">{}</span></figcaption>\n{}\n{}</figure>\n",
        id_part(g.configuration + "-" + g.workload + "-" + g.variant), escape(group_title(g)),
        escape(size_text(*g.size)), speedup_chart(g, cpus), speedup_table(g));
  }
  return out + "</div>\n";
}

// ---------------------------------------------------------------------------------------------
// Broken against fixed

struct Bar {
  std::string label;  // the variant, and "broken" when it is
  double value = NAN;
  bool broken = false;
  std::string text;  // the value as written at the bar's end
  std::string cls;   // extra classes
};

// Horizontal bars on a log scale (the variants differ by orders of magnitude).
std::string bar_chart(const std::vector<Bar>& bars, std::string_view axis_name,
                      std::string (*unit)(double), std::string_view aria) {
  constexpr double kW = 720, kLabel = 200, kRight = 150, kRow = 24, kTop = 22;
  double lo = INFINITY, hi = 0;
  for (const Bar& b : bars) {
    if (b.value > 0) {
      lo = std::min(lo, b.value);
      hi = std::max(hi, b.value);
    }
  }
  if (!(hi > 0)) return {};
  const LogAxis x(lo, hi, kLabel, kW - kRight);
  const double bottom = kTop + kRow * static_cast<double>(bars.size());
  std::string svg = fmt::format(
      "<svg class=\"bench-chart bars\" viewBox=\"0 0 {0} {1}\" width=\"{0}\" height=\"{1}\" "
      "role=\"img\" aria-label=\"{2}\">"
      "<text class=\"axis-name start\" x=\"{3}\" y=\"12\">{4} (log scale)</text>",
      kW, bottom + 20, escape(aria), kLabel, escape(axis_name));
  svg += x.grid(kTop - 4, bottom, unit);
  double row_y = kTop;
  for (const Bar& b : bars) {
    svg += fmt::format("<text class=\"bar-label{}\" x=\"{}\" y=\"{:.1f}\">{}</text>",
                       b.broken ? " broken" : "", kLabel - 6, row_y + 15, escape(b.label));
    if (b.value > 0) {
      const double end = x(b.value);
      svg += fmt::format(
          "<rect class=\"bar{}{}\" x=\"{}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"16\">"
          "<title>{}: {}</title></rect>"
          "<text class=\"bar-value\" x=\"{:.1f}\" y=\"{:.1f}\">{}</text>",
          b.broken ? " broken" : "", b.cls.empty() ? "" : " " + b.cls, kLabel, row_y + 3,
          std::max(1.0, end - kLabel), escape(b.label), escape(b.text), end + 5, row_y + 15,
          escape(b.text));
    }
    row_y += kRow;
  }
  return svg + "</svg>";
}

std::string render_contrasts(const Summary& summary) {
  const std::vector<bench::Contrast>& contrasts = summary.broken_vs_fixed;
  if (contrasts.empty()) return {};
  std::string out =
      "<h3 id=\"bench-broken-fixed\">Broken against fixed</h3>\n<p class=\"hint\">The plain "
      "build's counter and producer/consumer variants side by side. The broken ones are "
      "labelled <strong>broken</strong> (and drawn red with a dashed outline): one gives a wrong "
      "answer fast "
      "(unsynchronised), the others pay a needless cost (false sharing, polling). Log "
      "scale.</p>\n";
  for (const bench::Contrast& c : contrasts) {
    const std::string& metric = c.metric;
    std::vector<Bar> bars;
    std::string rows;
    for (const bench::ContrastRow& r : c.rows) {
      const bool broken = r.broken;
      Bar b{r.variant + (broken ? " (broken)" : ""), NAN, broken, "", ""};
      const double time = r.real_time_s, items = r.items_per_second;
      const double lost = r.lost_fraction, p50 = r.rtt_p50_us, p99 = r.rtt_p99_us;
      if (metric == "items_per_second") {
        b.value = items;
        b.text = rate(items) + "/s";
      } else if (metric == "rtt_p50_us") {
        b.value = p50;
        b.text = fmt::format("p50 {} µs", format_number(p50));
      } else {
        b.value = time;
        b.text = duration(time);
      }
      // The unsynchronised counter: how much it lost this time (0% on a run whose threads
      // happened not to overlap, which does not make it correct).
      if (std::isfinite(lost))
        b.text += fmt::format(", {}lost {}", lost > 0 ? "wrong: " : "", percent(lost));
      bars.push_back(b);
      std::string other;
      if (std::isfinite(lost)) other = fmt::format("lost {:.1f}% of the increments", 100 * lost);
      if (std::isfinite(p50))
        other =
            fmt::format("round trip p50 {} µs, p99 {} µs", format_number(p50), format_number(p99));
      rows += fmt::format(
          "<tr{}><th scope=\"row\"><code>{}</code>{}</th><td>{}</td><td class=\"num\">{}</td>"
          "<td class=\"num\">{}</td><td>{}</td></tr>\n",
          broken ? " class=\"broken-row\"" : "", escape(r.variant),
          broken ? " <span class=\"badge broken-badge\">broken</span>" : "", escape(r.role),
          duration(time), std::isfinite(items) ? rate(items) + "/s" : "–", escape(other));
    }
    const std::string axis = metric == "items_per_second" ? "items per second, higher is better"
                             : metric == "rtt_p50_us"     ? "round trip p50, lower is better"
                                                          : "time, lower is better";
    const auto unit = metric == "rtt_p50_us"         ? decade_microseconds
                      : metric == "items_per_second" ? decade_rate
                                                     : decade_seconds;
    out += fmt::format(
        "<figure class=\"bench-figure wide\" id=\"bench-contrast-{}\"><figcaption><strong>{}"
        "</strong> <span class=\"muted\">{}</span></figcaption>\n{}\n"
        "<table class=\"bench\"><thead><tr><th>variant</th><th>what it is</th><th>time</th>"
        "<th>items/s</th><th>other</th></tr></thead><tbody>\n{}</tbody></table></figure>\n",
        id_part(c.workload), escape(c.title), escape(size_text(c.size)),
        bar_chart(bars, axis, unit, c.title), rows);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Sanitizer overhead

// A figure of a map the summary keys by name (the geometric means), NaN when it has none.
double figure_of(const std::map<std::string, double>& figures, const std::string& name) {
  const auto it = figures.find(name);
  return it == figures.end() ? NAN : it->second;
}

// A text of a map the summary keys by name, or `fallback`.
std::string text_of(const std::map<std::string, std::string>& texts, const std::string& name,
                    const std::string& fallback) {
  const auto it = texts.find(name);
  return it == texts.end() ? fallback : it->second;
}

std::string render_sanitizers(const Summary& summary) {
  const bench::SanitizerOverhead& san = summary.sanitizer_overhead;
  if (san.rows.empty()) return {};
  if (!san.runs || san.runs->empty()) {
    return "<h3 id=\"bench-sanitizers\">Sanitizer overhead</h3>\n<p class=\"muted\">This "
           "summary has no per-run sanitizer means (an older bench/summarise.py wrote it); rerun "
           "bench/run-bench.sh to draw them.</p>\n";
  }
  const std::vector<bench::SanitizerRun>& runs = *san.runs;
  const double all_tsan = figure_of(san.geomean, "tsan");
  const double all_asan = figure_of(san.geomean, "asan");

  // Two bars per run, TSan above ASan, each labelled with its sanitizer and factor.
  constexpr double kW = 760, kLabel = 250, kRight = 110, kRow = 30, kTop = 34;
  double lo = 1, hi = 15;
  auto widen = [&](double v) {
    if (v > 0 && std::isfinite(v)) {
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
  };
  std::vector<std::tuple<std::string, double, double>> bars;
  for (const bench::SanitizerRun& run : runs)
    bars.emplace_back(family(run.name), run.tsan, run.asan);
  bars.emplace_back("every run (geometric mean)", all_tsan, all_asan);
  for (const auto& [name, t, a] : bars) {
    widen(t);
    widen(a);
  }
  const LogAxis x(lo, hi, kLabel, kW - kRight);
  const double bottom = kTop + kRow * static_cast<double>(bars.size());
  std::string svg = fmt::format(
      "<svg class=\"bench-chart sanitizers\" viewBox=\"0 0 {0} {1}\" width=\"{0}\" "
      "height=\"{1}\" role=\"img\" aria-label=\"sanitizer overhead factors per run\">",
      kW, bottom + 20);
  // The documented ranges as labelled bands behind the bars.
  svg += fmt::format(
      "<rect class=\"band tsan\" x=\"{0:.1f}\" y=\"{1}\" width=\"{2:.1f}\" height=\"{3}\"/>"
      "<text class=\"band-label\" x=\"{4:.1f}\" y=\"{5}\">TSan documented 5\u201315\u00d7</text>"
      "<rect class=\"band asan\" x=\"{6:.1f}\" y=\"{1}\" width=\"{7:.1f}\" height=\"{3}\"/>"
      "<text class=\"band-label\" x=\"{8:.1f}\" y=\"{9}\">ASan documented \u22482\u00d7</text>",
      x(5), kTop - 6, x(15) - x(5), bottom - kTop + 6, (x(5) + x(15)) / 2, kTop - 10, x(1.5),
      x(2.5) - x(1.5), (x(1.5) + x(2.5)) / 2, kTop - 22);
  svg += x.grid(kTop - 6, bottom, decade_factor);
  svg += fmt::format("<line class=\"unity\" x1=\"{0:.1f}\" x2=\"{0:.1f}\" y1=\"{1}\" y2=\"{2}\"/>",
                     x(1), kTop - 6, bottom);
  double row_y = kTop;
  for (const auto& [name, t, a] : bars) {
    const bool total = &name == &std::get<0>(bars.back());
    svg += fmt::format("<text class=\"bar-label{}\" x=\"{}\" y=\"{:.1f}\">{}</text>",
                       total ? " total" : "", kLabel - 6, row_y + 16, escape(name));
    int lane = 0;
    for (const auto& [factor, which, cls] :
         {std::make_tuple(t, "TSan", "tsan"), std::make_tuple(a, "ASan", "asan")}) {
      const double top = row_y + 3 + 12 * lane++;
      if (!(factor > 0)) continue;
      svg += fmt::format(
          "<rect class=\"bar {}{}\" x=\"{}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"11\">"
          "<title>{} {}: {}</title></rect>"
          "<text class=\"bar-value small\" x=\"{:.1f}\" y=\"{:.1f}\">{} {}</text>",
          cls, total ? " total" : "", kLabel, top, std::max(1.0, x(factor) - kLabel), which,
          escape(name), times(factor, "{:.1f}"), x(factor) + 4, top + 9.5, which,
          times(factor, "{:.1f}"));
    }
    row_y += kRow;
  }
  svg += "</svg>";

  std::string table;
  for (const bench::SanitizerRun& run : runs) {
    table += fmt::format(
        "<tr><th scope=\"row\"><code>{}</code></th><td class=\"num\">{}</td>"
        "<td class=\"num\">{}</td><td class=\"num\">{}</td></tr>\n",
        escape(run.name), duration(run.plain_median_s), times(run.tsan, "{:.1f}"),
        times(run.asan, "{:.1f}"));
  }
  table += fmt::format(
      "<tr class=\"total\"><th scope=\"row\">every run, geometric mean</th><td></td>"
      "<td class=\"num\"><strong>{}</strong></td><td class=\"num\"><strong>{}</strong></td></tr>\n"
      "<tr><th scope=\"row\">documented</th><td></td><td class=\"num\">{}</td>"
      "<td class=\"num\">{}</td></tr>\n",
      times(all_tsan, "{:.1f}"), times(all_asan, "{:.1f}"),
      escape(text_of(san.documented, "tsan", "5-15x")),
      escape(text_of(san.documented, "asan", "about 2x")));
  return fmt::format(
      "<h3 id=\"bench-sanitizers\">Sanitizer overhead</h3>\n<p class=\"hint\">A sanitized run's "
      "time over the plain run of the same name, both at -O2; each row the geometric mean over "
      "its worker counts. The shaded bands are the documented costs. TSan pays per instrumented "
      "access, so loops of nothing but shared accesses pay far more than 15\u00d7 and runs that "
      "wait in the kernel almost nothing; factors below 1\u00d7 are the shared machine.</p>\n"
      "<figure class=\"bench-figure wide\">{}\n<table class=\"bench\"><thead><tr><th>run</th>"
      "<th>plain (median)</th><th>TSan</th><th>ASan+UBSan</th></tr></thead><tbody>\n{}</tbody>"
      "</table></figure>\n",
      svg, table);
}

// ---------------------------------------------------------------------------------------------
// The harness's own speed, and the pass's notes

std::string render_harness_speed(const ResultsView& view, const Summary& summary) {
  std::string rows;
  auto row = [&](std::string_view what, const std::string& figure, std::string_view note) {
    rows += fmt::format("<tr><th scope=\"row\">{}</th><td class=\"num\">{}</td><td>{}</td></tr>\n",
                        escape(what), escape(figure), escape(note));
  };
  const double suite = view.results->run.duration_seconds;
  if (std::isfinite(suite)) {
    row("suite wall time", format_seconds(suite),
        "casebook run, from the results file (run.duration_seconds)");
  }
  const bench::HarnessSpeed& speed = summary.harness_speed;
  for (const bench::RunnerRow& r : speed.runner) {
    const double overhead = r.overhead_ms;
    const std::string& name = r.name;
    if (std::isfinite(overhead)) {
      row(name.starts_with("harness/runner_command") ? "runner overhead per trial, whole command"
                                                     : "runner overhead per trial",
          fmt::format("{:.1f} ms", overhead),
          fmt::format("over a bare spawn of the same command; {} per trial",
                      duration(r.real_time_s)));
    } else {
      row("bare spawn of a trial command", duration(r.real_time_s), name);
    }
  }
  for (const bench::ParserRow& p : speed.parsers) {
    const std::string& name = p.name;
    row(name.find("tsan") != std::string::npos   ? "TSan log parser"
        : name.find("asan") != std::string::npos ? "ASan log parser"
                                                 : name,
        fmt::format("{:.0f} MB/s", p.mb_per_s), name);
  }
  const double steps = speed.model_steps_per_second;
  if (std::isfinite(steps)) {
    const double target = speed.model_target_steps_per_second;
    row("model scheduler", rate(steps) + " steps/s",
        fmt::format("random strategy, about half the steps switch threads{}",
                    std::isfinite(target) ? fmt::format("; target {} steps/s: {}", rate(target),
                                                        steps >= target ? "met" : "not met")
                                          : ""));
  }
  const double decision = speed.model_decision_ns;
  if (std::isfinite(decision)) {
    row("model scheduler, a step without a switch", fmt::format("{:.0f} ns", decision),
        "dfs's first schedule: the decision alone");
  }
  const double switch_step = speed.model_switch_step_ns;
  if (std::isfinite(switch_step)) {
    row("model scheduler, a step that switches", fmt::format("{:.0f} ns", switch_step),
        "a schedule alternating the two threads: one ucontext switch plus one decision");
  }
  const double switch_cost = speed.model_context_switch_ns;
  if (std::isfinite(switch_cost)) {
    row("model scheduler, one context switch", fmt::format("{:.0f} ns", switch_cost),
        "the difference of the two above");
  }
  if (speed.model.empty()) {
    row("model scheduler", "–", "not run in this pass (casebook-bench-model not built)");
  }
  if (rows.empty()) return {};
  return "<h3 id=\"bench-harness\">The harness's own speed</h3>\n<table class=\"bench "
         "harness-speed\"><thead><tr><th>what</th><th>figure</th><th>how</th></tr></thead>"
         "<tbody>\n" +
         rows + "</tbody></table>\n";
}

// The pass: how it ran (short or full, load), its notes, failed self-checks, and a warning
// when the machine was busy while it ran.
std::string render_notes(const Summary& summary, std::string_view source) {
  std::string out =
      fmt::format("<p class=\"bench-source\">From <code>{}</code>.</p>\n", escape(source));
  std::string notes;
  for (const std::string& n : summary.notes) {
    // run-bench.sh writes its notes in Markdown (`commands`, **failures**).
    notes += "<li>" + markdown_inline(n) + "</li>\n";
  }
  double worst_load = 0;
  int cpus = 0;
  std::string sources;
  for (const bench::Source& s : summary.sources) {
    const std::vector<double>& load = s.load_avg;
    std::string load_text = "?";
    if (!load.empty() && std::isfinite(load.front())) {
      load_text.clear();
      for (const double l : load) {
        if (std::isfinite(l)) load_text += fmt::format("{}{:.1f}", load_text.empty() ? "" : " ", l);
      }
      worst_load = std::max(worst_load, load.front());
    }
    cpus = std::max(cpus, s.num_cpus.value_or(0));
    std::string configs;
    for (const std::string& c : s.configurations) configs += (configs.empty() ? "" : "/") + c;
    sources += fmt::format("<li><code>{}</code>: {}, {} run(s), scale {}, load average {}{}</li>\n",
                           escape(s.file), escape(configs), s.runs, escape(s.scale.value_or("–")),
                           escape(load_text),
                           s.library_build_type == "debug" ? ", libbenchmark debug build" : "");
  }
  if (!notes.empty()) out += "<ul class=\"bench-notes\">\n" + notes + "</ul>\n";
  // More runnable tasks than cores at some point of the pass: another job competed for them.
  if (cpus > 0 && worst_load > cpus) {
    out += fmt::format(
        "<p class=\"warn\"><strong>Noisy machine:</strong> the load average reached {:.1f} on "
        "{} CPUs while the pass ran. Other work shared the cores: read every speedup through "
        "its <em>cores used</em>, and no figure here as the code's best.</p>\n",
        worst_load, cpus);
  }
  if (!sources.empty()) {
    out += "<details class=\"bench-sources\"><summary>inputs of the summary</summary><ul>\n" +
           sources + "</ul></details>\n";
  }
  std::string errors;
  for (const bench::SelfCheckError& e : summary.errors) {
    errors += fmt::format("<tr><td>{}</td><td><code>{}</code></td><td>{}</td></tr>\n",
                          escape(e.configuration), escape(e.name), escape(e.message));
  }
  if (!errors.empty()) {
    out +=
        "<p class=\"warn\"><strong>Failed self-checks:</strong> these runs computed a wrong "
        "answer and are left out of every figure.</p>\n<table class=\"bench\"><thead><tr>"
        "<th>configuration</th><th>run</th><th>error</th></tr></thead><tbody>\n" +
        errors + "</tbody></table>\n";
  }
  const double python = summary.python_vs_cpp.geomean;
  if (std::isfinite(python)) {
    out += fmt::format(
        "<p>The Python reference took {} the C++ time of the same runs (geometric mean; "
        "bench-summary.md has each).</p>\n",
        times(python, "{:.0f}"));
  }
  return out;
}

int cpus_of(const Summary& summary) {
  for (const bench::Source& s : summary.sources) {
    if (s.num_cpus.value_or(0) > 0) return *s.num_cpus;
  }
  return 0;
}

}  // namespace

std::string render_benchmarks(const ResultsView& view, const bench::Summary& summary,
                              std::string_view source) {
  std::string out =
      "<section id=\"benchmarks\" class=\"benchmarks\">\n<h2>Benchmarks</h2>\n<p "
      "class=\"hint\">The Google Benchmark pass of bench/ (bench/README.md): the catalog's "
      "workloads sequential, on threads and on processes, broken against fixed, plain against "
      "sanitized, and the harness's own speed. Timings from a shared machine are noisy.</p>\n";
  if (summary.skipped) {
    return out + fmt::format(
                     "<p class=\"bench-source\">From <code>{}</code>.</p>\n<p "
                     "class=\"warn\">The pass was skipped: {}.</p>\n</section>\n",
                     escape(source), escape(*summary.skipped));
  }
  out += render_notes(summary, source);
  out += render_scaling(summary, cpus_of(summary));
  out += render_contrasts(summary);
  out += render_sanitizers(summary);
  out += render_harness_speed(view, summary);
  return out + "</section>\n";
}

}  // namespace casebook::reports::html
