// The case host's documents (protocol/host_protocol.hpp) on both sides: what the real hosts
// print reads whole and writes back the same (the reader drops nothing a host writes), a
// written document reads back equal (rapidcheck), and a missing or mistyped field is refused
// naming its path.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <cstdio>
#include <filesystem>
#include <string>

#include "protocol/host_protocol_reader.hpp"

namespace casebook::protocol {
namespace {

using nlohmann::json;

// What `command` prints on stdout (its stderr dropped), or "" when it could not run.
std::string output_of(const std::string& command) {
  std::string out;
  FILE* pipe = ::popen((command + " 2>/dev/null").c_str(), "r");
  if (pipe == nullptr) return out;
  char buffer[65536];
  std::size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, n);
  ::pclose(pipe);
  return out;
}

std::string host(const std::string& configuration) {
  return std::string(CASEBOOK_BIN_DIR) + "/casebook-cases-" + configuration;
}

// The real listing of the plain host, read; the test skips where the build has no such host.
std::vector<ListedVariant> real_listing(json* document) {
  *document = json::parse(output_of(host("plain") + " list"));
  return read_listing(*document);
}

TEST(HostProtocol, TheRealListingReadsWholeAndWritesBackTheSame) {
  if (!std::filesystem::exists(host("plain"))) GTEST_SKIP() << "no plain case host in this build";
  json document;
  const std::vector<ListedVariant> listing = real_listing(&document);
  ASSERT_GT(listing.size(), 10u);
  for (std::size_t i = 0; i < listing.size(); ++i) {
    EXPECT_EQ(to_json(listing[i]), document[i])
        << listing[i].case_name << "/" << listing[i].variant;
  }
}

// Each command's real outcome reads as an Outcome and writes back as the host wrote it.
void expect_round_trip(const std::string& command, const char* what) {
  const json document = json::parse(output_of(command));
  const Outcome outcome = read_outcome(document);
  EXPECT_EQ(to_json(outcome), document) << what << ": " << command;
}

TEST(HostProtocol, EveryCommandsRealOutcomeReadsWholeAndWritesBackTheSame) {
  if (!std::filesystem::exists(host("plain"))) GTEST_SKIP() << "no plain case host in this build";
  json document;
  const std::vector<ListedVariant> listing = real_listing(&document);
  const ListedVariant* compared = nullptr;
  const ListedVariant* varied = nullptr;
  for (const ListedVariant& v : listing) {
    if (compared == nullptr && v.perf_ratio > 0 && v.variant == "broken") compared = &v;
    if (varied == nullptr && !v.vary.empty()) varied = &v;
  }
  const ListedVariant& first = listing.front();
  expect_round_trip(host("plain") + " run " + first.case_name + " " + first.variant +
                        " --threads 2 --iterations 10",
                    "run");
  ASSERT_NE(compared, nullptr) << "no variant declares .perf_ratio";
  expect_round_trip(host("plain") + " compare " + compared->case_name + " --rounds 1", "compare");
  ASSERT_NE(varied, nullptr) << "no variant declares .vary";
  expect_round_trip(
      host("plain") + " property " + varied->case_name + " " + varied->variant + " --tests 3",
      "property");
  if (std::filesystem::exists(host("model"))) {
    expect_round_trip(host("model") + " explore " + first.case_name + " " + first.variant,
                      "explore");
  }
}

rc::Gen<std::string> text() {
  return rc::gen::container<std::string>(rc::gen::inRange<char>(' ', '~'));
}

rc::Gen<ListedParams> any_params() {
  return rc::gen::build<ListedParams>(
      rc::gen::set(&ListedParams::threads, rc::gen::inRange(0, 64)),
      rc::gen::set(&ListedParams::iterations, rc::gen::arbitrary<std::int64_t>()),
      rc::gen::set(&ListedParams::seed, rc::gen::arbitrary<std::uint64_t>()),
      rc::gen::set(&ListedParams::extra, rc::gen::container<std::map<std::string, std::int64_t>>(
                                             text(), rc::gen::arbitrary<std::int64_t>())));
}

RC_GTEST_PROP(HostProtocol, AWrittenListingEntryReadsBackEqual, ()) {
  ListedVariant v;
  v.case_name = *text();
  v.variant = *text();
  v.title = *text();
  v.category = *text();
  v.file = *text();
  v.cases_root = *text();
  v.defaults = *any_params();
  if (*rc::gen::arbitrary<bool>()) v.small = *any_params();
  v.timeout_seconds = *rc::gen::inRange(0, 100000) / 8.0;
  v.memory_limit_mib = *rc::gen::inRange(0, 1 << 20);
  v.max_tasks = *rc::gen::inRange(0, 1000);
  v.fairness_floor = *rc::gen::inRange(0, 100) / 100.0;
  v.max_wait_seconds = *rc::gen::inRange(0, 100) / 4.0;
  v.perf_ratio = *rc::gen::inRange(0, 100) / 2.0;
  v.perf_metric = *text();
  v.compile_probe = *text();
  const int ranges = *rc::gen::inRange(0, 3);
  for (int i = 0; i < ranges; ++i) {
    v.vary.push_back(
        {*text(), *rc::gen::arbitrary<std::int64_t>(), *rc::gen::arbitrary<std::int64_t>()});
  }
  v.property_tests = *rc::gen::inRange(0, 1000);
  const int declared = *rc::gen::inRange(0, 4);
  for (int i = 0; i < declared; ++i) {
    v.expectations.push_back({*text(),
                              *rc::gen::element(Want::finds, Want::clean, Want::skip,
                                                Want::false_positive, Want::may_find),
                              *rc::gen::container<std::vector<std::string>>(text()), *text()});
  }
  RC_ASSERT(read_listed_variant(to_json(v), "entry") == v);
}

RC_GTEST_PROP(HostProtocol, AWrittenOutcomeReadsBackEqual, ()) {
  Outcome o;
  o.case_name = *text();
  if (*rc::gen::arbitrary<bool>()) o.variant = *text();
  if (*rc::gen::arbitrary<bool>()) o.params = *any_params();
  o.invariant = *text();
  o.holds = *rc::gen::arbitrary<bool>();
  o.observed = *text();
  o.expected = *text();
  o.note = *text();
  const auto numbers = rc::gen::container<std::vector<double>>(
      rc::gen::map(rc::gen::inRange(0, 100000), [](int n) { return n / 16.0; }));
  if (*rc::gen::arbitrary<bool>()) o.shares = *numbers;
  if (*rc::gen::arbitrary<bool>()) o.waits = *numbers;
  if (*rc::gen::arbitrary<bool>()) o.duration_ms = *rc::gen::inRange(0, 100000) / 4.0;
  if (*rc::gen::arbitrary<bool>()) {
    Comparison c;
    c.metric = *text();
    c.rounds = *rc::gen::inRange(1, 9);
    c.broken = *numbers;
    c.fixed = *numbers;
    c.ratio = *rc::gen::inRange(0, 100) / 4.0;
    c.threshold = *rc::gen::inRange(0, 100) / 4.0;
    o.comparison = std::move(c);
  }
  if (*rc::gen::arbitrary<bool>()) {
    results::Exploration e;
    e.strategy = *text();
    e.failed = *rc::gen::arbitrary<bool>();
    e.executions = *rc::gen::arbitrary<std::uint32_t>();
    e.summary = *text();
    if (e.failed) {
      e.failure = results::ModelFailure{*text(), *text(), {*text()}, {}};
      e.schedule = *text();
      e.steps = *rc::gen::inRange(0, 100);
      e.shrink = results::Shrink{*text(), 3};
      e.replay_command = *text();
      results::ModelStep step;
      step.thread = *rc::gen::inRange(0, 4);
      step.operation = *text();
      step.line = *rc::gen::inRange(0, 500);
      step.racy = *rc::gen::arbitrary<bool>();
      if (*rc::gen::arbitrary<bool>()) step.base = *text();
      e.trace = std::vector<results::ModelStep>{step};
      if (*rc::gen::arbitrary<bool>()) e.failure->accesses = {step, step};
    }
    if (*rc::gen::arbitrary<bool>()) e.trace_omitted = results::TraceOmitted{7, std::nullopt};
    o.model = e;
  }
  if (*rc::gen::arbitrary<bool>()) {
    results::PropertyCheck p;
    p.tests_run = *rc::gen::inRange(0, 100);
    p.tests_wanted = *rc::gen::inRange(1, 100);
    p.seed = *rc::gen::arbitrary<std::uint64_t>();
    p.replayed = *rc::gen::arbitrary<bool>();
    if (*rc::gen::arbitrary<bool>()) p.attempts_per_input = *rc::gen::inRange(1, 5);
    if (*rc::gen::arbitrary<bool>()) {
      p.counterexample = *text();
      p.counterexample_params = *rc::gen::arbitrary<std::map<std::string, std::int64_t>>();
      p.failure = *text();
      p.crashed = *rc::gen::arbitrary<bool>();
      p.replay_command = *text();
    }
    if (*rc::gen::arbitrary<bool>()) p.gave_up = *text();
    o.property = p;
  }
  RC_ASSERT(read_outcome(to_json(o)) == o);
}

// The message a refused document gives, or "" when it reads.
std::string refusal(const json& document, bool listing_entry) {
  try {
    if (listing_entry) {
      (void)read_listed_variant(document, "listing[0]");
    } else {
      (void)read_outcome(document);
    }
  } catch (const FieldError& e) {
    return e.what();
  }
  return "";
}

TEST(HostProtocol, AMissingOrMistypedListingFieldIsNamedByItsPath) {
  ListedVariant v;
  v.case_name = "c";
  v.variant = "broken";
  v.expectations.push_back({"tsan", Want::finds, {"data-race"}, ""});
  const json good = to_json(v);
  EXPECT_EQ(refusal(good, true), "");
  json no_case = good;
  no_case.erase("case");
  EXPECT_NE(refusal(no_case, true).find("listing[0].case"), std::string::npos)
      << refusal(no_case, true);
  json text_threads = good;
  text_threads["defaults"]["threads"] = "4";
  EXPECT_NE(refusal(text_threads, true).find("listing[0].defaults.threads"), std::string::npos)
      << refusal(text_threads, true);
  json bad_kind = good;
  bad_kind["expectations"][0]["kinds"][0] = 7;
  EXPECT_NE(refusal(bad_kind, true).find("listing[0].expectations[0].kinds"), std::string::npos)
      << refusal(bad_kind, true);
  json unknown_want = good;
  unknown_want["expectations"][0]["want"] = "detects";
  EXPECT_EQ(refusal(unknown_want, true),
            "listing[0].expectations[0].want: \"detects\" is not one of finds, clean, skip, "
            "false-positive, may-find");
  EXPECT_THROW(read_listing(json::object()), FieldError);
}

TEST(HostProtocol, EveryWantIsSpeltOnceAndReadBack) {
  for (const auto& [want, name] : kWantNames) {
    EXPECT_EQ(want_name(want), name);
    EXPECT_EQ(want_from_name(name), want);
  }
  EXPECT_EQ(want_from_name("false_positive"),
            std::nullopt);  // the API's spelling, not the listing's
}

TEST(HostProtocol, AMissingOrMistypedOutcomeFieldIsNamedByItsPath) {
  const json good = {{"case", "c"}, {"invariant", "i"}, {"holds", true}};
  EXPECT_EQ(refusal(good, false), "");
  json no_holds = good;  // an outcome that does not say whether it held says nothing
  no_holds.erase("holds");
  EXPECT_NE(refusal(no_holds, false).find("outcome.holds"), std::string::npos)
      << refusal(no_holds, false);
  json text_holds = good;
  text_holds["holds"] = "yes";
  EXPECT_NE(refusal(text_holds, false).find("outcome.holds"), std::string::npos);
  json half_comparison = good;
  half_comparison["ratio"] = 2.0;  // a comparison without its other fields
  EXPECT_NE(refusal(half_comparison, false).find("outcome.metric"), std::string::npos)
      << refusal(half_comparison, false);
  json share_text = good;
  share_text["shares"] = {1.0, "two"};
  EXPECT_NE(refusal(share_text, false).find("outcome.shares[1]"), std::string::npos)
      << refusal(share_text, false);
  json model_list = good;
  model_list["model"] = json::array();
  EXPECT_NE(refusal(model_list, false).find("outcome.model"), std::string::npos);
  // The property figures are typed to their last field: a shrunk input's values are integers.
  json property = good;
  property["property"] = {{"tests_run", 7},      {"tests_wanted", 100},
                          {"shrinks", 2},        {"seed", 5},
                          {"replayed", false},   {"counterexample", "threads=2"},
                          {"failure", "lost 1"}, {"counterexample_params", {{"threads", 2}}}};
  EXPECT_EQ(refusal(property, false), "");
  property["property"]["counterexample_params"]["threads"] = "2";
  EXPECT_EQ(refusal(property, false),
            "outcome.property.counterexample_params.threads: expected an integer, found \"2\"");
  property["property"].erase("counterexample_params");
  property["property"].erase("shrinks");
  EXPECT_EQ(refusal(property, false), "outcome.property.shrinks: missing");
}

}  // namespace
}  // namespace casebook::protocol
