// The deflake budget's noisy retries end to end: the real casebook CLI over the noise_window
// fixture (tests/e2e/fixtures/noise_window), whose race the plain build does not show and the
// noise build does. Past the fixed budget every second retry of the invariant detector runs
// on the noise build, the verdict says which trial showed the finding and how, and its repro
// line reruns that trial as it ran; a catalog without the noise build says so when it misses.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "cli_support.hpp"

namespace casebook {
namespace {

namespace fs = std::filesystem;
using e2e::find_verdict;
using e2e::read_json;
using e2e::run_cli;
using nlohmann::json;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

json run_noise_window(const fs::path& out, const std::string& bin_dir, ProcessResult* run) {
  fs::remove_all(out);
  *run = run_cli({"run", "--bin-dir", bin_dir, "--filter", "noise_window", "--detectors",
                  "invariant", "--seed", "11", "--out", out.string()});
  if (!fs::exists(out / "results.json")) return json::object();
  return read_json(out / "results.json");
}

TEST(NoisyRetries, ARaceOnlyNoiseShowsIsFoundByANoisyRetry) {
  const fs::path out = fs::path(E2E_OUT_DIR) / "noisy-retries";
  ProcessResult run;
  const json results = run_noise_window(out, CHANCE_BIN_DIR, &run);
  ASSERT_TRUE(run.exited) << describe_status(run);
  EXPECT_EQ(run.exit_code, 0) << run.stdout_text << run.stderr_text;
  EXPECT_EQ(e2e::last_line(run.stdout_text), "2 passed, 0 failed, 0 skipped") << run.stdout_text;

  const json* broken = find_verdict(results, "noise_window", "broken", "invariant");
  ASSERT_NE(broken, nullptr) << results.dump(1);
  ASSERT_EQ(broken->at("verdict"), "detected") << broken->at("reason");
  const json& trials = broken->at("trials");
  // The five fixed trials and the first retry run as the invariant detector always does.
  ASSERT_GE(trials.size(), 7u) << trials.dump(1);
  for (std::size_t i = 0; i < trials.size(); ++i) {
    const bool noisy = i >= 6 && (i - 5) % 2 == 1;
    EXPECT_EQ(trials.at(i).at("noise_level"), noisy ? 3 : 0) << "trial " << i;
  }
  const json& deciding = trials.back();
  EXPECT_EQ(deciding.at("noise_level"), 3) << "the plain build showed the race: " << deciding;
  EXPECT_TRUE(contains(broken->at("reason"), "a retry with schedule noise at level 3"))
      << broken->at("reason");
  // The trial's own by-hand command runs the noise build with the noise level it ran with.
  const std::string command = deciding.at("command");
  EXPECT_TRUE(contains(command, "CASEBOOK_NOISE_LEVEL=3")) << command;
  EXPECT_TRUE(contains(command, "casebook-cases-noise")) << command;
  // The repro line names the noisy twin, its level and the deciding trial's seed.
  const std::string repro = broken->at("repro");
  EXPECT_TRUE(
      contains(repro, "--detectors invariant-noise --noise 3 --seed " + deciding.at("seed").dump()))
      << repro;

  // A fixed variant gets no retries, so none with noise.
  const json* fixed = find_verdict(results, "noise_window", "fixed", "invariant");
  ASSERT_NE(fixed, nullptr);
  EXPECT_EQ(fixed->at("verdict"), "clean") << fixed->at("reason");
  EXPECT_EQ(fixed->at("trials").size(), 1u);

  // The repro line, run as printed, shows the race again (the noise build shows it in most
  // trials, and the rerun gets its own deflake budget).
  const fs::path again = fs::path(E2E_OUT_DIR) / "noisy-retries-repro";
  fs::remove_all(again);
  const ProcessResult rerun = e2e::run_shell(repro + " --out " + again.string());
  ASSERT_TRUE(rerun.exited) << describe_status(rerun);
  EXPECT_EQ(rerun.exit_code, 0) << rerun.stdout_text << rerun.stderr_text;
  const json replay_results = read_json(again / "results.json");
  const json* replayed = find_verdict(replay_results, "noise_window", "broken", "invariant-noise");
  ASSERT_NE(replayed, nullptr);
  EXPECT_EQ(replayed->at("verdict"), "detected") << replayed->at("reason");
}

TEST(NoisyRetries, ACatalogWithoutTheNoiseBuildRetriesUnperturbedAndSaysSo) {
  const fs::path bin = fs::path(E2E_OUT_DIR) / "noisy-retries-plain-only";
  fs::remove_all(bin);
  fs::create_directories(bin);
  fs::copy_file(fs::path(CHANCE_BIN_DIR) / "casebook-cases-plain", bin / "casebook-cases-plain");
  const fs::path out = fs::path(E2E_OUT_DIR) / "noisy-retries-without-noise";
  ProcessResult run;
  const json results = run_noise_window(out, bin.string(), &run);
  ASSERT_TRUE(run.exited) << describe_status(run);
  const json* broken = find_verdict(results, "noise_window", "broken", "invariant");
  ASSERT_NE(broken, nullptr) << run.stdout_text << run.stderr_text;
  for (const auto& t : broken->at("trials")) EXPECT_EQ(t.at("noise_level"), 0) << t;
  // The plain build shows this race only if the first thread stalls inside its sub-microsecond
  // loop; when it misses, the reason says why no retry had noise.
  if (broken->at("verdict") == "missed") {
    EXPECT_EQ(run.exit_code, 1);
    EXPECT_TRUE(contains(broken->at("reason"),
                         "its retries ran without schedule noise: casebook-cases-noise was not "
                         "built"))
        << broken->at("reason");
  }
}

// --noise LEVEL: every variant also runs under invariant-noise, and the run compares how often
// each bug showed with and without schedule noise, on the console and in results.json. Each
// side is counted from the trials themselves: without noise only the invariant detector's
// unperturbed trials (a noisy retry is not "without noise"), with noise every invariant-noise
// trial, all at the level asked for.
TEST(NoisyRetries, TheNoiseOptionComparesEachVariantWithAndWithoutNoise) {
  const fs::path out = fs::path(E2E_OUT_DIR) / "noise-comparison";
  fs::remove_all(out);
  const ProcessResult run = run_cli({"run", "--bin-dir", CHANCE_BIN_DIR, "--filter", "noise_window",
                                     "--detectors", "invariant", "--noise", "3", "--repeat", "6",
                                     "--seed", "11", "--out", out.string()});
  ASSERT_TRUE(run.exited) << describe_status(run);
  EXPECT_EQ(run.exit_code, 0) << run.stdout_text << run.stderr_text;
  EXPECT_TRUE(contains(run.stdout_text, "Schedule noise at level 3")) << run.stdout_text;
  const json results = read_json(out / "results.json");
  ASSERT_TRUE(results.at("noise").is_object()) << results.at("noise");
  EXPECT_EQ(results.at("noise").at("level"), 3);
  const json& rows = results.at("noise").at("comparison");
  ASSERT_EQ(rows.size(), 2u) << rows;

  // hits/trials of a verdict's trials that pass `counted`.
  auto tally = [](const json& verdict, int level) {
    int trials = 0, hits = 0;
    for (const auto& t : verdict.at("trials")) {
      if (level >= 0 && t.at("noise_level") != level) continue;
      ++trials;
      if (!t.at("findings").empty()) ++hits;
    }
    return std::pair{hits, trials};
  };
  for (const auto& row : rows) {
    const std::string variant = row.at("variant");
    SCOPED_TRACE(variant);
    EXPECT_EQ(row.at("case"), "noise_window");
    EXPECT_EQ(row.at("expects_finding"), variant == "broken");
    const json* plain = find_verdict(results, "noise_window", variant, "invariant");
    const json* noisy = find_verdict(results, "noise_window", variant, "invariant-noise");
    ASSERT_NE(plain, nullptr);
    ASSERT_NE(noisy, nullptr);
    // Its trials ran the noise build at the level asked for (their noise_level field is for
    // the invariant detector's noisy retries: 0 here).
    for (const auto& t : noisy->at("trials")) {
      EXPECT_EQ(t.at("command").get<std::string>().rfind("CASEBOOK_NOISE_LEVEL=3 ", 0), 0u) << t;
    }
    const auto [plain_hits, plain_trials] = tally(*plain, 0);
    const auto [noisy_hits, noisy_trials] = tally(*noisy, -1);
    EXPECT_EQ(row.at("without_noise").at("trials"), plain_trials);
    EXPECT_EQ(row.at("without_noise").at("hits"), plain_hits);
    EXPECT_EQ(row.at("with_noise").at("trials"), 6);
    EXPECT_EQ(noisy_trials, 6);
    EXPECT_EQ(row.at("with_noise").at("hits"), noisy_hits);
    if (variant == "broken") {
      EXPECT_GT(noisy_hits, 0) << "the noise build shows this race in most trials";
    } else {
      EXPECT_EQ(plain_hits + noisy_hits, 0) << "the fixed variant has no race to show";
    }
  }
}

}  // namespace
}  // namespace casebook
