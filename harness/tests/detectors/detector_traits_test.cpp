// The detectors' traits as the runner reads them: every name a trait gives is a registered
// detector, inherited expectations come from the detector the traits name, and what a run adds
// or leaves out follows the traits, not a detector's name.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "demo_variant.hpp"
#include "detectors/detector.hpp"

namespace casebook {
namespace {

Expectation declared(const std::string& detector, Want want, std::vector<std::string> kinds) {
  Expectation e;
  e.detector = detector;
  e.want = want;
  e.kinds = std::move(kinds);
  e.declared = true;
  return e;
}

TEST(DetectorTraits, EveryNameATraitGivesIsARegisteredDetector) {
  std::set<std::string> names;
  for (const auto& d : all_detectors()) {
    const DetectorTraits& t = d->traits();
    EXPECT_TRUE(names.insert(t.name).second) << "two detectors are called " << t.name;
    EXPECT_FALSE(t.configuration.empty()) << t.name;
    EXPECT_FALSE(t.description.empty()) << t.name;
    EXPECT_FALSE(t.binary_name.empty()) << t.name;
    EXPECT_FALSE(t.finding_kinds.kinds.empty()) << t.name << " reports no kind";
    for (const std::string& other : {t.expectations_of, t.noisy_twin}) {
      if (other.empty()) continue;
      EXPECT_NE(find_detector(other), nullptr) << t.name << " names " << other;
      EXPECT_NE(other, t.name) << t.name << " names itself";
    }
  }
}

TEST(DetectorTraits, TheBinaryDefaultsToTheCaseHostOfTheConfiguration) {
  EXPECT_EQ(find_detector("asan")->traits().binary_name, "casebook-cases-asan");
  EXPECT_EQ(find_detector("model")->traits().binary_name, "casebook-cases-model");
  EXPECT_EQ(find_detector("compile")->traits().binary_name, "casebook-compile-probe");
}

TEST(DetectorTraits, ADetectorWithoutADeclarationInheritsTheOneItsTraitsName) {
  VariantDecl v = test::demo_variant();
  v.expectations.push_back(declared("tsan", Want::finds, {"data-race"}));
  v.expectations.push_back(declared("invariant", Want::finds, {"invariant-violated"}));
  for (const auto& d : all_detectors()) {
    const Expectation e = expectation_of(v, *d);
    EXPECT_EQ(e.detector, d->traits().name);
    const std::string& base = d->traits().expectations_of;
    if (base == "tsan" || base == "invariant") {
      EXPECT_EQ(e.want, Want::finds) << d->name() << " inherits " << base;
      EXPECT_EQ(e.kinds, v.expectation_for(base).kinds) << d->name();
    } else if (d->name() != "tsan" && d->name() != "invariant") {
      EXPECT_EQ(e.want, Want::clean) << d->name() << " inherits nothing";
      EXPECT_FALSE(e.declared) << d->name();
    }
  }
  // Both compilers' TSan must see what tsan must see.
  for (const char* other : {"tsan-gcc", "tsan-clang"}) {
    EXPECT_EQ(expectation_of(v, *find_detector(other)).want, Want::finds) << other;
  }
  // The noise build's twin repeats the invariant's grading, so it inherits that declaration.
  EXPECT_EQ(expectation_of(v, "invariant-noise").want, Want::finds);
  EXPECT_EQ(expectation_of(v, "invariant-noise").detector, "invariant-noise");
}

TEST(DetectorTraits, AVariantsOwnDeclarationBeatsTheInheritedOne) {
  VariantDecl v = test::demo_variant();
  v.expectations.push_back(declared("invariant", Want::finds, {"invariant-violated"}));
  v.expectations.push_back(declared("invariant-noise", Want::may_find, {"invariant-violated"}));
  EXPECT_EQ(expectation_of(v, *find_detector("invariant-noise")).want, Want::may_find);
}

TEST(DetectorTraits, AnUnknownNameReadBackFromAFileInheritsNothing) {
  VariantDecl v = test::demo_variant();
  v.expectations.push_back(declared("tsan", Want::finds, {"data-race"}));
  const Expectation e = expectation_of(v, std::string("tsan-icc"));
  EXPECT_EQ(e.want, Want::clean);
  EXPECT_EQ(e.detector, "tsan-icc");
}

TEST(DetectorTraits, NoiseAddsExactlyTheNoisyTwins) {
  std::set<std::string> twins, added;
  for (const auto& d : all_detectors()) {
    if (const Detector* twin = noisy_twin_of(*d)) twins.insert(std::string(twin->name()));
    if (d->traits().added_by_noise) added.insert(d->traits().name);
  }
  EXPECT_FALSE(added.empty());
  EXPECT_EQ(twins, added);
  for (const std::string& name : added) {
    EXPECT_FALSE(find_detector(name)->traits().in_default_set) << name;
  }
}

TEST(DetectorTraits, AnOptionalBinarySaysHowToBuildIt) {
  for (const auto& d : all_detectors()) {
    if (d->traits().optional_build.empty()) continue;
    EXPECT_NE(d->traits().optional_build.find("-D"), std::string::npos) << d->name();
  }
}

TEST(DetectorTraits, ValgrindsToolsCannotJudgeOpenMpAndNeedValgrind) {
  for (const char* name : {"helgrind", "drd"}) {
    const DetectorTraits& t = find_detector(name)->traits();
    EXPECT_EQ(t.required_program, "valgrind");
    EXPECT_NE(t.blind_to_openmp.find(name), std::string::npos) << t.blind_to_openmp;
    EXPECT_TRUE(t.finding_kinds.open);
  }
  EXPECT_TRUE(find_detector("tsan-clang")->traits().blind_to_openmp.empty());
  EXPECT_FALSE(find_detector("tsan-gcc")->traits().blind_to_openmp.empty());
}

}  // namespace
}  // namespace casebook
