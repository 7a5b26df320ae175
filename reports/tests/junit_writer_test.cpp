// Golden-file tests of the JUnit writer, plus the text hygiene it relies on.
//
// The sample results file is fixed, so the output is byte-for-byte stable; set
// CASEBOOK_UPDATE_GOLDEN=1 to rewrite the golden file after an intended change, then review
// the diff like any other.
#include "junit/junit_writer.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <pugixml.hpp>
#include <sstream>

#include "golden.hpp"
#include "writing/text.hpp"

namespace casebook::reports {
namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

results::Results sample() {
  return results::read_results(
      nlohmann::json::parse(slurp(REPORTS_TEST_DATA "/sample_results.json")));
}

TEST(JunitWriter, MatchesGoldenFile) {
  testing::expect_matches_golden(junit_from_results(sample()),
                                 REPORTS_TEST_GOLDEN "/sample_junit.xml");
}

TEST(JunitWriter, RealRunMatchesGoldenFile) {
  testing::expect_matches_golden(junit_from_results(results::read_results(
                                     testing::load_sample(REPORTS_TEST_DATA "/real_results.json"))),
                                 REPORTS_TEST_GOLDEN "/real_results_junit.xml");
}

TEST(JunitWriter, StructureFollowsTheConventions) {
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(junit_from_results(sample()).c_str()));
  auto root = doc.child("testsuites");
  EXPECT_EQ(root.attribute("tests").as_int(), 4);
  EXPECT_EQ(root.attribute("failures").as_int(), 1);
  EXPECT_EQ(root.attribute("errors").as_int(), 1);
  EXPECT_EQ(root.attribute("skipped").as_int(), 1);
  auto fp =
      doc.select_node("//testcase[@classname='casebook.tsan.unlocked_counter'][@name='fixed']");
  ASSERT_TRUE(fp);
  EXPECT_DOUBLE_EQ(fp.node().attribute("time").as_double(), 1.25);
  const std::string body = fp.node().child("failure").text().get();
  EXPECT_NE(body.find("reproduce: build/bin/casebook run --filter unlocked_counter/fixed"),
            std::string::npos);
  EXPECT_NE(body.find("data race <here> & \"there\""), std::string::npos);  // escaped, intact
  EXPECT_EQ(body.find('\x1b'), std::string::npos) << "ANSI codes must be stripped";
  EXPECT_EQ(body.find('\x07'), std::string::npos) << "control characters must be dropped";
  auto skipped = doc.select_node("//testcase[@name='broken']/skipped");
  ASSERT_TRUE(skipped);
  EXPECT_STREQ(skipped.node().attribute("message").value(), "ASan has no lock-order detector");
}

TEST(Text, StripAnsiRemovesColourAndCursorCodes) {
  EXPECT_EQ(strip_ansi("\x1b[1m\x1b[31mred\x1b[0m plain \x1b[K"), "red plain ");
  EXPECT_EQ(strip_ansi("no codes"), "no codes");
}

TEST(Text, XmlSafeDropsControlsAndRepairsUtf8) {
  EXPECT_EQ(xml_safe("a\x01"
                     "b\tc\n"),
            "ab\tc\n");
  EXPECT_EQ(xml_safe("caf\xc3\xa9"), "caf\xc3\xa9");                  // valid UTF-8 kept
  EXPECT_EQ(xml_safe("bad\xff!"), "bad\xEF\xBF\xBD!");                // invalid byte replaced
  EXPECT_EQ(xml_safe("cut\xe2\x82"), "cut\xEF\xBF\xBD\xEF\xBF\xBD");  // truncated sequence
}

}  // namespace
}  // namespace casebook::reports
