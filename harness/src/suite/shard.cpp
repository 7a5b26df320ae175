#include "suite/shard.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cstdlib>
#include <fstream>

#include "common/errors.hpp"

namespace casebook {

namespace {

std::optional<int> whole_number(std::string_view text) {
  int value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

}  // namespace

Shard parse_shard(std::string_view text) {
  const auto slash = text.find('/');
  const auto index =
      slash == std::string_view::npos ? std::nullopt : whole_number(text.substr(0, slash));
  const auto count =
      slash == std::string_view::npos ? std::nullopt : whole_number(text.substr(slash + 1));
  if (!index || !count || *count < 1 || *index < 0 || *index >= *count) {
    throw UsageError(
        fmt::format("--shard '{}': give i/n with 0 <= i < n, e.g. --shard 0/4 for "
                    "the first of four shards",
                    text));
  }
  return {*index, *count};
}

std::optional<Shard> shard_from_environment() {
  const char* total = std::getenv("GTEST_TOTAL_SHARDS");
  const char* index = std::getenv("GTEST_SHARD_INDEX");
  if (total == nullptr && index == nullptr) return std::nullopt;
  if (total == nullptr || index == nullptr) {
    throw UsageError(fmt::format("GTEST_{} is set but GTEST_{} is not; set both or neither",
                                 total ? "TOTAL_SHARDS" : "SHARD_INDEX",
                                 total ? "SHARD_INDEX" : "TOTAL_SHARDS"));
  }
  try {
    return parse_shard(std::string(index) + "/" + total);
  } catch (const UsageError&) {
    throw UsageError(
        fmt::format("GTEST_SHARD_INDEX={} GTEST_TOTAL_SHARDS={}: want 0 <= index < "
                    "total",
                    index, total));
  }
}

void acknowledge_shard_status_file() {
  const char* path = std::getenv("GTEST_SHARD_STATUS_FILE");
  if (path == nullptr || *path == '\0') return;
  std::ofstream touch(path, std::ios::app);
  if (!touch) throw InfraError(fmt::format("cannot create GTEST_SHARD_STATUS_FILE '{}'", path));
}

}  // namespace casebook
