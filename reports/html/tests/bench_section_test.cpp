// Tests of the HTML report's Benchmarks section (section_benchmarks.cpp) and of reading
// bench-summary.json (bench_summary.hpp), on a real short pass's summary
// (data/bench_summary.json: bench/run-bench.sh --short, model scheduler included). The expected
// numbers of charts, lines, markers and bars are counted from the summary itself, so the test
// holds for any real pass, and a chart that drops a series or a point fails it.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "html/bench_summary.hpp"
#include "html/html_writer.hpp"
#include "render_document.hpp"

namespace casebook::reports {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

json load(const std::string& name) {
  return json::parse(slurp(std::string(HTML_TEST_DATA "/") + name));
}

std::size_t count(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

// The part of the page between <section id="benchmarks"> and its end.
std::string section_of(const std::string& page) {
  const auto start = page.find("<section id=\"benchmarks\"");
  if (start == std::string::npos) return {};
  return page.substr(start, page.find("</section>", start) - start);
}

// The page with a summary given as JSON, read as `casebook report --bench` reads it.
std::string render(const json& bench, const std::string& source = "bench-summary.json") {
  const bench::Summary summary = bench::read_bench_summary(bench);
  return testing::render_document(load("sample_results.json"), BenchInput{&summary, source});
}

// The series the speedup charts must show: plain and python, counters left out, each
// (configuration, workload, variant) at its largest size.
std::vector<const json*> charted_series(const json& summary) {
  std::map<std::string, std::string> largest;
  auto key = [](const json& s) {
    return s.value("configuration", "") + "|" + s.value("workload", "") + "|" +
           s.value("variant", "");
  };
  auto bigger = [](const std::string& a, const std::string& b) {
    return a.size() != b.size() ? a.size() > b.size() : a > b;
  };
  for (const json& s : summary.at("series")) {
    const std::string config = s.value("configuration", "");
    if ((config != "plain" && config != "python") || s.value("workload", "") == "counters")
      continue;
    auto& best = largest[key(s)];
    if (best.empty() || bigger(s.at("size").dump(), best)) best = s.at("size").dump();
  }
  std::vector<const json*> out;
  for (const json& s : summary.at("series")) {
    const auto it = largest.find(key(s));
    if (it != largest.end() && it->second == s.at("size").dump()) out.push_back(&s);
  }
  return out;
}

class BenchSection : public ::testing::Test {
 protected:
  void SetUp() override {
    summary_ = load("bench_summary.json");
    page_ = render(summary_);
    section_ = section_of(page_);
    ASSERT_FALSE(section_.empty());
  }
  json summary_;
  std::string page_, section_;
};

TEST_F(BenchSection, OnlyWithASummaryAndLinkedFromTheNavigation) {
  const std::string plain = testing::render_document(load("sample_results.json"));
  EXPECT_EQ(plain.find("id=\"benchmarks\""), std::string::npos);
  EXPECT_EQ(plain.find("href=\"#benchmarks\""), std::string::npos);
  EXPECT_EQ(plain, testing::render_document(load("sample_results.json"), BenchInput{}))
      << "no summary: the page must be byte-identical (the goldens rely on it)";
  const std::string nav = page_.substr(0, page_.find("</nav>"));
  EXPECT_NE(nav.find("<a href=\"#benchmarks\">Benchmarks</a>"), std::string::npos);
  EXPECT_NE(section_.find("From <code>bench-summary.json</code>"), std::string::npos);
}

TEST_F(BenchSection, OneSpeedupChartPerWorkloadWithEveryPoint) {
  const auto series = charted_series(summary_);
  ASSERT_FALSE(series.empty());
  std::set<std::string> groups;
  std::map<std::string, std::size_t> lines, points;
  for (const json* s : series) {
    groups.insert(s->value("configuration", "") + s->value("workload", "") +
                  s->value("variant", ""));
    const std::string mode = s->value("mode", "");
    ++lines[mode];
    for (const json& p : s->at("points")) {
      if (p.at("speedup").is_number()) ++points[mode];
    }
  }
  EXPECT_EQ(count(section_, "<svg class=\"bench-chart speedup\""), groups.size());
  EXPECT_EQ(count(section_, "<line class=\"ideal\""), groups.size()) << "an ideal per chart";
  EXPECT_EQ(count(section_, "<table class=\"bench speedup-table\""), groups.size());
  for (const char* mode : {"threads", "processes"}) {
    EXPECT_EQ(count(section_, std::string("<polyline class=\"curve ") + mode + "\""), lines[mode])
        << mode;
    EXPECT_EQ(count(section_, std::string("class=\"marker ") + mode + "\""), points[mode]) << mode;
    EXPECT_EQ(count(section_, std::string("<text class=\"line-label ") + mode + "\""), lines[mode])
        << mode << ": every line is named in text, not only by colour";
  }
  // The numbers are in the tables too: every plotted speedup, as the table writes it.
  for (const json* s : series) {
    for (const json& p : s->at("points")) {
      if (!p.at("speedup").is_number()) continue;
      const std::string cell =
          fmt::format("<td class=\"num\">{:.2f}\u00d7 <span class=\"muted\">({:.0f}%)</span></td>",
                      p.at("speedup").get<double>(), 100 * p.at("efficiency").get<double>());
      EXPECT_NE(section_.find(cell), std::string::npos) << cell;
    }
  }
}

TEST_F(BenchSection, BrokenAgainstFixedBarsSayWhichIsBroken) {
  const json& contrasts = summary_.at("broken_vs_fixed");
  ASSERT_GE(contrasts.size(), 3u) << "counters, queue throughput, queue latency";
  std::size_t bars = 0, broken = 0;
  for (const json& c : contrasts) {
    for (const json& r : c.at("rows")) {
      ++bars;
      if (r.at("broken").get<bool>()) {
        ++broken;
        EXPECT_NE(section_.find(">" + r.at("variant").get<std::string>() + " (broken)</text>"),
                  std::string::npos)
            << r.at("variant");
      }
    }
  }
  EXPECT_EQ(count(section_, "<svg class=\"bench-chart bars\""), contrasts.size());
  EXPECT_EQ(count(section_, "<rect class=\"bar\"") + count(section_, "<rect class=\"bar broken\""),
            bars);
  EXPECT_EQ(count(section_, "<rect class=\"bar broken\""), broken);
  std::size_t counted = 0;
  for (const json& c : contrasts) {
    for (const json& r : c.at("rows")) {
      if (!r.value("lost_fraction", json()).is_number()) continue;
      ++counted;
      const double lost = r.at("lost_fraction");
      EXPECT_NE(section_.find(
                    fmt::format("{}lost {:.0f}%</text>", lost > 0 ? "wrong: " : "", 100 * lost)),
                std::string::npos)
          << "the unsynchronised counter's lost increments are written on its bar";
    }
  }
  EXPECT_EQ(counted, 1u) << "the unsynchronised counter";
}

TEST_F(BenchSection, SanitizerBarsAgainstTheDocumentedBands) {
  std::set<std::string> runs;
  for (const json& r : summary_.at("sanitizer_overhead").at("rows")) {
    const std::string name = r.at("name");
    runs.insert(std::regex_replace(name, std::regex("/workers:[0-9]+"), ""));
  }
  ASSERT_FALSE(runs.empty());
  // One TSan and one ASan bar per run, plus the geometric mean's pair.
  EXPECT_EQ(count(section_, "<rect class=\"bar tsan"), runs.size() + 1);
  EXPECT_EQ(count(section_, "<rect class=\"bar asan"), runs.size() + 1);
  EXPECT_EQ(count(section_, "<rect class=\"band tsan\""), 1u);
  EXPECT_EQ(count(section_, "<rect class=\"band asan\""), 1u);
  EXPECT_NE(section_.find("TSan documented 5\u201315\u00d7"), std::string::npos);
  EXPECT_NE(section_.find("ASan documented \u22482\u00d7"), std::string::npos);
  const double tsan = summary_.at("sanitizer_overhead").at("geomean").at("tsan");
  EXPECT_NE(section_.find(fmt::format("<strong>{:.1f}\u00d7</strong>", tsan)), std::string::npos);
  EXPECT_NE(section_.find(fmt::format(">TSan {:.1f}\u00d7</text>", tsan)), std::string::npos)
      << "the geometric mean's bar is labelled with its sanitizer and factor";
}

TEST_F(BenchSection, HarnessSpeedWithTheModelSchedulerAndTheSuitesWallTime) {
  const json& speed = summary_.at("harness_speed");
  ASSERT_TRUE(speed.at("model_steps_per_second").is_number()) << "the pass ran the model bench";
  const std::string table = section_.substr(section_.find("id=\"bench-harness\""));
  EXPECT_NE(table.find("steps/s"), std::string::npos);
  EXPECT_NE(table.find("suite wall time"), std::string::npos) << "from results.json's run";
  EXPECT_NE(table.find(fmt::format("{:.1f} ms", speed.at("runner_overhead_ms").get<double>())),
            std::string::npos);
  for (const json& p : speed.at("parsers")) {
    EXPECT_NE(table.find(fmt::format("{:.0f} MB/s", p.at("mb_per_s").get<double>())),
              std::string::npos);
  }
  EXPECT_NE(table.find(fmt::format("{:.0f} ns", speed.at("model_switch_step_ns").get<double>())),
            std::string::npos);
}

TEST_F(BenchSection, NotesAndTheNoisyMachineWarning) {
  for (const json& note : summary_.at("notes")) {
    const std::string text = note;
    // The notes carry backquotes and quotes; compare a stretch without markup characters.
    const std::string start = text.substr(0, text.find_first_of("`'\"&<>"));
    EXPECT_NE(section_.find("<li>" + start), std::string::npos) << text;
  }
  json busy = summary_;
  for (json& s : busy.at("sources")) s["load_avg"] = {9.5, 3.0, 2.0};
  EXPECT_NE(section_of(render(busy)).find("Noisy machine:</strong> the load average reached 9.5"),
            std::string::npos);
  json idle = summary_;
  for (json& s : idle.at("sources")) s["load_avg"] = {0.1, 0.1, 0.1};
  EXPECT_EQ(section_of(render(idle)).find("Noisy machine"), std::string::npos);
}

TEST(BenchSectionEdges, TextFromTheSummaryNeverBecomesMarkup) {
  json bench = load("bench_summary.json");
  bench["notes"] = {"<script>alert(1)</script>"};
  bench["series"][0]["workload"] = "<img src=x onerror=alert(2)>";
  bench["errors"] = {{{"configuration", "plain"}, {"name", "x<b>"}, {"message", "</td>"}}};
  const std::string section = section_of(render(bench, "<i>file</i>"));
  EXPECT_EQ(section.find("<script"), std::string::npos);
  EXPECT_EQ(section.find("<img"), std::string::npos);
  EXPECT_EQ(section.find("<i>file"), std::string::npos);
  EXPECT_NE(section.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(section.find("Failed self-checks"), std::string::npos);
}

// sanitizer_overhead.runs is the one part the schema leaves out of older summaries.
TEST(BenchSectionEdges, AnOlderSummaryAndASkippedPassStillRender) {
  json older = load("bench_summary.json");
  older["sanitizer_overhead"].erase("runs");
  const std::string section = section_of(render(older));
  EXPECT_NE(section.find("no per-run sanitizer means"), std::string::npos);
  EXPECT_EQ(section.find("<rect class=\"bar tsan"), std::string::npos);
  EXPECT_NE(section.find("older bench/summarise.py"), std::string::npos);
  EXPECT_NE(section.find("<svg class=\"bench-chart speedup\""), std::string::npos);

  const json skipped = {{"schema_version", 1}, {"skipped", "python3 not found"}};
  const std::string s = section_of(render(skipped));
  EXPECT_NE(s.find("The pass was skipped: python3 not found"), std::string::npos);
  EXPECT_EQ(s.find("<svg"), std::string::npos);
}

TEST(BenchSectionEdges, EveryInPageLinkLands) {
  const std::string page = render(load("bench_summary.json"));
  std::set<std::string> ids;
  const std::regex id_re(R"re(id="([^"]+)")re"), href_re(R"re(href="#([^"]+)")re");
  for (auto it = std::sregex_iterator(page.begin(), page.end(), id_re);
       it != std::sregex_iterator(); ++it)
    ids.insert((*it)[1].str());
  for (auto it = std::sregex_iterator(page.begin(), page.end(), href_re);
       it != std::sregex_iterator(); ++it) {
    const std::string target = (*it)[1].str();
    if (target.starts_with("focus:")) continue;
    EXPECT_TRUE(ids.count(target)) << target;
  }
}

// Reading: every way a --bench file can be unusable is refused with the file named.
class BenchFile : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("casebook-bench-file-" +
            std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string write(const std::string& name, const std::string& text) {
    const fs::path p = dir_ / name;
    std::ofstream(p, std::ios::binary) << text;
    return p.string();
  }
  void expect_refused(const std::string& path, const std::string& message) {
    try {
      load_bench_summary(path);
      ADD_FAILURE() << path << " was accepted";
    } catch (const BenchSummaryError& e) {
      const std::string what = e.what();
      EXPECT_NE(what.find(message), std::string::npos) << what;
      EXPECT_NE(what.find(path), std::string::npos) << "names the file: " << what;
    }
  }
  fs::path dir_;
};

TEST_F(BenchFile, TheRealSummaryIsReadWhole) {
  const json file = load("bench_summary.json");
  const bench::Summary read = load_bench_summary(HTML_TEST_DATA "/bench_summary.json");
  EXPECT_FALSE(read.skipped.has_value());
  ASSERT_EQ(read.series.size(), file.at("series").size());
  ASSERT_FALSE(read.series.empty());
  EXPECT_EQ(read.series[0].workload, file.at("series")[0].at("workload"));
  EXPECT_EQ(read.series[0].points.size(), file.at("series")[0].at("points").size());
  EXPECT_EQ(read.sources.size(), file.at("sources").size());
  EXPECT_EQ(read.gil.size(), file.at("gil").size());
  EXPECT_EQ(read.other.size(), file.at("other").size());
  EXPECT_EQ(read.broken_vs_fixed.size(), file.at("broken_vs_fixed").size());
  EXPECT_EQ(read.sanitizer_overhead.rows.size(), file.at("sanitizer_overhead").at("rows").size());
  EXPECT_EQ(read.harness_speed.parsers.size(), file.at("harness_speed").at("parsers").size());
  EXPECT_EQ(read.notes, file.at("notes").get<std::vector<std::string>>());
  EXPECT_EQ(read.series[0].points[0].speedup,
            file.at("series")[0].at("points")[0].at("speedup").get<double>());
  // A figure summarise.py could not compute is null in the file and NaN once read.
  json with_null = file;
  with_null["series"][0]["points"][0]["speedup"] = nullptr;
  EXPECT_TRUE(std::isnan(bench::read_bench_summary(with_null).series[0].points[0].speedup));
}

// The schema node a "$ref" names, or the node itself.
const json& resolved(const json& schema, const json& node) {
  if (!node.contains("$ref")) return node;
  const std::string ref = node.at("$ref");
  return schema.at("$defs").at(ref.substr(ref.rfind('/') + 1));
}

bool takes_an_object(const json& node) {
  const json type = node.value("type", json());
  if (type.is_string()) return type == "object";
  if (type.is_array()) return std::find(type.begin(), type.end(), "object") != type.end();
  return node.contains("properties") || node.contains("additionalProperties");
}

// One change that must be refused: the document without a field or with it of another type,
// and the field's path, which the refusal must name.
struct Breakage {
  json doc;
  std::string path;
  std::string how;
};

// Walks `value` (at `pointer` in `root`) beside its schema node and adds, for every field the
// schema describes, its removal when the schema requires it and its replacement by a value of
// the wrong type. Arrays: their first element stands for the rest.
void breakages(const json& schema, const json& node, const json& root,
               const json::json_pointer& pointer, const std::string& path,
               std::vector<Breakage>& out) {
  const json& value = root.at(pointer);
  if (value.is_array()) {
    if (!value.empty() && node.contains("items")) {
      breakages(schema, resolved(schema, node.at("items")), root, pointer / 0, path + "[0]", out);
    }
    return;
  }
  if (!value.is_object()) return;
  std::set<std::string> required;
  for (const json* list : {&node, pointer.empty() ? &schema.at("else") : &node}) {
    for (const json& name : list->value("required", json::array())) required.insert(name);
  }
  for (const auto& [key, member] : value.items()) {
    const json* child = nullptr;
    if (node.contains("properties") && node.at("properties").contains(key)) {
      child = &resolved(schema, node.at("properties").at(key));
    } else if (node.value("additionalProperties", json()).is_object()) {
      child = &resolved(schema, node.at("additionalProperties"));
    }
    if (child == nullptr) continue;
    const std::string at = path.empty() ? key : path + "." + key;
    if (required.count(key)) {
      json doc = root;
      doc.at(pointer).erase(key);
      out.push_back({std::move(doc), at, "removed"});
    }
    json doc = root;
    doc.at(pointer / key) = takes_an_object(*child) ? json("not an object") : json{{"a", "b"}};
    out.push_back({std::move(doc), at, "mistyped"});
    breakages(schema, *child, root, pointer / key, at, out);
  }
}

TEST_F(BenchFile, EveryFieldTheSchemaDescribesIsCheckedByItsPath) {
  const json schema = json::parse(slurp(BENCH_SUMMARY_SCHEMA));
  const json real = load("bench_summary.json");
  std::vector<Breakage> broken;
  breakages(schema, schema, real, json::json_pointer(), "", broken);
  ASSERT_GT(broken.size(), 150u) << "the walk found too few fields: is the schema read?";
  for (std::size_t i = 0; i < broken.size(); ++i) {
    SCOPED_TRACE(broken[i].path + " " + broken[i].how);
    const std::string path = write("broken-" + std::to_string(i) + ".json", broken[i].doc.dump());
    try {
      load_bench_summary(path);
      ADD_FAILURE() << "accepted";
    } catch (const BenchSummaryError& e) {
      const std::string what = e.what();
      EXPECT_NE(what.find(broken[i].path), std::string::npos) << what;
      EXPECT_NE(what.find(path), std::string::npos) << "names the file: " << what;
    }
  }
}

TEST_F(BenchFile, WordsTheSchemaEnumeratesAreTheOnlyOnesTaken) {
  json doc = load("bench_summary.json");
  doc["series"][0]["mode"] = "fibers";
  expect_refused(write("mode.json", doc.dump()),
                 "series[0].mode: expected \"threads\" or \"processes\", found \"fibers\"");
  doc = load("bench_summary.json");
  doc["series"][0]["baseline"]["kind"] = "parallel";
  expect_refused(write("kind.json", doc.dump()), "series[0].baseline.kind: expected");
  doc = load("bench_summary.json");
  doc["series"][0]["points"][0]["workers"] = 0;
  expect_refused(write("workers.json", doc.dump()),
                 "series[0].points[0].workers: expected a worker count of 1 or more");
}

TEST_F(BenchFile, ASkippedPassIsItsReasonAlone) {
  const bench::Summary read = load_bench_summary(
      write("skipped.json", R"({"schema_version": 1, "skipped": "python3 not found"})"));
  EXPECT_EQ(read.skipped, std::optional<std::string>("python3 not found"));
  EXPECT_TRUE(read.series.empty());
  expect_refused(write("skipped-number.json", R"({"schema_version": 1, "skipped": 3})"),
                 "skipped: expected a string");
}

TEST_F(BenchFile, BadFilesAreRefusedWithTheFix) {
  const std::string whole = slurp(HTML_TEST_DATA "/bench_summary.json");
  json newer = json::parse(whole);
  newer["schema_version"] = 2;
  expect_refused((dir_ / "missing.json").string(), "no such file");
  expect_refused(dir_.string(), "is a folder");
  expect_refused(write("empty.json", " \n"), "is empty");
  expect_refused(write("truncated.json", whole.substr(0, whole.size() / 2)), "not valid JSON");
  expect_refused(write("newer.json", newer.dump()), "schema_version 2; this casebook reads 1");
  expect_refused(write("raw.json", R"({"context": {}, "benchmarks": []})"),
                 "not a benchmark summary");
}

}  // namespace
}  // namespace casebook::reports
