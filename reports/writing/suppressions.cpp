// suppressions.cpp - see suppressions.hpp.
#include "writing/suppressions.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace casebook::reports {

std::vector<std::pair<std::string, long>> suppressed_in(const results::Verdict& verdict) {
  std::map<std::string, long> counts;
  for (const results::Trial& trial : verdict.trials) {
    for (const results::SuppressionCount& s : trial.suppressed) counts[s.name] += s.count;
  }
  std::vector<std::pair<std::string, long>> out(counts.begin(), counts.end());
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  return out;
}

std::string suppressed_line(const results::Verdict& verdict) {
  std::string line;
  for (const auto& [name, count] : suppressed_in(verdict)) {
    line += fmt::format("{}{}x {}", line.empty() ? "suppressed: " : ", ", count, name);
  }
  return line;
}

}  // namespace casebook::reports
