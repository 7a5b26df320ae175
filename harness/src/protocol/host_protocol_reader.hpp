// host_protocol_reader.hpp - the runner's strict readers of the case host's documents
// (host_protocol.hpp): the `list` output and an outcome file.
//
// Both come from a child process that may be a case host of another build, an outside project's
// or a program that only looks like one: a missing or mistyped field stops the reader with a
// FieldError (results/json_fields.hpp) naming its path ("listing[3].defaults.threads: expected
// an integer, found \"4\""), never with a default that hides it.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "protocol/host_protocol.hpp"
#include "results/json_fields.hpp"

namespace casebook::protocol {

// One entry of the listing. Required: case, variant, defaults (threads, iterations, seed) and
// expectations (each with detector and want); the rest reads as its default when absent.
ListedVariant read_listed_variant(const nlohmann::json& value, const std::string& where);

// A whole listing: a JSON array of entries, each at "<where>[i]".
std::vector<ListedVariant> read_listing(const nlohmann::json& value,
                                        const std::string& where = "listing");

// An outcome file: results::outcome_from_json (results/outcome.hpp), the reader results.json's
// trial outcomes go through too.
Outcome read_outcome(const nlohmann::json& value, const std::string& where = "outcome");

}  // namespace casebook::protocol
