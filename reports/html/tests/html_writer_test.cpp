// Golden-file tests of the HTML report writer, plus the properties a page must have whatever
// its content: every frame link lands on a line, nothing from results.json becomes markup,
// nothing is loaded from the network.
//
// Goldens: the page for each sample in data/ is compared, after normalize() below, with
// golden/<sample>.html. On a mismatch the new page is written beside the golden file as
// <sample>.html.new for review; CASEBOOK_UPDATE_GOLDEN=1 rewrites the golden files instead.
// The inlined stylesheet and script are replaced by placeholders in goldens: they are
// checked here as files, and a style edit should not churn every golden page.
#include "html/html_writer.hpp"
#include "render_document.hpp"

#include "golden.hpp"
#include "scorecard/scorecard.hpp"
#include "sections.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

namespace casebook::reports {
namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

nlohmann::json load(const std::string& name) {
  return nlohmann::json::parse(slurp(std::string(HTML_TEST_DATA "/") + name));
}

// Replaces the body of the element that starts with `open` (up to `close`) by `placeholder`.
void replace_body(std::string& page, const std::string& open, const std::string& close,
                  const std::string& placeholder) {
  const auto start = page.find(open);
  if (start == std::string::npos) return;
  const auto body = start + open.size();
  const auto end = page.find(close, body);
  if (end == std::string::npos) return;
  page.replace(body, end - body, placeholder);
}

// The inputs are fixed files and the writer is deterministic, so their times, durations, pids
// and addresses stay in the golden file as they are: a writer that printed one wrong shows.
// Only what differs between checkouts is made stable: the inlined assets (their own files are
// the reference) and absolute paths of this machine's folders (a checkout, build or temp
// folder), which the page names where it read a case's sources.
std::string normalize(std::string page) {
  replace_body(page, "<style id=\"cb-style\">", "</style>", "\n/* assets/report.css */\n");
  replace_body(page, "<script id=\"cb-script\">", "</script>", "\n// assets/report.js\n");
  return std::regex_replace(page, std::regex(R"(/(tmp|home|root|work|build)/[^\s"'<>:)]*)"),
                            "<ABS>");
}

void expect_golden(const std::string& sample, const std::string& golden) {
  reports::testing::expect_matches_golden(normalize(testing::render_document(load(sample))),
                                          std::string(HTML_TEST_GOLDEN "/") + golden);
}

TEST(HtmlWriter, RealRunMatchesGolden) {
  expect_golden("sample_results.json", "sample_report.html");
}

TEST(HtmlWriter, EdgeCasesMatchGolden) {
  expect_golden("edge_results.json", "edge_report.html");
}

TEST(HtmlWriter, IsDeterministic) {
  const auto results = load("sample_results.json");
  EXPECT_EQ(testing::render_document(results), testing::render_document(results));
}

std::set<std::string> matches(const std::string& text, const std::string& pattern) {
  std::set<std::string> out;
  const std::regex re(pattern);
  for (auto it = std::sregex_iterator(text.begin(), text.end(), re); it != std::sregex_iterator();
       ++it) {
    out.insert((*it)[1].str());
  }
  return out;
}

TEST(HtmlWriter, EveryFrameLinkLandsOnALine) {
  for (const char* sample : {"sample_results.json", "edge_results.json"}) {
    const std::string page = testing::render_document(load(sample));
    const auto ids = matches(page, R"re(id="([^"]+)")re");
    const auto targets = matches(page, R"re(data-line="([^"]+)")re");
    EXPECT_FALSE(targets.empty()) << sample;
    for (const auto& t : targets) EXPECT_TRUE(ids.count(t)) << sample << ": no line " << t;
    for (const auto& href : matches(page, R"re(href="#([^"]+)")re")) {
      if (href.starts_with("focus:")) continue;  // a view of one case, not an element
      EXPECT_TRUE(ids.count(href)) << sample << ": link to missing #" << href;
    }
  }
}

TEST(HtmlWriter, TheRaceShowsBothAccessesLinkedToTheirLines) {
  const std::string page = testing::render_document(load("sample_results.json"));
  // unlocked_counter's TSan report: the read at broken.cpp:33 and the write at broken.cpp:35.
  EXPECT_NE(page.find("data-line=\"L-unlocked_counter-broken_cpp-33\">broken.cpp:33</a>"),
            std::string::npos);
  EXPECT_NE(page.find("data-line=\"L-unlocked_counter-broken_cpp-35\">broken.cpp:35</a>"),
            std::string::npos);
  EXPECT_NE(page.find("<td class=\"ln hit\" id=\"L-unlocked_counter-broken_cpp-33\""),
            std::string::npos);
}

// Cases from CASEBOOK_EXTRA_CASES folders (reports/tests/data/extra_case_results.json): their
// frames and the model's blocked threads, named relative to the folder holding the case under
// its base id, link to the case's own source lines like the catalog's.
TEST(HtmlWriter, FramesOfCasesFromOutsideTheCatalogLinkToTheirLines) {
  const std::string page = testing::render_document(
      nlohmann::json::parse(slurp(REPORTS_TEST_DATA "/extra_case_results.json")));
  const auto ids = matches(page, R"re(id="([^"]+)")re");
  const auto targets = matches(page, R"re(data-line="([^"]+)")re");
  for (const auto& t : targets) EXPECT_TRUE(ids.count(t)) << "no line " << t;
  // request_ids' racy read (TSan and the model) and crossed_locks' blocked second locks.
  for (const char* line : {"L-request_ids-broken_cpp-27", "L-crossed_locks-broken_cpp-21",
                           "L-crossed_locks-broken_cpp-27"}) {
    EXPECT_TRUE(targets.count(line)) << line;
  }
}

// A verdict whose trials had reports suppressed (Valgrind's) says so in its cell of the
// case's verdict table, in one line summed over the trials; other cells say nothing.
TEST(HtmlWriter, AVerdictCellNamesTheSuppressionsThatFired) {
  auto results = load("sample_results.json");
  EXPECT_EQ(testing::render_document(results).find("class=\"suppressed\""), std::string::npos);
  for (auto& v : results["verdicts"]) {
    if (v["case"] != "unlocked_counter" || v["variant"] != "fixed" || v["detector"] != "tsan")
      continue;
    for (auto& trial : v["trials"]) {
      trial["suppressed"] = {{{"name", "helgrind-libgcc-unwind-raise"}, {"count", 2}},
                             {{"name", "<drd>"}, {"count", 1}}};
    }
    ASSERT_EQ(v["trials"].size(), 1u);
  }
  const std::string page = testing::render_document(results);
  const std::string cell =
      "id=\"" + html::verdict_anchor("unlocked_counter", "fixed", "tsan") + "\"";
  const auto at = page.find(cell);
  ASSERT_NE(at, std::string::npos);
  const auto line = page.find(
      "<div class=\"suppressed\">suppressed: 2x helgrind-libgcc-unwind-raise, 1x &lt;drd&gt;</div>",
      at);
  EXPECT_LT(line, page.find("</td>", at));
}

TEST(HtmlWriter, OneMatrixRowPerCase) {
  const auto results = load("sample_results.json");
  const std::string page = testing::render_document(results);
  const std::regex row(R"(<tr data-case=")");
  const auto rows =
      std::distance(std::sregex_iterator(page.begin(), page.end(), row), std::sregex_iterator());
  EXPECT_EQ(static_cast<std::size_t>(rows), results["cases"].size());
}

TEST(HtmlWriter, TextFromResultsNeverBecomesMarkup) {
  const std::string page = testing::render_document(load("edge_results.json"));
  const std::string body = page.substr(
      page.find("<body>"), page.find("<script id=\"cb-script\">") - page.find("<body>"));
  EXPECT_EQ(body.find("<script"), std::string::npos);
  EXPECT_EQ(body.find("<img"), std::string::npos);
  EXPECT_EQ(body.find("onerror="), std::string::npos);
  EXPECT_NE(body.find("&lt;script&gt;alert(&quot;stack&quot;)&lt;/script&gt;"), std::string::npos);
  EXPECT_EQ(page.find('\x1b'), std::string::npos) << "ANSI codes must be stripped";
  EXPECT_EQ(page.find('\x07'), std::string::npos) << "control characters must be dropped";
}

TEST(HtmlWriter, NothingIsLoadedFromTheNetwork) {
  for (const char* sample : {"sample_results.json", "edge_results.json"}) {
    const std::string page = testing::render_document(load(sample));
    EXPECT_FALSE(std::regex_search(page, std::regex(R"re(\b(src|srcset)\s*=)re"))) << sample;
    EXPECT_FALSE(std::regex_search(page, std::regex(R"re(<link\b)re"))) << sample;
    EXPECT_FALSE(std::regex_search(page, std::regex(R"re(url\(\s*['"]?(https?:)?//)re"))) << sample;
    EXPECT_EQ(page.find("@import"), std::string::npos) << sample;
    EXPECT_NE(page.find("Content-Security-Policy\" content=\"default-src 'none'"),
              std::string::npos);
  }
}

TEST(HtmlWriter, AssetsCannotCloseTheirElement) {
  EXPECT_EQ(slurp(HTML_ASSETS "/report.js").find("</script"), std::string::npos);
  EXPECT_EQ(slurp(HTML_ASSETS "/report.css").find("</style"), std::string::npos);
  const std::string page = testing::render_document(load("sample_results.json"));
  EXPECT_NE(page.find(slurp(HTML_ASSETS "/report.js")), std::string::npos)
      << "the script is inlined as is";
}

TEST(HtmlWriter, RatesShowOnlyForRepeatedRuns) {
  auto results = load("edge_results.json");
  EXPECT_NE(testing::render_document(results).find("<span class=\"rate\">2/3</span>"),
            std::string::npos);
  results["run"]["repeat"] = 1;
  EXPECT_EQ(testing::render_document(results).find("<span class=\"rate\">2/3</span>"),
            std::string::npos);
}

// A may-find pair's rate is its whole story: it shows in its cell even without --repeat, and
// its expectation reads as a chance symptom, not as an expected finding.
TEST(HtmlWriter, AMayFindShowsItsRateWithoutRepeat) {
  auto results = load("edge_results.json");
  results["run"]["repeat"] = 1;
  ASSERT_EQ(testing::render_document(results).find("<span class=\"rate\">2/3</span>"),
            std::string::npos);
  bool marked = false;
  for (auto& v : results["verdicts"]) {
    if (!v.contains("trials") || v["trials"].size() != 3 || v.value("variant", "") != "broken") {
      continue;
    }
    v["expected"] = {{"verdict", "may-find"},
                     {"declared", true},
                     {"kinds", v["expected"].value("kinds", nlohmann::json::array())}};
    marked = true;
  }
  ASSERT_TRUE(marked) << "edge_results.json has a broken pair with 3 trials";
  const std::string page = testing::render_document(results);
  EXPECT_NE(page.find("<span class=\"rate\">2/3</span>"), std::string::npos);
  EXPECT_NE(page.find("a chance symptom, a pass either way"), std::string::npos);
}

TEST(HtmlWriter, AStandaloneProgramShowsItsVerdictsInTheMatrixAndItsCase) {
  // A real run's results with one broken variant turned into a labelled single program
  // (variant "program", may-find of any kind), as `casebook run --programs` writes them.
  auto results = load("edge_results.json");
  std::string name;
  for (auto& v : results["verdicts"]) {
    if (v.value("variant", "") != "broken" || !v.contains("trials") || v["trials"].empty()) {
      continue;
    }
    if (name.empty()) name = v.value("case", "");
    if (v.value("case", "") != name) continue;
    v["variant"] = "program";
    v["positive"] = true;
    v["expected"] = {{"verdict", "may-find"}, {"declared", true}, {"kinds", {"*"}}};
  }
  ASSERT_FALSE(name.empty());
  const std::string page = testing::render_document(results);
  // The matrix's first column holds the program's verdicts, with their links.
  EXPECT_NE(page.find("data-variant=\"program\""), std::string::npos);
  EXPECT_NE(page.find("title=\"a single program: no fixed twin\""), std::string::npos);
  // Its case table heads the column "program", and a rate counts any kind for "*".
  EXPECT_NE(page.find("<th>detector</th><th>program</th>"), std::string::npos);
  EXPECT_NE(page.find("may find any finding"), std::string::npos);
  EXPECT_EQ(page.find("may find *"), std::string::npos);
}

TEST(HtmlWriter, ARunOverSeveralCorporaShowsAScorecardTablePerCorpus) {
  // A real run's results with one case moved into a --programs folder of its own, scored
  // again as `casebook run` and `casebook report` score them.
  auto results = load("edge_results.json");
  const std::string moved = results["verdicts"][0].value("case", "");
  for (auto& v : results["verdicts"]) {
    if (v.value("case", "") == moved) v["file_base"] = "%PROGRAMS_MINE%";
  }
  results["source_bases"]["%PROGRAMS_MINE%"] = {{"path", "/corpora/mine"},
                                                {"description", "a --programs folder"}};
  results["scorecard"] =
      results::to_json(casebook::reports::scorecard_of(results::read_results(results)));
  const std::string page = testing::render_document(results);
  EXPECT_NE(page.find("each alone"), std::string::npos);
  EXPECT_NE(page.find("<h3>catalog</h3>"), std::string::npos);
  EXPECT_NE(page.find("<h3>mine</h3>"), std::string::npos);
  // Three tables: the whole run's and one per corpus.
  std::size_t tables = 0;
  for (auto at = page.find("<table class=\"scorecard\">"); at != std::string::npos;
       at = page.find("<table class=\"scorecard\">", at + 1)) {
    ++tables;
  }
  EXPECT_EQ(tables, 3u);
  // One corpus: no per-corpus tables.
  results["scorecard"].erase("corpora");
  EXPECT_EQ(testing::render_document(results).find("each alone"), std::string::npos);
}

TEST(HtmlWriter, EnvironmentNamesTheBuildCommitOnlyWhenItAddsSomething) {
  auto results = load("edge_results.json");
  auto& env = results["environment"];
  const std::string other(40, 'f');
  env["build_commit"] = other;
  env["build_dirty"] = true;
  EXPECT_NE(testing::render_document(results).find("<tr><th>built from</th><td><code>" + other +
                                                   "</code> with uncommitted changes</td></tr>"),
            std::string::npos);
  env["build_commit"] = env["git_commit"];
  EXPECT_NE(testing::render_document(results).find(
                "<tr><th>built from</th><td>this commit with uncommitted changes</td></tr>"),
            std::string::npos);
  env["build_dirty"] = false;
  EXPECT_EQ(testing::render_document(results).find("<th>built from</th>"), std::string::npos);
}

TEST(HtmlWriter, RendersWithoutCaseTexts) {
  auto results = load("sample_results.json");
  results.erase("cases");
  const std::string page = testing::render_document(results);
  EXPECT_NE(page.find("does not carry the case's source text"), std::string::npos);
}

// 32 declared known false positives (passing) beside one real failure: the verdict mix, the
// badges and the chips keep them apart, and only the failure is painted in the failures' red.
TEST(HtmlWriter, PassingKnownFalsePositivesAreNotPaintedAsFailures) {
  auto results = load("sample_results.json");
  nlohmann::json& verdicts = results["verdicts"];
  const nlohmann::json model = verdicts.at(0);
  for (int i = 0; i < 32; ++i) {
    nlohmann::json v = model;
    v["case"] = "known_fp_" + std::to_string(i);
    v["variant"] = "fixed";
    v["detector"] = "helgrind";
    v["verdict"] = "false-positive";
    v["passed"] = true;
    v["expected"] = {{"verdict", "false-positive"},
                     {"declared", true},
                     {"kinds", {"unlocked-signal"}},
                     {"reason", "Helgrind flags every signal sent without the mutex"}};
    verdicts.push_back(v);
  }
  nlohmann::json failure = model;
  failure["case"] = "real_failure";
  failure["variant"] = "fixed";
  failure["verdict"] = "false-positive";
  failure["passed"] = false;
  failure["expected"] = {{"verdict", "clean"}, {"declared", false}};
  verdicts.push_back(failure);
  const std::string page = testing::render_document(results);

  EXPECT_NE(page.find("<span class=\"mix-part v-known-false-positive\" style=\"flex-grow:32\" "
                      "title=\"known-false-positive: 32\">"),
            std::string::npos);
  EXPECT_NE(page.find("<span class=\"mix-part v-false-positive\" style=\"flex-grow:1\" "
                      "title=\"false-positive: 1\">"),
            std::string::npos)
      << "the one failure stays red, counted alone";
  EXPECT_NE(page.find("data-value=\"known-false-positive\""), std::string::npos)
      << "a verdict chip of its own";
  const auto legend_at = page.find("<p class=\"legend\">");
  ASSERT_NE(legend_at, std::string::npos);
  const std::string legend = page.substr(legend_at, page.find("</p>", legend_at) - legend_at);
  EXPECT_NE(legend.find("<span class=\"badge v-clean\">clean</span> <span class=\"badge "
                        "v-known-false-positive\">known-false-positive</span> <span class=\"badge "
                        "v-missed\">"),
            std::string::npos)
      << "a legend entry of its own, with the passing kinds: " << legend;
  EXPECT_NE(page.find("known-false-positive: the detector reported what the case declares"),
            std::string::npos);

  // Its colour is its own rule, in neither of the failures' colours.
  const std::string css = slurp(HTML_ASSETS "/report.css");
  std::smatch rule;
  ASSERT_TRUE(std::regex_search(css, rule, std::regex(R"(\.v-known-false-positive \{([^}]*)\})")))
      << "no .v-known-false-positive rule in report.css";
  EXPECT_EQ(rule[1].str().find("--bad"), std::string::npos) << rule[1];
  EXPECT_EQ(rule[1].str().find("--err"), std::string::npos) << rule[1];
  EXPECT_FALSE(std::regex_search(css, std::regex(R"(\.v-known-false-positive\s*,)")))
      << "it shares no rule with another verdict";
  const std::regex any_rule(R"(\.v-known-false-positive\b)");
  EXPECT_EQ(
      std::distance(std::sregex_iterator(css.begin(), css.end(), any_rule), std::sregex_iterator()),
      1)
      << "one rule, so no later one overrides it";
}

TEST(HtmlWriter, RejectsAFileThatIsNotResults) {
  EXPECT_THROW(testing::render_document(nlohmann::json{{"hello", 1}}), std::invalid_argument);
  EXPECT_THROW(testing::render_document(nlohmann::json::array()), std::invalid_argument);
}

}  // namespace
}  // namespace casebook::reports
