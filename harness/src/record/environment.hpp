// environment.hpp - where a run happened: compiler, flags per configuration, kernel, CPUs, the
// git commits checked out and built. Goes into results.json so a report from another machine
// explains itself.
#pragma once

#include <string>

#include "results/results_model.hpp"

namespace casebook {

// Reads the machine (uname, CPU count) and the source tree's git commit (empty when the tree
// is not a git checkout or git is absent), and adds the commit the binaries were built from
// (build_commit, with build_dirty when tracked files had uncommitted changes). Costs one short
// `git` child process.
results::Environment describe_environment(const std::string& source_root);

}  // namespace casebook
