// outcome_file.hpp - how every case-host command hands its result to the runner.
//
// The outcome is written before main returns: a broken variant may leave threads running that
// crash the process during exit, and the outcome must survive that.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "casebook/case.hpp"
#include "protocol/host_protocol.hpp"

namespace casebook::casehost {

// A variant's inputs as the listing and the outcomes write them.
inline protocol::ListedParams listed_params(const cb::params& p) {
  return {p.threads, p.iterations, p.seed, p.extra};
}

// Writes out as one line of JSON to path, or to stdout when path is empty. Returns 0, or 3
// (with a message on stderr) when the file cannot be written.
int write_outcome(const nlohmann::json& out, const std::string& path);

}  // namespace casebook::casehost
