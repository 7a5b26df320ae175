// shard.hpp - splitting one suite over several machines (CI jobs) deterministically.
//
// The (case, variant, detector) pairs a run would grade are numbered in a fixed order (cases
// sorted, then variants, then detectors as given); shard i of n takes the pairs whose number
// is i modulo n. Every shard of the same command computes the same numbering, so the shards
// together cover each pair exactly once, and `casebook report` merges their results.
//
// The shard comes from `--shard i/n`, or from GoogleTest's environment (GTEST_TOTAL_SHARDS,
// GTEST_SHARD_INDEX), which many CI engines can set per parallel job. A runner that honours
// those touches GTEST_SHARD_STATUS_FILE when it is set, to say it did.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace casebook {

struct Shard {
  int index = 0;
  int count = 1;
  bool takes(std::size_t position) const {
    return static_cast<int>(position % static_cast<std::size_t>(count)) == index;
  }
};

// Parses "i/n" (0 <= i < n, n >= 1). Throws UsageError naming the text and the form wanted.
Shard parse_shard(std::string_view text);

// The shard GoogleTest's variables describe, or nothing when neither is set. Throws UsageError
// when only one is set or either is malformed.
std::optional<Shard> shard_from_environment();

// Touches GTEST_SHARD_STATUS_FILE when the environment names one. Throws InfraError when it
// cannot be created.
void acknowledge_shard_status_file();

}  // namespace casebook
