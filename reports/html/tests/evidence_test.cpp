// Tests of the property counterexample and the model checker's interleaving in the HTML
// report, on the report writers' real sample (reports/tests/data/real_results.json, captured
// by capture_sample.sh from a run of the property and model detectors): what the page shows
// is compared with what the sample holds, and broken records render without the section.
#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "html/html_writer.hpp"
#include "html_text.hpp"
#include "render_document.hpp"

namespace casebook::reports {
namespace {

using nlohmann::json;

json load_real() {
  std::ifstream in(REPORTS_TEST_DATA "/real_results.json", std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return json::parse(s.str());
}

json& verdict(json& results, const std::string& variant, const std::string& detector) {
  for (json& v : results.at("verdicts")) {
    if (v.at("case") == "unlocked_counter" && v.at("variant") == variant &&
        v.at("detector") == detector)
      return v;
  }
  throw std::runtime_error("the sample has no unlocked_counter " + variant + " " + detector);
}

json& deciding_trial(json& v) {
  return v.at("trials").at(v.at("deciding_trial").get<std::size_t>());
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size()))
    ++n;
  return n;
}

// The text from `open` to the first `close` after it (close included); "" when absent.
std::string between(const std::string& text, const std::string& open, const std::string& close) {
  const auto start = text.find(open);
  if (start == std::string::npos) return {};
  const auto end = text.find(close, start);
  return end == std::string::npos ? std::string() : text.substr(start, end + close.size() - start);
}

TEST(HtmlEvidence, PropertyCounterexampleShowsTheShrunkInputAndItsReplay) {
  json results = load_real();
  const json property = verdict(results, "broken", "property").at("property");
  ASSERT_TRUE(property.at("counterexample_params").is_object()) << property;
  const std::string page = testing::render_document(results);
  const std::string box =
      between(page, "<div class=\"counterexample\" id=\"cx-unlocked_counter-broken\">",
              "</button></div></div>");
  ASSERT_FALSE(box.empty()) << "no counterexample block for unlocked_counter/broken";

  ASSERT_FALSE(property.at("counterexample_params").empty());
  for (const auto& [name, value] : property.at("counterexample_params").items()) {
    EXPECT_NE(box.find("<tr><th scope=\"row\">" + name + "</th><td>" + value.dump() + "</td></tr>"),
              std::string::npos)
        << name << " in\n"
        << box;
  }
  EXPECT_NE(box.find("<dd class=\"cx-failure\">" +
                     html::escape(property.at("failure").get<std::string>()) + "</dd>"),
            std::string::npos)
      << box;
  EXPECT_NE(box.find("<dt>tests</dt><dd>" + property.at("tests_run").dump() + " run of " +
                     property.at("tests_wanted").dump() + " wanted</dd>"),
            std::string::npos)
      << box;
  EXPECT_NE(box.find("<dt>shrinks</dt><dd>" + property.at("shrinks").dump() + "</dd>"),
            std::string::npos);
  EXPECT_NE(box.find("<dt>attempts per input</dt><dd>" + property.at("attempts_per_input").dump() +
                     "</dd>"),
            std::string::npos);
  EXPECT_NE(box.find("<dt>seed</dt><dd>" + property.at("seed").dump() + "</dd>"),
            std::string::npos);
  EXPECT_NE(box.find("<span class=\"cmd-label\">replay this input:</span><code>" +
                     html::escape(property.at("replay_command").get<std::string>()) +
                     "</code><button type=\"button\" class=\"copy\""),
            std::string::npos)
      << box;
  // The verdict's own repro stays copyable beside it, in the same finding.
  const std::string repro = verdict(results, "broken", "property").at("repro").get<std::string>();
  EXPECT_NE(page.find("rerun this verdict:</span><code>" + html::escape(repro) +
                      "</code><button type=\"button\" class=\"copy\""),
            std::string::npos);
}

TEST(HtmlEvidence, APropertyThatHeldGetsOneSmallLine) {
  json results = load_real();
  const json property = verdict(results, "fixed", "property").at("property");
  const std::string page = testing::render_document(results);
  EXPECT_NE(
      page.find("<p class=\"property-pass\">fixed / property: held for " +
                property.at("tests_run").dump() + " of " + property.at("tests_wanted").dump() +
                " generated inputs, no counterexample (seed " + property.at("seed").dump()),
      std::string::npos);
  EXPECT_EQ(page.find("id=\"cx-unlocked_counter-fixed\""), std::string::npos);
}

TEST(HtmlEvidence, ModelTimelineHasAColumnPerThreadAndARowPerStep) {
  json results = load_real();
  const json model = deciding_trial(verdict(results, "broken", "model")).at("outcome").at("model");
  const json& trace = model.at("trace");
  std::set<long> threads;
  std::size_t preemptions = 0, racy = 0, linked = 0, switches = 0;
  for (std::size_t i = 0; i < trace.size(); ++i) {
    threads.insert(trace[i].at("thread").get<long>());
    preemptions += trace[i].at("preemption").get<bool>();
    racy += trace[i].at("racy").get<bool>();
    linked += trace[i].at("file") == "cases/unlocked_counter/broken.cpp" && trace[i].at("line") > 0;
    switches += i > 0 && trace[i].at("thread") != trace[i - 1].at("thread");
  }
  // The sample must show what the timeline marks, or this test would prove nothing.
  ASSERT_GE(threads.size(), 2u);
  ASSERT_GT(preemptions, 0u);
  ASSERT_GT(racy, 0u);
  ASSERT_GT(linked, 0u);

  const std::string page = testing::render_document(results);
  const std::string table = between(page, "<table class=\"timeline\"", "</table>");
  ASSERT_FALSE(table.empty()) << "no timeline for unlocked_counter/broken model";
  EXPECT_NE(table.find("data-threads=\"" + std::to_string(threads.size()) + "\" data-steps=\"" +
                       std::to_string(trace.size()) + "\""),
            std::string::npos);
  for (long t : threads) {
    EXPECT_EQ(count(table, "<th scope=\"col\">thread " + std::to_string(t) + "</th>"), 1u) << t;
  }
  EXPECT_EQ(count(table, "<th scope=\"col\""), threads.size() + 1);  // + the step column
  EXPECT_EQ(count(table, "<tr class=\"tl-step"), trace.size());
  EXPECT_EQ(count(table, "<td class=\"op"), trace.size());
  EXPECT_EQ(count(table, "<td"), trace.size() * threads.size());
  EXPECT_EQ(count(table, "<tr class=\"tl-step switch\""), switches);
  // Marks carry a symbol and a word, not only a colour.
  EXPECT_EQ(count(table, "\u21af preempted</span>"), preemptions);
  EXPECT_EQ(count(table, "\u26a0 racy</span>"), racy);
  EXPECT_EQ(count(table, "<td class=\"op preempt"), preemptions);
  EXPECT_EQ(count(table, " racy\"><span class=\"op-text\">"), racy);

  // Each step in the case's files links to its line like a stack frame, and the line exists.
  EXPECT_EQ(count(table, "class=\"frame-link\""), linked);
  for (const json& step : trace) {
    if (step.at("file") != "cases/unlocked_counter/broken.cpp" || step.at("line") <= 0) continue;
    const std::string anchor = "L-unlocked_counter-broken_cpp-" + step.at("line").dump();
    EXPECT_NE(
        table.find("data-line=\"" + anchor + "\">broken.cpp:" + step.at("line").dump() + "</a>"),
        std::string::npos)
        << anchor;
    EXPECT_NE(page.find("id=\"" + anchor + "\""), std::string::npos) << anchor;
  }
  // The first racy step's operation sits in its thread's column.
  for (const json& step : trace) {
    if (!step.at("racy").get<bool>()) continue;
    const std::string row = between(table, ">" + step.at("step").dump() + "</th>", "</tr>");
    ASSERT_FALSE(row.empty()) << step;
    const auto op = row.find("<td class=\"op");
    std::size_t before = count(row.substr(0, op), "<td");
    EXPECT_EQ(before, static_cast<std::size_t>(std::distance(
                          threads.begin(), threads.find(step.at("thread").get<long>()))))
        << row;
    EXPECT_NE(row.find(html::escape(step.at("operation").get<std::string>())), std::string::npos);
    break;
  }
  // The interleaving replaces the same steps' pseudo-stack.
  EXPECT_EQ(page.find("<h5>minimal failing interleaving"), std::string::npos);
}

TEST(HtmlEvidence, ModelFactsShowFailureScheduleShrinkAndReplay) {
  json results = load_real();
  json& trial = deciding_trial(verdict(results, "broken", "model"));
  json& model = trial.at("outcome").at("model");
  model["failure"]["details"] = {"thread 1 blocked in <lock>", "wait-for cycle"};
  const std::string page = testing::render_document(results);
  const std::string box =
      between(page, "<div class=\"interleaving\">", "<div class=\"timeline-wrap\"");
  ASSERT_FALSE(box.empty());
  EXPECT_NE(
      box.find("<strong class=\"failure-kind\">" +
               html::escape(model.at("failure").at("kind").get<std::string>()) + "</strong> " +
               html::escape(model.at("failure").at("message").get<std::string>())),
      std::string::npos)
      << box;
  EXPECT_NE(box.find("<li>thread 1 blocked in &lt;lock&gt;</li><li>wait-for cycle</li>"),
            std::string::npos);
  EXPECT_NE(box.find("<dt>schedule</dt><dd><code>" + model.at("schedule").get<std::string>() +
                     "</code></dd>"),
            std::string::npos);
  const json& original = model.at("original");
  const auto n = [](const json& v, const char* one, const char* many) {
    return v.dump() + " " + (v == 1 ? one : many);
  };
  EXPECT_NE(box.find("shrunk from " + n(original.at("steps"), "step", "steps") + "/" +
                     n(original.at("preemptions"), "preemption", "preemptions") + " to " +
                     n(model.at("steps"), "step", "steps") + "/" +
                     n(model.at("preemptions"), "preemption", "preemptions") + " by " +
                     html::escape(model.at("shrink").at("method").get<std::string>()) + " in " +
                     n(model.at("shrink").at("replays"), "replay", "replays")),
            std::string::npos)
      << box;
  EXPECT_NE(box.find("<dt>search</dt><dd>" + html::escape(model.at("summary").get<std::string>()) +
                     "</dd>"),
            std::string::npos);
  EXPECT_NE(box.find("replay this schedule:</span><code>" +
                     html::escape(model.at("replay_command").get<std::string>()) +
                     "</code><button type=\"button\" class=\"copy\""),
            std::string::npos)
      << box;
}

// Absent records: the page renders without the section, and the model's interleaving falls
// back to its pseudo-stack. Malformed ones are not a results file's: the reader refuses them,
// naming the field (results/exploration.hpp).
TEST(HtmlEvidence, MalformedRecordsRenderWithoutTheSection) {
  const std::vector<std::pair<std::string, std::function<void(json & model)>>> absent = {
      {"no trace", [](json& m) { m.erase("trace"); }},
      {"empty trace", [](json& m) { m["trace"] = json::array(); }},
  };
  for (const auto& [what, change] : absent) {
    json results = load_real();
    change(deciding_trial(verdict(results, "broken", "model")).at("outcome").at("model"));
    std::string page;
    ASSERT_NO_THROW(page = testing::render_document(results)) << what;
    EXPECT_EQ(page.find("<table class=\"timeline\""), std::string::npos) << what;
    EXPECT_EQ(page.find("<div class=\"interleaving\">"), std::string::npos) << what;
    EXPECT_NE(page.find("<h5>minimal failing interleaving"), std::string::npos) << what;
  }
  const std::vector<std::pair<std::function<void(json & model)>, std::string>> malformed = {
      {[](json& m) { m["trace"] = "step 1"; }, ".model.trace: expected an array"},
      {[](json& m) { m["trace"][2] = 7; }, ".model.trace[2]: expected an object, found 7"},
      {[](json& m) { m["trace"][1]["thread"] = "one"; },
       ".model.trace[1].thread: expected an integer, found \"one\""},
      {[](json& m) { m["trace"][0]["thread"] = -1; },
       ".model.trace[0].thread: expected a thread number of 0 or more, found -1"},
      {[](json& m) { m["trace"][3].erase("operation"); }, ".model.trace[3].operation: missing"},
      {[](json& m) { m["trace"][0]["line"] = "fifty"; },
       ".model.trace[0].line: expected an integer, found \"fifty\""},
      {[](json& m) { m["failure"] = "deadlock"; },
       ".model.failure: expected an object, found \"deadlock\""},
      {[](json& m) { m["schedule"] = 12; }, ".model.schedule: expected a string, found 12"},
  };
  for (const auto& [change, refusal] : malformed) {
    json results = load_real();
    change(deciding_trial(verdict(results, "broken", "model")).at("outcome").at("model"));
    try {
      testing::render_document(results);
      ADD_FAILURE() << "rendered; expected " << refusal;
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find(refusal), std::string::npos) << e.what();
    }
  }
  // Without its shrink record the facts leave the shrink line out, the timeline stays.
  {
    json results = load_real();
    json& model = deciding_trial(verdict(results, "broken", "model")).at("outcome").at("model");
    model.erase("original");
    std::string page;
    ASSERT_NO_THROW(page = testing::render_document(results));
    EXPECT_NE(page.find("<table class=\"timeline\""), std::string::npos);
    EXPECT_EQ(page.find("shrunk from"), std::string::npos);
  }
  {
    // No outcome: no timeline.
    json results = load_real();
    deciding_trial(verdict(results, "broken", "model"))["outcome"] = nullptr;
    std::string page;
    ASSERT_NO_THROW(page = testing::render_document(results));
    EXPECT_EQ(page.find("<table class=\"timeline\""), std::string::npos);
  }
  // An outcome that is not the case host's document (results/outcome.hpp) is not a results
  // file's: the reader refuses it, naming the field.
  for (const auto& [change, refusal] :
       std::vector<std::pair<std::function<void(json&)>, std::string>>{
           {[](json& o) { o = json::array(); }, ".outcome: expected an object, found []"},
           {[](json& o) { o["model"] = 5; }, ".outcome.model: expected an object"},
           {[](json& o) { o.erase("holds"); }, ".outcome.holds: missing"}}) {
    json results = load_real();
    change(deciding_trial(verdict(results, "broken", "model"))["outcome"]);
    try {
      testing::render_document(results);
      ADD_FAILURE() << "rendered; expected " << refusal;
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find(refusal), std::string::npos) << e.what();
    }
  }
  // A property that is not an object is not a results file's (the schema says object or
  // null): the reader refuses it before any writer sees it, naming the field.
  for (const json& property : {json("counterexample"), json::array()}) {
    json results = load_real();
    verdict(results, "broken", "property")["property"] = property;
    EXPECT_THROW(testing::render_document(results), std::invalid_argument) << property;
  }
  // Nor is an object whose fields are not the property figures' (results/property_check.hpp):
  // the first wrong one is named by its path.
  {
    json results = load_real();
    json& broken = verdict(results, "broken", "property")["property"];
    broken["tests_run"] = "many";
    try {
      testing::render_document(results);
      ADD_FAILURE() << "a property with tests_run \"many\" rendered";
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find(".property.tests_run: expected an integer"),
                std::string::npos)
          << e.what();
    }
  }
  // null: no figures, so neither a counterexample nor a pass line.
  json results = load_real();
  verdict(results, "broken", "property")["property"] = nullptr;
  verdict(results, "fixed", "property")["property"] = nullptr;
  std::string page;
  ASSERT_NO_THROW(page = testing::render_document(results));
  EXPECT_EQ(page.find("<div class=\"counterexample\""), std::string::npos);
  EXPECT_EQ(page.find("<p class=\"property-pass\">"), std::string::npos);
}

}  // namespace
}  // namespace casebook::reports
