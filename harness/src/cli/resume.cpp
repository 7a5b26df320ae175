#include "cli/resume.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

#include "common/errors.hpp"
#include "detectors/detector.hpp"
#include "record/results_reader.hpp"
#include "record/run_journal.hpp"
#include "results/json_fields.hpp"
#include "suite/program_union.hpp"

namespace casebook {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// "12345678 bytes, modified 1733500000.123456789": enough to tell a rebuilt binary apart.
std::string fingerprint(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return "missing";
  return std::to_string(st.st_size) + " bytes, modified " + std::to_string(st.st_mtim.tv_sec) +
         "." + std::to_string(st.st_mtim.tv_nsec);
}

std::string absolute(const std::string& path) {
  if (path.empty()) return path;
  std::error_code ec;
  return fs::absolute(path, ec).lexically_normal().string();
}

EarlierRun from_journal(const std::string& path, JournalContents journal) {
  EarlierRun run;
  run.source = path;
  run.from_journal = true;
  const JsonFields header(journal.header, path + " line 1");
  run.identity = header.any("identity");
  run.seed = header.unsigned_integer("seed");
  run.started_at = header.text("started_at");
  run.resumed_before = header.integer("resumed") + journal.resumes;
  run.elapsed_seconds = journal.elapsed_seconds;
  run.verdicts = std::move(journal.verdicts);
  run.journal_bytes = journal.complete_bytes;
  run.torn_tail = journal.torn_tail;
  return run;
}

EarlierRun from_results(const std::string& path) {
  json doc;
  try {
    std::ifstream in(path);
    doc = json::parse(in);
  } catch (const json::exception& e) {
    throw UsageError("--resume: " + path + " is not valid JSON (" + e.what() +
                     ") and there is no run journal beside it: nothing can be continued; run "
                     "without --resume");
  }
  EarlierRun run;
  run.source = path;
  const JsonFields top(doc, path);
  const JsonFields info(top.any("run"), top.path("run"));
  if (!info.has("identity")) {
    throw UsageError("--resume: " + path +
                     " was written by a casebook that did not record what a resumed run must "
                     "match (run.identity); run without --resume");
  }
  run.identity = info.any("identity");
  run.seed = info.unsigned_integer("seed");
  run.started_at = info.text("started_at");
  run.elapsed_seconds = info.number("duration_seconds");
  if (info.has("resumed") && !info.any("resumed").is_null()) {
    run.resumed_before = JsonFields(info.any("resumed"), info.path("resumed")).integer("times");
  }
  const json& verdicts = top.array("verdicts");
  for (const json& v : verdicts) {
    if (v.is_object() && v.value("detector", "") == kUnionDetector) continue;  // recomputed
    run.verdicts.push_back(v);
  }
  return run;
}

}  // namespace

EarlierRun read_earlier_run(const fs::path& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    throw UsageError("--resume: '" + dir.string() +
                     "' is not a folder; give the --out folder of the run to continue");
  }
  const std::string journal_path = (dir / kJournalFileName).string();
  const std::string results_path = (dir / "results.json").string();
  try {
    if (auto journal = read_journal(journal_path)) return from_journal(journal_path, *journal);
    if (fs::exists(results_path, ec)) return from_results(results_path);
  } catch (const FieldError& e) {
    throw UsageError(std::string("--resume: ") + e.what());
  }
  throw UsageError("--resume: '" + dir.string() + "' holds no " + kJournalFileName +
                   " and no results.json, so no run to continue; give the --out folder of an "
                   "interrupted run, or run without --resume");
}

json run_identity(const RunOptions& o, const SuiteOptions& s,
                  const results::Environment& environment) {
  json binaries = json::object();
  std::error_code ec;
  binaries["casebook"] = fingerprint(fs::read_symlink("/proc/self/exe", ec).string());
  for (const Detector* d : s.detectors) {
    const std::string name = d->traits().binary_name;
    binaries[name] = fingerprint((fs::path(s.bin_dir) / name).string());
  }
  json programs = json::object();
  for (const auto& v : s.variants) {
    if (!v.program) continue;
    json built = json::object();
    for (const auto& [config, binary] : v.program->binaries) {
      // The cache folder is named by a hash of what went into the binary (programs/build.hpp).
      built[config] = fs::path(binary).parent_path().filename().string();
    }
    for (const auto& [config, error] : v.program->build_errors) built[config] = "did not build";
    programs[v.id()] = std::move(built);
  }
  json programs_given = json::array();
  for (const auto& p : o.sources.programs) programs_given.push_back(absolute(p));
  json suppressions = json::array();
  for (const auto& f : valgrind_suppressions()) suppressions.push_back(absolute(f));
  std::vector<std::string> detectors;
  for (const Detector* d : s.detectors) detectors.emplace_back(d->name());
  return {
      {"build", json{{"commit", environment.build_commit},
                     {"dirty", environment.build_dirty.value_or(false)}}
                    .dump()},
      {"binaries", std::move(binaries)},
      {"--bin-dir", absolute(s.bin_dir)},
      {"--filter", o.filter},
      {"--detectors", detectors},
      {"--programs", std::move(programs_given)},
      {"--labels", absolute(o.sources.labels)},
      {"--catalog", o.sources.with_catalog},
      {"programs built", std::move(programs)},
      {"--shard", std::to_string(s.shard.index) + "/" + std::to_string(s.shard.count)},
      {"--repeat", s.budget.repeat},
      {"--deflake", s.budget.deflake},
      {"--deflake-max", s.budget.deflake_max},
      {"--deflake-seconds", s.budget.deflake_seconds},
      {"--share-machine", o.share_machine},
      {"--timeout", o.timeout_seconds ? json(*o.timeout_seconds) : json(nullptr)},
      {"--noise", o.noise_level.value_or(0)},
      {"valgrind suppressions", std::move(suppressions)},
      {"--seed", s.seed},
  };
}

void check_same_run(const EarlierRun& earlier, const json& now, const std::string& dir) {
  if (!earlier.identity.is_object()) {
    throw UsageError("--resume: " + earlier.source +
                     " does not say what run it was (its identity is not an object); run "
                     "without --resume");
  }
  std::string differences;
  for (const auto& [key, value] : now.items()) {
    const auto then = earlier.identity.find(key);
    if (then != earlier.identity.end() && *then == value) continue;
    // Binaries and program builds, one by one: a binary only one side runs is the other
    // difference's (--detectors, --programs) consequence, not one of its own.
    if ((key == "binaries" || key == "programs built") && then != earlier.identity.end() &&
        then->is_object() && value.is_object()) {
      for (const auto& [name, built] : value.items()) {
        const auto was = then->find(name);
        if (was != then->end() && *was != built) {
          differences += "\n  " + name + ": rebuilt since (" + was->dump() + " then, " +
                         built.dump() + " now)";
        }
      }
      continue;
    }
    const std::string was = then == earlier.identity.end() ? "(not recorded)" : then->dump();
    differences += "\n  " + key + ": " + was + " then, " + value.dump() + " now";
  }
  if (differences.empty()) return;
  throw UsageError("--resume: the run in " + dir +
                   " is not this run, so its verdicts cannot be kept (from " + earlier.source +
                   "):" + differences +
                   "\nGive the options of the run being continued, with the same build; or run "
                   "without --resume (it starts anew and replaces what " +
                   dir + " holds).");
}

KeptPairs graded_before(const EarlierRun& earlier, const std::vector<VariantDecl>& variants) {
  std::map<std::string, const VariantDecl*> by_id;
  for (const auto& v : variants) by_id[v.id()] = &v;
  KeptPairs kept;
  for (std::size_t i = 0; i < earlier.verdicts.size(); ++i) {
    const std::string where = earlier.source + (earlier.from_journal ? " verdict " : " verdicts[") +
                              std::to_string(i) + (earlier.from_journal ? "" : "]");
    try {
      const JsonFields f(earlier.verdicts[i], where);
      const std::string id = f.text("case") + "/" + f.text("variant");
      const auto variant = by_id.find(id);
      if (variant == by_id.end()) {
        JsonFields::fail(where, "names " + id + ", which this run does not select");
      }
      VerdictRecord r = verdict_from_json(earlier.verdicts[i], where, *variant->second);
      const bool undeclared_skip =
          r.grade.verdict == Verdict::skipped && r.expected.want != Want::skip;
      if (r.grade.infrastructure || undeclared_skip) {
        ++kept.rerun_for_the_machine;
        continue;
      }
      kept.graded[r.key()] = std::move(r);
    } catch (const FieldError& e) {
      throw UsageError(std::string("--resume: ") + e.what() + "; run without --resume");
    }
  }
  return kept;
}

}  // namespace casebook
