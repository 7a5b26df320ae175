#include "suite/program_union.hpp"

#include <gtest/gtest.h>

namespace casebook {
namespace {

VariantDecl labelled(const std::string& name, bool positive) {
  VariantDecl v;
  v.case_name = name;
  v.variant = "program";
  v.program = ProgramSpec{};
  v.program->labelled_by = "labels";
  v.program->positive = positive;
  return v;
}

VerdictRecord verdict(const VariantDecl& v, const std::string& detector, bool flagged,
                      Verdict verdict = Verdict::clean) {
  VerdictRecord r;
  r.variant = v;
  r.detector = detector;
  r.grade.verdict = verdict;
  r.grade.passed = verdict != Verdict::error;
  TrialRecord t;
  if (flagged) t.findings.push_back(Finding{.tool = detector, .kind = "data-race"});
  r.trials.push_back(t);
  r.repro = "casebook run --detectors " + detector;
  return r;
}

TEST(ProgramUnion, APositiveFlaggedByAnyDetectorIsDetected) {
  const VariantDecl p = labelled("racy-yes", true);
  const auto unions = program_union_verdicts(
      {verdict(p, "tsan", false, Verdict::clean), verdict(p, "drd", true, Verdict::detected)});
  ASSERT_EQ(unions.size(), 1u);
  EXPECT_EQ(unions[0].detector, "union");
  EXPECT_EQ(unions[0].grade.verdict, Verdict::detected);
  EXPECT_TRUE(unions[0].grade.passed);
  EXPECT_EQ(unions[0].expected.want, Want::finds);
  EXPECT_EQ(unions[0].repro, "casebook run --detectors drd");
  EXPECT_NE(unions[0].grade.reason.find("1 of 2: drd"), std::string::npos)
      << unions[0].grade.reason;
}

TEST(ProgramUnion, APositiveNobodyFlaggedIsMissedAndANegativeFlaggedIsAFalsePositive) {
  const VariantDecl pos = labelled("quiet-yes", true);
  const VariantDecl neg = labelled("noisy-no", false);
  const auto unions = program_union_verdicts(
      {verdict(pos, "tsan", false), verdict(neg, "tsan", true, Verdict::false_positive)});
  ASSERT_EQ(unions.size(), 2u);
  EXPECT_EQ(unions[0].grade.verdict, Verdict::missed);
  EXPECT_FALSE(unions[0].grade.passed);
  EXPECT_EQ(unions[1].grade.verdict, Verdict::false_positive);
  EXPECT_FALSE(unions[1].grade.passed);
}

TEST(ProgramUnion, NothingSeenWhileADetectorFailedIsAnError) {
  const VariantDecl pos = labelled("unbuilt-yes", true);
  VerdictRecord unbuilt = verdict(pos, "tsan", false, Verdict::error);
  unbuilt.trials.clear();
  const auto unions = program_union_verdicts({unbuilt, verdict(pos, "asan", false)});
  EXPECT_EQ(unions[0].grade.verdict, Verdict::error);
  EXPECT_NE(unions[0].grade.reason.find("tsan could not judge it"), std::string::npos);
}

TEST(ProgramUnion, ProgramsThatDeclareTheirOwnExpectationsAndCasesGetNone) {
  VariantDecl declared = labelled("declared", true);
  declared.program->labelled_by.clear();
  VariantDecl a_case;
  a_case.case_name = "c";
  EXPECT_TRUE(
      program_union_verdicts({verdict(declared, "tsan", true), verdict(a_case, "tsan", true)})
          .empty());
}

}  // namespace
}  // namespace casebook
