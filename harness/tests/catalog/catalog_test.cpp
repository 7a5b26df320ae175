// Unit tests of catalog parsing and validation: bad declarations fail with a UsageError that
// names the variant and what is wrong.
#include "catalog/catalog.hpp"

#include <gtest/gtest.h>

#include "common/errors.hpp"

namespace casebook {
namespace {

using nlohmann::json;

const std::vector<std::string> kDetectors = {"tsan", "asan", "watchdog", "invariant", "helgrind"};

json variant(std::string case_name, std::string variant_name, json expectations) {
  return {
      {"case", case_name},
      {"variant", variant_name},
      {"title", "does something"},
      {"category", "race"},
      {"file", "cases/" + case_name + "/" + variant_name + ".cpp"},
      {"defaults", {{"threads", 2}, {"iterations", 10}, {"seed", 1}, {"extra", json::object()}}},
      {"timeout_seconds", 0.0},
      {"expectations", expectations}};
}

std::string usage_error_of(const json& listing) {
  try {
    parse_catalog(listing, kDetectors);
  } catch (const UsageError& e) {
    return e.what();
  }
  return "";
}

TEST(Catalog, ParsesAndSortsAndDefaultsToClean) {
  json listing = json::array(
      {variant("b_case", "fixed", json::array()),
       variant("a_case", "broken",
               json::array({{{"detector", "tsan"}, {"want", "finds"}, {"kinds", {"data-race"}}},
                            {{"detector", "asan"}, {"want", "skip"}, {"reason", "deadlocks"}}}))});
  Catalog c = parse_catalog(listing, kDetectors);
  ASSERT_EQ(c.variants.size(), 2u);
  EXPECT_EQ(c.variants[0].id(), "a_case/broken");
  EXPECT_EQ(c.variants[0].expectation_for("tsan").want, Want::finds);
  EXPECT_EQ(c.variants[0].expectation_for("asan").reason, "deadlocks");
  const Expectation implicit = c.variants[0].expectation_for("watchdog");
  EXPECT_EQ(implicit.want, Want::clean);
  EXPECT_FALSE(implicit.declared);
}

TEST(Catalog, MemoryLimitIsReadAndDefaultsToZero) {
  json capped = variant("c", "broken", json::array());
  capped["memory_limit_mib"] = 256;
  Catalog c =
      parse_catalog(json::array({capped, variant("c", "fixed", json::array())}), kDetectors);
  EXPECT_EQ(c.variants[0].memory_limit_mib, 256);
  EXPECT_EQ(c.variants[1].memory_limit_mib, 0);  // the runner's default applies
}

TEST(Catalog, NegativeMemoryLimitIsRejected) {
  json bad = variant("c", "broken", json::array());
  bad["memory_limit_mib"] = -1;
  std::string err = usage_error_of(json::array({bad}));
  EXPECT_NE(err.find("c/broken"), std::string::npos) << err;
  EXPECT_NE(err.find(".memory_limit_mib is negative"), std::string::npos) << err;
}

TEST(Catalog, UnknownDetectorIsNamed) {
  std::string err = usage_error_of(json::array({variant(
      "c", "broken", json::array({{{"detector", "tsna"}, {"want", "finds"}, {"kinds", {"x"}}}}))}));
  EXPECT_NE(err.find("c/broken"), std::string::npos);
  EXPECT_NE(err.find("tsna"), std::string::npos);
  EXPECT_NE(err.find("known: tsan"), std::string::npos);
}

TEST(Catalog, SkipWithoutReasonIsRejected) {
  std::string err = usage_error_of(json::array(
      {variant("c", "broken", json::array({{{"detector", "asan"}, {"want", "skip"}}}))}));
  EXPECT_NE(err.find("needs a reason"), std::string::npos);
}

TEST(Catalog, FindsWithoutKindsIsRejected) {
  std::string err = usage_error_of(json::array(
      {variant("c", "broken", json::array({{{"detector", "tsan"}, {"want", "finds"}}}))}));
  EXPECT_NE(err.find("lists no kinds"), std::string::npos);
}

TEST(Catalog, KnownFalsePositiveIsParsedWithItsKindsAndReason) {
  json e = {{"detector", "tsan"},
            {"want", "false-positive"},
            {"kinds", {"data-race"}},
            {"reason", "the tool does not see the fence"}};
  Catalog c = parse_catalog(json::array({variant("c", "fixed", json::array({e}))}), kDetectors);
  const Expectation x = c.variants[0].expectation_for("tsan");
  EXPECT_EQ(x.want, Want::false_positive);
  EXPECT_EQ(x.kinds, std::vector<std::string>{"data-race"});
  EXPECT_EQ(std::string(want_name(x.want)), "false-positive");
}

TEST(Catalog, KnownFalsePositiveWithoutReasonOrKindsIsRejected) {
  json no_reason = {{"detector", "tsan"}, {"want", "false-positive"}, {"kinds", {"data-race"}}};
  json no_kinds = {{"detector", "tsan"}, {"want", "false-positive"}, {"reason", "why"}};
  for (const json& e : {no_reason, no_kinds}) {
    std::string err = usage_error_of(json::array({variant("c", "fixed", json::array({e}))}));
    EXPECT_NE(err.find("needs the kinds the tool reports and a reason"), std::string::npos) << err;
  }
}

TEST(Catalog, MayFindIsParsedOnABrokenVariant) {
  json e = {{"detector", "helgrind"},
            {"want", "may-find"},
            {"kinds", {"data-race"}},
            {"reason", "the tool serialises threads"}};
  Catalog c = parse_catalog(json::array({variant("c", "broken", json::array({e}))}), kDetectors);
  const Expectation x = c.variants[0].expectation_for("helgrind");
  EXPECT_EQ(x.want, Want::may_find);
  EXPECT_EQ(x.kinds, std::vector<std::string>{"data-race"});
  EXPECT_EQ(std::string(want_name(x.want)), "may-find");
}

TEST(Catalog, MayFindNeedsKindsAndAReasonAndABrokenVariant) {
  json no_reason = {{"detector", "helgrind"}, {"want", "may-find"}, {"kinds", {"data-race"}}};
  json no_kinds = {{"detector", "helgrind"}, {"want", "may-find"}, {"reason", "why"}};
  for (const json& e : {no_reason, no_kinds}) {
    std::string err = usage_error_of(json::array({variant("c", "broken", json::array({e}))}));
    EXPECT_NE(err.find("needs the kinds the detector may report and a reason"), std::string::npos)
        << err;
  }
  json on_fixed = {
      {"detector", "helgrind"}, {"want", "may-find"}, {"kinds", {"data-race"}}, {"reason", "why"}};
  std::string err = usage_error_of(json::array({variant("c", "fixed", json::array({on_fixed}))}));
  EXPECT_NE(err.find("known false positive"), std::string::npos) << err;
  EXPECT_NE(err.find("c/fixed"), std::string::npos) << err;
}

TEST(Catalog, DuplicateDetectorIsRejected) {
  json e = {{"detector", "tsan"}, {"want", "clean"}};
  std::string err = usage_error_of(json::array({variant("c", "fixed", json::array({e, e}))}));
  EXPECT_NE(err.find("declared twice"), std::string::npos);
  // Two of a kind that may not pair, even with may_find: a second may_find.
  json chance = {
      {"detector", "helgrind"}, {"want", "may-find"}, {"kinds", {"data-race"}}, {"reason", "why"}};
  err = usage_error_of(json::array({variant("c", "broken", json::array({chance, chance}))}));
  EXPECT_NE(err.find("only a may_find and a false_positive may share a detector"),
            std::string::npos)
      << err;
}

TEST(Catalog, MayFindAndAFalsePositiveOfOneDetectorAreMerged) {
  json chance = {{"detector", "helgrind"},
                 {"want", "may-find"},
                 {"kinds", {"data-race"}},
                 {"reason", "serialised threads"}};
  json wrong = {{"detector", "helgrind"},
                {"want", "false-positive"},
                {"kinds", {"unlocked-signal"}},
                {"reason", "notify after unlock"}};
  // In either order.
  for (const json& pair : {json::array({chance, wrong}), json::array({wrong, chance})}) {
    Catalog c = parse_catalog(json::array({variant("c", "broken", pair)}), kDetectors);
    ASSERT_EQ(c.variants[0].expectations.size(), 1u);
    const Expectation x = c.variants[0].expectation_for("helgrind");
    EXPECT_EQ(x.want, Want::may_find);
    EXPECT_EQ(x.kinds, std::vector<std::string>{"data-race"});
    EXPECT_EQ(x.reason, "serialised threads");
    EXPECT_EQ(x.false_positive_kinds, std::vector<std::string>{"unlocked-signal"});
    EXPECT_EQ(x.false_positive_reason, "notify after unlock");
  }
}

// Cases from CASEBOOK_EXTRA_CASES folders: named relative to the folder holding them, each
// folder with its own base id over the whole catalog (two folders of one name get "_2"), and
// their files found under that folder, not the repository.
TEST(Catalog, ExtraCaseFoldersGetOneBaseIdEach) {
  auto outside = [](std::string c, std::string variant_name, std::string root) {
    json j = variant(c, variant_name, json::array());
    j["file"] = c + "/" + variant_name + ".cpp";
    j["cases_root"] = root;
    return j;
  };
  const Catalog c = parse_catalog(json::array({outside("b_case", "broken", "/home/a/pairs"),
                                               outside("a_case", "broken", "/home/a/pairs"),
                                               outside("c_case", "fixed", "/opt/other/pairs/"),
                                               variant("in_tree", "broken", json::array())}),
                                  kDetectors);
  ASSERT_EQ(c.variants.size(), 4u);
  EXPECT_EQ(c.variants[0].case_name, "a_case");
  EXPECT_EQ(c.variants[0].file_base, "%EXTRA_CASES_PAIRS%");
  EXPECT_EQ(c.variants[1].file_base, "%EXTRA_CASES_PAIRS%");
  EXPECT_EQ(c.variants[2].file_base, "%EXTRA_CASES_PAIRS_2%");  // another folder named pairs
  EXPECT_EQ(c.variants[3].file_base, "");
  EXPECT_EQ(c.variants[0].source_path(c.variants[0].file, "/repo"),
            "/home/a/pairs/a_case/broken.cpp");
  EXPECT_EQ(c.variants[3].source_path(c.variants[3].file, "/repo"),
            "/repo/cases/in_tree/broken.cpp");
  EXPECT_EQ(c.variants[0].source_base().folder, "/home/a/pairs");
  EXPECT_EQ(c.variants[3].source_base().folder, "");
}

TEST(Catalog, FilterMatchesCaseOrCaseSlashVariant) {
  Catalog c = parse_catalog(json::array({variant("alpha", "broken", json::array()),
                                         variant("alpha", "fixed", json::array()),
                                         variant("beta", "broken", json::array())}),
                            kDetectors);
  EXPECT_EQ(select_variants(c, "alpha").size(), 2u);
  EXPECT_EQ(select_variants(c, "*/broken").size(), 2u);
  EXPECT_EQ(select_variants(c, "beta/broken").size(), 1u);
  EXPECT_EQ(select_variants(c, "").size(), 3u);
}

TEST(Catalog, FilterMatchingNothingNamesTheCases) {
  Catalog c = parse_catalog(json::array({variant("alpha", "broken", json::array())}), kDetectors);
  try {
    select_variants(c, "nosuch");
    FAIL() << "expected a UsageError";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("nosuch"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("alpha"), std::string::npos);
  }
}

TEST(Catalog, UnknownCategoryIsRejected) {
  json v = variant("c", "fixed", json::array());
  v["category"] = "bugs";
  std::string err = usage_error_of(json::array({v}));
  EXPECT_NE(err.find("'bugs'"), std::string::npos) << err;
  EXPECT_NE(err.find("liveness"), std::string::npos) << err;
}

TEST(Catalog, CompileProbeIsResolvedInTheCaseFolder) {
  json v = variant("c", "broken", json::array());
  v["compile_probe"] = "must_not_compile.cpp";
  const Catalog catalog = parse_catalog(json::array({v}), kDetectors);
  EXPECT_EQ(catalog.variants.at(0).compile_probe, "cases/c/must_not_compile.cpp");
}

TEST(Catalog, CompileProbeOutsideTheCaseFolderIsRejected) {
  for (const char* probe : {"../other/x.cpp", "sub/x.cpp", ".hidden.cpp"}) {
    json v = variant("c", "broken", json::array());
    v["compile_probe"] = probe;
    std::string err = usage_error_of(json::array({v}));
    EXPECT_NE(err.find(".compile_probe"), std::string::npos) << probe << ": " << err;
  }
}

TEST(Catalog, VariantsOfACaseMustShareTheirCategory) {
  json broken = variant("c", "broken", json::array());
  json fixed = variant("c", "fixed", json::array());
  fixed["category"] = "liveness";
  std::string err = usage_error_of(json::array({broken, fixed}));
  EXPECT_NE(err.find("disagree on .category"), std::string::npos) << err;
}

TEST(Catalog, FilterByCategory) {
  json a = variant("alpha", "broken", json::array());
  json b = variant("beta", "broken", json::array());
  b["category"] = "liveness";
  Catalog c = parse_catalog(json::array({a, b}), kDetectors);
  auto only = select_variants(c, "category:liveness");
  ASSERT_EQ(only.size(), 1u);
  EXPECT_EQ(only[0].case_name, "beta");
  EXPECT_EQ(select_variants(c, "category:race,beta").size(), 2u);
  EXPECT_THROW(select_variants(c, "category:nonsense"), UsageError);
}

}  // namespace
}  // namespace casebook
