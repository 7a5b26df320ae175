// environment.hpp - where a run happened: compiler, flags per configuration, kernel, CPUs,
// git commit. Goes into results.json so a report from another machine explains itself.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace casebook {

// Reads the machine (uname, CPU count) and the source tree's git commit (empty when the tree
// is not a git checkout or git is absent). Costs one short `git` child process.
nlohmann::json describe_environment(const std::string& source_root);

}  // namespace casebook
