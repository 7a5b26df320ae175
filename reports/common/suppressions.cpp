// suppressions.cpp - see suppressions.hpp.
#include "common/suppressions.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace casebook::reports {

namespace {

std::vector<std::pair<std::string, long>> most_first(const std::map<std::string, long>& counts) {
  std::vector<std::pair<std::string, long>> out(counts.begin(), counts.end());
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  return out;
}

}  // namespace

std::vector<std::pair<std::string, long>> suppressed_in(const results::Verdict& verdict) {
  std::map<std::string, long> counts;
  for (const results::Trial& trial : verdict.trials) {
    for (const results::SuppressionCount& s : trial.suppressed) counts[s.name] += s.count;
  }
  return most_first(counts);
}

std::vector<std::pair<std::string, long>> suppressed_in(const nlohmann::json& verdict) {
  std::map<std::string, long> counts;
  const auto trials = verdict.find("trials");
  if (!verdict.is_object() || trials == verdict.end() || !trials->is_array()) return {};
  for (const auto& trial : *trials) {
    const auto list = trial.is_object() ? trial.find("suppressed") : trial.end();
    if (!trial.is_object() || list == trial.end() || !list->is_array()) continue;
    for (const auto& entry : *list) {
      if (!entry.is_object()) continue;
      const auto name = entry.find("name");
      const auto count = entry.find("count");
      if (name == entry.end() || !name->is_string() || count == entry.end() ||
          !count->is_number_integer()) {
        continue;
      }
      counts[name->get<std::string>()] += count->get<long>();
    }
  }
  return most_first(counts);
}

std::string suppressed_line(const nlohmann::json& verdict) {
  std::string line;
  for (const auto& [name, count] : suppressed_in(verdict)) {
    line += fmt::format("{}{}x {}", line.empty() ? "suppressed: " : ", ", count, name);
  }
  return line;
}

}  // namespace casebook::reports
