#include "property_check.hpp"

#include <rapidcheck.h>

#include <stdexcept>
#include <unordered_map>
#include <utility>
#include <vector>

#include "forked_run.hpp"

namespace casebook::casehost {
namespace {

// Counts the accepted shrink steps and tried inputs of one check.
class counting_listener : public rc::detail::TestListener {
 public:
  void onTestCaseFinished(const rc::detail::CaseDescription&) override {}
  void onShrinkTried(const rc::detail::CaseDescription&, bool accepted) override {
    if (accepted) ++shrinks;
  }
  void onTestFinished(const rc::detail::TestMetadata&, const rc::detail::TestResult&) override {}
  int shrinks = 0;
};

void check_ranges(const registered_variant& v) {
  if (v.spec.vary.empty()) {
    throw std::invalid_argument(v.case_name + "/" + v.variant +
                                " declares no .vary: there is no input to generate");
  }
  for (const auto& r : v.spec.vary) {
    const bool known = r.name == "threads" || r.name == "iterations" || r.name == "seed" ||
                       v.spec.defaults.extra.count(r.name) > 0;
    if (!known) {
      throw std::invalid_argument(v.case_name + "/" + v.variant + ": .vary names '" + r.name +
                                  "', which is neither threads, iterations, seed nor one of "
                                  "its .defaults extras");
    }
    if (r.min > r.max) {
      throw std::invalid_argument(v.case_name + "/" + v.variant + ": .vary range of '" + r.name +
                                  "' has min > max");
    }
  }
}

std::string describe(const std::map<std::string, std::int64_t>& values,
                     const std::vector<cb::param_range>& order) {
  std::string out;
  for (const auto& r : order) {
    auto it = values.find(r.name);
    if (it == values.end()) continue;
    if (!out.empty()) out += ' ';
    out += r.name + "=" + std::to_string(it->second);
  }
  return out;
}

// The reproduce token of rapidcheck's configuration string ("reproduce=<code> seed=..."):
// just <code>.
std::string reproduce_code(const std::string& id, const rc::detail::Reproduce& r) {
  rc::detail::Configuration config;
  config.reproduce[id] = r;
  const std::string text = rc::detail::configToString(config);
  const auto at = text.find("reproduce=");
  if (at == std::string::npos) return "";
  const auto start = at + 10;
  const auto end = text.find(' ', start);
  return text.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

}  // namespace

cb::params params_with(const registered_variant& v,
                       const std::map<std::string, std::int64_t>& values) {
  cb::params p = v.spec.defaults;
  for (const auto& [name, value] : values) {
    if (name == "threads") {
      p.threads = static_cast<int>(value);
    } else if (name == "iterations") {
      p.iterations = value;
    } else if (name == "seed") {
      p.seed = static_cast<std::uint64_t>(value);
    } else {
      p.extra[name] = value;
    }
  }
  return p;
}

property_result check_property(const registered_variant& v, const property_options& options) {
  check_ranges(v);
  const std::string id = v.case_name + "/" + v.variant;
  std::map<std::string, std::int64_t> last_values;
  std::string last_failure;
  std::string last_death;  // how the last failing run died, "" when it returned an outcome
  int tried = 0;

  auto property = [&] {
    std::map<std::string, std::int64_t> values;
    for (const auto& r : v.spec.vary) {
      values[r.name] = *rc::gen::inRange<std::int64_t>(r.min, r.max + 1).as(r.name);
    }
    ++tried;
    if (options.on_input) options.on_input(describe(values, v.spec.vary));
    const cb::params p = params_with(v, values);
    for (int attempt = 1; attempt <= options.attempts; ++attempt) {
      const forked_outcome run = run_forked(v, p);
      const cb::outcome& o = run.outcome;
      if (o.holds) continue;
      last_values = values;
      last_death = run.death;
      last_failure = run.crashed ? "the run " + run.death
                                 : o.invariant + ": observed " + o.observed + ", expected " +
                                       o.expected + (o.note.empty() ? "" : " (" + o.note + ")");
      if (options.attempts > 1) {
        last_failure += " [run " + std::to_string(attempt) + " of " +
                        std::to_string(options.attempts) + " for this input]";
      }
      RC_FAIL(last_failure);
    }
  };

  rc::detail::TestMetadata metadata;
  metadata.id = id;
  metadata.description = id;
  rc::detail::TestParams params;
  params.maxSuccess = options.tests;
  params.seed = options.seed;
  std::unordered_map<std::string, rc::detail::Reproduce> replay;
  if (!options.reproduce.empty()) {
    const auto config = rc::detail::configFromString("reproduce=" + options.reproduce);
    auto it = config.reproduce.find(id);
    if (it == config.reproduce.end()) {
      throw std::invalid_argument("the reproduce string is not one of " + id + "'s");
    }
    replay.emplace(id, it->second);
  }
  counting_listener listener;
  const rc::detail::TestResult result =
      rc::detail::checkTestable(property, metadata, params, listener, replay);

  property_result out;
  out.tests_run = tried;
  out.shrinks = listener.shrinks;
  if (result.is<rc::detail::FailureResult>()) {
    const auto& failure = result.get<rc::detail::FailureResult>();
    out.failed = true;
    // The last failing run is the shrunk counterexample: rapidcheck re-runs it last.
    out.counterexample_params = last_values;
    out.counterexample = describe(last_values, v.spec.vary);
    out.crashed = !last_death.empty();
    out.failure = last_failure.empty() ? failure.description : last_failure;
    out.reproduce = reproduce_code(id, failure.reproduce);
    out.tests_run = failure.numSuccess + 1;
  } else if (result.is<rc::detail::GaveUpResult>()) {
    out.gave_up = true;
    out.message = result.get<rc::detail::GaveUpResult>().description;
  } else if (result.is<rc::detail::Error>()) {
    out.gave_up = true;
    out.message = result.get<rc::detail::Error>().description;
  } else {
    out.tests_run = result.get<rc::detail::SuccessResult>().numSuccess;
  }
  return out;
}

}  // namespace casebook::casehost
