// golden.hpp - the golden-file check every report writer's test uses (JUnit, SARIF, Markdown
// and HTML).
//
// Compares rendered text with a committed golden file. On a mismatch the new text is written
// beside the golden file as <name>.new, for review with diff; CASEBOOK_UPDATE_GOLDEN=1
// rewrites the golden file itself after an intended change.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

namespace casebook::reports::testing {

inline std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline nlohmann::json load_sample(const std::string& path) {
  return nlohmann::json::parse(slurp(path));
}

// Whether the run asks for the golden files to be rewritten: CASEBOOK_UPDATE_GOLDEN=1 (any
// value but empty or "0"); CASEBOOK_UPDATE_GOLDEN=0 is a no, as it reads.
inline bool golden_update_requested() {
  const char* value = std::getenv("CASEBOOK_UPDATE_GOLDEN");
  return value != nullptr && *value != '\0' && std::string(value) != "0";
}

// golden: the golden file's path.
inline void expect_matches_golden(const std::string& rendered, const std::string& golden) {
  const std::string golden_name = std::filesystem::path(golden).filename().string();
  const std::string fresh = golden + ".new";
  if (golden_update_requested()) {
    std::ofstream(golden, std::ios::binary) << rendered;
  }
  if (rendered == slurp(golden)) {
    std::filesystem::remove(fresh);
    return;
  }
  std::ofstream(fresh, std::ios::binary) << rendered;
  ADD_FAILURE() << golden_name << " differs from the golden file; the new output is in " << fresh
                << " (diff it; rerun with CASEBOOK_UPDATE_GOLDEN=1 if the change is intended)";
}

}  // namespace casebook::reports::testing
