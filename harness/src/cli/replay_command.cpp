// `casebook replay <case> <variant> --schedule S`: reruns one schedule of the controlled
// scheduler deterministically (the line every model failure prints), in the model case host,
// and shows its failure and interleaving.
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "common/errors.hpp"
#include "process/process.hpp"
#include "protocol/host_protocol_reader.hpp"

namespace casebook {

int replay_command(const ReplayOptions& options) {
  namespace fs = std::filesystem;
  const fs::path binary = fs::path(options.common.bin_dir) / "casebook-cases-model";
  if (!fs::exists(binary)) {
    throw UsageError(binary.string() +
                     " does not exist: build the model configuration "
                     "(ninja casebook-cases-model) or pass --bin-dir");
  }
  ProcessSpec spec;
  spec.argv = {binary.string(), "explore", options.case_name, options.variant,
               "--strategy",    "replay",  "--schedule",      options.schedule};
  spec.timeout = std::chrono::seconds(120);
  ProcessResult r = run_process(spec);
  std::cerr << r.stderr_text;
  if (!r.started) throw InfraError("cannot start " + binary.string() + ": " + r.start_error);
  if (r.exited && r.exit_code == kExitUsage) return kExitUsage;
  if (!r.exited || r.exit_code != 0) {
    throw InfraError("the model case host ended with " + describe_status(r));
  }
  results::Exploration m;
  try {
    const protocol::Outcome out = protocol::read_outcome(nlohmann::json::parse(r.stdout_text));
    if (!out.model) throw FieldError("outcome.model: missing");
    m = *out.model;
  } catch (const std::exception& e) {
    throw InfraError(std::string("unreadable result from the model case host: ") + e.what());
  }
  if (m.replay_diverged.value_or(false)) {
    std::cerr << "casebook: the schedule does not fit " << options.case_name << "/"
              << options.variant << " (a decision named a thread that could not run there)\n";
    return kExitUsage;
  }
  if (!m.failed || !m.failure) {
    std::cout << options.case_name << "/" << options.variant << ": the schedule ran to its end "
              << "with no failure\n";
    return kExitExpectationFailed;
  }
  std::cout << options.case_name << "/" << options.variant << ": reproduced " << m.failure->kind
            << ": " << m.failure->message << "\n";
  return kExitOk;
}

}  // namespace casebook
