// Tests of the thread-safety detector on real clang output: annotated programs written into a
// scratch source tree, compiled by the very casebook-thread-safety script a trial runs, and
// read. Also: the annotation macros and the annotated facade compile away under gcc, and under
// clang without the thread-safety configuration.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "detectors/detector.hpp"
#include "detectors/detector_impls.hpp"

namespace casebook {
namespace {

namespace fs = std::filesystem;

// A program with one bug of each kind the analysis reports. The line of each carries
// "KIND: <kind>"; the test checks that exactly those lines draw a finding of that kind.
constexpr const char* kEveryKind = R"(#include <casebook/sync.hpp>
struct bank {
  cb::mutex a;
  cb::mutex b CB_ACQUIRED_AFTER(a);
  int x CB_GUARDED_BY(a) = 0;
  int* p CB_PT_GUARDED_BY(a) = nullptr;
  void locked_helper() CB_REQUIRES(a) { ++x; }
  void takes_a() CB_EXCLUDES(a) { cb::lock_guard hold(a); ++x; }
};
void by_ref(int& v) { ++v; }
int read_unlocked(bank& k) { return k.x; }  // KIND: unguarded-access
void write_pointee(bank& k) { *k.p = 1; }  // KIND: unguarded-access
void pass_ref(bank& k) { by_ref(k.x); }  // KIND: unguarded-reference
void call_unlocked(bank& k) { k.locked_helper(); }  // KIND: lock-not-held
void call_held(bank& k) { cb::lock_guard hold(k.a); k.takes_a(); }  // KIND: call-while-held
void relock(bank& k) { cb::lock_guard hold(k.a); k.a.lock(); }  // KIND: double-lock
void foreign_unlock(bank& k) { k.a.unlock(); }  // KIND: unlock-not-held
void leak(bank& k) {
  k.a.lock();
}  // KIND: lock-leak
void order(bank& k) { cb::lock_guard hb(k.b); cb::lock_guard ha(k.a); }  // KIND: lock-order
cb::shared_mutex rw;
void kind_mismatch() {
  rw.lock_shared();
  rw.unlock();  // KIND: lock-kind-mismatch
}
)";

// The same shapes done right, through every annotated facade type: no warning at all.
constexpr const char* kClean = R"(#include <casebook/sync.hpp>
struct box {
  cb::mutex a;
  cb::mutex b CB_ACQUIRED_AFTER(a);
  cb::shared_mutex rw;
  cb::condition_variable changed;
  int x CB_GUARDED_BY(a) = 0;
  int y CB_GUARDED_BY(b) = 0;
  int z CB_GUARDED_BY(rw) = 0;
  void locked_helper() CB_REQUIRES(a) { ++x; }
};
void guard(box& k) { cb::lock_guard hold(k.a); k.locked_helper(); }
void both(box& k) { cb::scoped_lock hold(k.a, k.b); k.x = k.y; }
void ordered(box& k) { cb::lock_guard ha(k.a); cb::lock_guard hb(k.b); ++k.y; }
int reader(box& k) { cb::shared_lock hold(k.rw); return k.z; }
void writer(box& k) { cb::unique_lock hold(k.rw); ++k.z; }
void waiter(box& k) {
  cb::unique_lock hold(k.a);
  k.changed.wait(hold);
  ++k.x;
  hold.unlock();
  hold.lock();
  --k.x;
}
bool try_it(box& k) {
  if (!k.a.try_lock()) return false;
  ++k.x;
  k.a.unlock();
  return true;
}
)";

class ThreadSafetyDetectorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string dir = (fs::temp_directory_path() / "casebook-tsa-XXXXXX").string();
    ASSERT_NE(mkdtemp(dir.data()), nullptr);
    root_ = dir;
    fs::create_directories(root_ / "cases" / "demo");
    variant_.case_name = "demo";
    variant_.variant = "broken";
    variant_.file = "cases/demo/broken.cpp";
    Expectation e;
    e.detector = "thread-safety";
    e.want = Want::finds;
    e.kinds = {"unguarded-access"};
    e.declared = true;
    variant_.expectations.push_back(e);
    detector_ = find_detector("thread-safety");
    ASSERT_NE(detector_, nullptr);
  }
  void TearDown() override { fs::remove_all(root_); }

  // Writes the variant's source, runs casebook-thread-safety on it as a trial would, and lets
  // the detector read the result.
  DetectorReading analyse(const std::string& text) {
    std::ofstream(root_ / variant_.file) << text;
    auto args = detector_->own_arguments(variant_, root_.string());
    EXPECT_TRUE(args.has_value());
    ProcessSpec spec;
    spec.argv = {CASEBOOK_THREAD_SAFETY_SCRIPT};
    spec.argv.insert(spec.argv.end(), args->begin(), args->end());
    spec.timeout = std::chrono::seconds(120);
    process_ = run_process(spec);
    return detector_->read(TrialEvidence{variant_, process_, "", std::nullopt, root_.string()});
  }

  fs::path root_;
  VariantDecl variant_;
  ProcessResult process_;
  const Detector* detector_ = nullptr;
};

// line -> kind, from the "KIND: " comments of text.
std::map<int, std::string> tagged_lines(const std::string& text) {
  std::map<int, std::string> tags;
  std::istringstream in(text);
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    const auto at = line.find("// KIND: ");
    if (at != std::string::npos) tags[n] = line.substr(at + 9);
  }
  return tags;
}

TEST_F(ThreadSafetyDetectorTest, DescribesItselfAndAppliesOnlyWhereDeclared) {
  EXPECT_EQ(detector_->traits().binary_name, "casebook-thread-safety");
  EXPECT_TRUE(detector_->traits().requires_line_match);
  EXPECT_TRUE(detector_->not_applicable(variant_).empty());
  VariantDecl undeclared = variant_;
  undeclared.expectations.clear();
  EXPECT_FALSE(detector_->not_applicable(undeclared).empty());
  const auto args = detector_->own_arguments(variant_, "/src");
  ASSERT_TRUE(args.has_value());
  EXPECT_EQ(*args, (std::vector<std::string>{"-DCASEBOOK_CASE_NAME=\"demo\"",
                                             "-DCASEBOOK_VARIANT_NAME=\"broken\"",
                                             "/src/cases/demo/broken.cpp"}));
}

TEST_F(ThreadSafetyDetectorTest, EveryKindIsFoundAtItsLine) {
  const auto r = analyse(kEveryKind);
  EXPECT_TRUE(r.anomaly.empty()) << r.anomaly << process_.stderr_text;
  EXPECT_TRUE(r.infra_error.empty()) << r.infra_error;
  std::map<int, std::string> found;
  for (const Finding& f : r.findings) {
    EXPECT_EQ(f.tool, "thread-safety");
    ASSERT_EQ(f.stacks.size(), 1u);
    ASSERT_EQ(f.stacks[0].frames.size(), 1u);
    const Frame& at = f.stacks[0].frames[0];
    EXPECT_EQ(at.file, "cases/demo/broken.cpp");
    EXPECT_EQ(f.location, "cases/demo/broken.cpp:" + std::to_string(at.line));
    EXPECT_EQ(f.summary.find("[-W"), std::string::npos) << f.summary;
    EXPECT_NE(f.raw.find("warning: "), std::string::npos) << f.raw;
    EXPECT_EQ(f.raw.find(root_.string()), std::string::npos) << "absolute path in " << f.raw;
    EXPECT_TRUE(found.emplace(at.line, f.kind).second) << "two findings at line " << at.line;
  }
  EXPECT_EQ(found, tagged_lines(kEveryKind)) << process_.stderr_text;
}

// A case brought from outside the tree (CASEBOOK_EXTRA_CASES) names its file by absolute path:
// that file is analysed, and its findings point at it.
TEST_F(ThreadSafetyDetectorTest, AVariantFromOutsideTheTreeIsAnalysedWhereItIs) {
  std::string outside = (fs::temp_directory_path() / "casebook-outside-XXXXXX").string();
  ASSERT_NE(mkdtemp(outside.data()), nullptr);
  variant_.file = outside + "/broken.cpp";
  const auto r = analyse(kEveryKind);  // root_ / an absolute path is that path
  fs::remove_all(outside);
  EXPECT_TRUE(r.anomaly.empty()) << r.anomaly << process_.stderr_text;
  std::map<int, std::string> found;
  for (const Finding& f : r.findings) {
    ASSERT_EQ(f.stacks.size(), 1u);
    ASSERT_EQ(f.stacks[0].frames.size(), 1u);
    EXPECT_EQ(f.stacks[0].frames[0].file, variant_.file);
    found.emplace(f.stacks[0].frames[0].line, f.kind);
  }
  EXPECT_EQ(found, tagged_lines(kEveryKind)) << process_.stderr_text;
}

TEST_F(ThreadSafetyDetectorTest, TheAnnotatedFacadeUsedRightDrawsNoWarning) {
  const auto r = analyse(kClean);
  EXPECT_TRUE(r.anomaly.empty()) << r.anomaly;
  EXPECT_TRUE(r.findings.empty()) << r.findings.front().raw;
  EXPECT_EQ(process_.stderr_text, "");
}

TEST_F(ThreadSafetyDetectorTest, AVariantThatDoesNotCompileIsAnAnomalyNotAPass) {
  const auto r = analyse("#include <casebook/sync.hpp>\nint f() { return undeclared_name; }\n");
  EXPECT_TRUE(r.findings.empty());
  EXPECT_NE(r.anomaly.find("cases/demo/broken.cpp:2: error:"), std::string::npos) << r.anomaly;
}

TEST_F(ThreadSafetyDetectorTest, NotesStayInTheRawTextOfTheirWarning) {
  const auto r = analyse(
      "#include <casebook/sync.hpp>\n"
      "cb::mutex m;\n"
      "void f() { m.lock(); m.lock(); }\n");
  ASSERT_FALSE(r.findings.empty()) << process_.stderr_text;
  const Finding& f = r.findings.front();
  EXPECT_EQ(f.kind, "double-lock");
  EXPECT_NE(f.raw.find("note: mutex acquired here"), std::string::npos) << f.raw;
  EXPECT_EQ(f.raw.find("generated."), std::string::npos) << f.raw;
}

TEST(ThreadSafetyDetector, AMissingClangIsAnInfrastructureError) {
  VariantDecl v;
  v.case_name = "demo";
  v.variant = "broken";
  v.file = "cases/demo/broken.cpp";
  ProcessResult p;
  p.started = true;
  p.exited = true;
  p.exit_code = 127;
  p.stderr_text = "casebook-thread-safety: no clang++ was found when casebook was configured\n";
  const auto r =
      find_detector("thread-safety")->read(TrialEvidence{v, p, "", std::nullopt, "/src"});
  EXPECT_TRUE(r.findings.empty());
  EXPECT_NE(r.infra_error.find("no clang++ was found"), std::string::npos) << r.infra_error;
}

TEST(ThreadSafetyDetector, KindsFollowClangsWording) {
  const std::map<std::string, std::string> kinds = {
      {"reading variable 'x' requires holding mutex 'm' [-Wthread-safety-analysis]",
       "unguarded-access"},
      {"writing the value pointed to by 'p' requires holding mutex 'm' exclusively",
       "unguarded-access"},
      {"passing variable 'x' by reference requires holding mutex 'm'", "unguarded-reference"},
      {"calling function 'f' requires holding mutex 'm' exclusively", "lock-not-held"},
      {"cannot call function 'f' while mutex 'm' is held", "call-while-held"},
      {"acquiring mutex 'm' that is already held", "double-lock"},
      {"releasing mutex 'm' that was not held", "unlock-not-held"},
      {"releasing mutex 'm' using exclusive access, expected shared access", "lock-kind-mismatch"},
      {"mutex 'm' is still held at the end of function", "lock-leak"},
      {"mutex 'm' is not held on every path through here", "inconsistent-locking"},
      {"expecting mutex 'm' to be held at start of each loop", "inconsistent-locking"},
      {"mutex 'a' must be acquired before 'b'", "lock-order"},
      {"Cycle in acquired_before/after dependencies, starting with 'a'", "lock-order"},
      {"'guarded_by' attribute requires arguments whose type is annotated with 'capability' "
       "attribute; type here is 'int' [-Wthread-safety-attributes]",
       "bad-annotation"},
      {"some future wording [-Wthread-safety-analysis]", "thread-safety-warning"},
  };
  for (const auto& [message, kind] : kinds) EXPECT_EQ(thread_safety_kind(message), kind) << message;
}

// The annotations cost nothing where the analysis does not run: gcc compiles the macros and
// the annotated facade without a warning (-Werror), and so does clang with -Wthread-safety
// in the real builds' configuration, where cb::mutex is std::mutex and the macros are empty.
class AnnotationsCompileAway : public ::testing::TestWithParam<std::vector<std::string>> {};

TEST_P(AnnotationsCompileAway, WithoutAWarning) {
  const std::vector<std::string>& compiler_and_flags = GetParam();
  if (compiler_and_flags.front().empty()) GTEST_SKIP() << "compiler not found at configure time";
  std::string dir = (fs::temp_directory_path() / "casebook-tsa-gcc-XXXXXX").string();
  ASSERT_NE(mkdtemp(dir.data()), nullptr);
  const fs::path source = fs::path(dir) / "annotated.cpp";
  std::ofstream(source) << kClean
                        << "int main() { box k; guard(k); both(k); return reader(k) - 1; }\n";
  ProcessSpec spec;
  spec.argv = compiler_and_flags;
  spec.argv.insert(spec.argv.end(), {"-std=c++20", "-fsyntax-only", "-Wall", "-Wextra", "-Werror",
                                     "-I" + std::string(CASEBOOK_SOURCE_ROOT) + "/harness/include",
                                     source.string()});
  spec.timeout = std::chrono::seconds(120);
  const ProcessResult p = run_process(spec);
  fs::remove_all(dir);
  EXPECT_TRUE(p.exited && p.exit_code == 0) << describe_status(p) << "\n" << p.stderr_text;
}

INSTANTIATE_TEST_SUITE_P(
    Compilers, AnnotationsCompileAway,
    ::testing::Values(std::vector<std::string>{CASEBOOK_GXX},
                      std::vector<std::string>{CASEBOOK_GXX, "-DCASEBOOK_FACADE_THREAD_SAFETY"},
                      std::vector<std::string>{CASEBOOK_THREAD_SAFETY_CLANGXX, "-Wthread-safety",
                                               "-Wthread-safety-beta"}));

}  // namespace
}  // namespace casebook
