#include "programs/labels.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "common/errors.hpp"

namespace casebook {

namespace fs = std::filesystem;

namespace {

bool names(const ProgramSource& p, const std::string& name) {
  const std::string& file = p.files.front();
  return name == p.case_name || name == p.case_name + "/" + p.variant || name == file ||
         name == fs::path(file).filename().string();
}

// The line of one bug-line token: "64", "64:10", or a race access "a[i+1]@64:10:R".
std::optional<int> line_of(const std::string& token) {
  static const std::regex plain(R"(^(\d+)(:\d+)?$)");
  static const std::regex access(R"(@(\d+)(:\d+)?(:[RW])?$)");
  std::smatch m;
  if (std::regex_search(token, m, plain) || std::regex_search(token, m, access)) {
    const int line = std::stoi(m[1].str());
    if (line > 0) return line;
  }
  return std::nullopt;
}

}  // namespace

std::vector<std::optional<ProgramLabel>> read_labels(const std::string& path,
                                                     const std::vector<ProgramSource>& programs) {
  std::ifstream in(path);
  if (!in) throw UsageError("--labels " + path + ": cannot read the file");
  std::vector<std::optional<ProgramLabel>> labels(programs.size());
  std::string text;
  for (int number = 1; std::getline(in, text); ++number) {
    if (const auto hash = text.find('#'); hash != std::string::npos) text.resize(hash);
    std::istringstream words(text);
    std::string name, label;
    if (!(words >> name)) continue;
    const std::string where = path + ":" + std::to_string(number);
    if (!(words >> label) || (label != "positive" && label != "negative")) {
      throw UsageError(where + ": '" + name + "' needs a label, positive or negative" +
                       (label.empty() ? "" : ", not '" + label + "'"));
    }
    ProgramLabel l;
    l.positive = label == "positive";
    l.where = where;
    std::vector<int> accesses;
    for (std::string token; words >> token;) {
      if (token == "vs." || token == "vs") continue;
      const std::optional<int> line = line_of(token);
      if (!line) {
        throw UsageError(where + ": '" + token + "' is not a bug line (write LINE, LINE:COL or " +
                         "a race access such as a[i]@64:5:W)");
      }
      if (token.find('@') != std::string::npos) accesses.push_back(*line);
      l.bug_lines.push_back(*line);
    }
    for (std::size_t i = 0; i + 1 < accesses.size(); i += 2) {
      l.race_pairs.emplace_back(accesses[i], accesses[i + 1]);
    }
    std::sort(l.bug_lines.begin(), l.bug_lines.end());
    l.bug_lines.erase(std::unique(l.bug_lines.begin(), l.bug_lines.end()), l.bug_lines.end());
    bool found = false;
    for (std::size_t i = 0; i < programs.size(); ++i) {
      if (!names(programs[i], name)) continue;
      if (labels[i]) {
        throw UsageError(where + ": " + programs[i].case_name + "/" + programs[i].variant +
                         " is already labelled at " + labels[i]->where);
      }
      labels[i] = l;
      found = true;
    }
    if (!found) {
      throw UsageError(where + ": no program called '" + name +
                       "' under the --programs folders (name its file, its case, or "
                       "case/variant)");
    }
  }
  return labels;
}

}  // namespace casebook
