#include "programs/declarations.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <set>
#include <sstream>

namespace casebook {

namespace {

constexpr std::string_view kExpect = "casebook-expect:";
constexpr std::string_view kTimeout = "casebook-timeout:";
constexpr std::string_view kFlags = "casebook-flags:";

std::string trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return "";
  const auto last = s.find_last_not_of(" \t\r");
  return std::string(s.substr(first, last - first + 1));
}

// The text after marker on line, up to the end of a block comment; nullopt when the line does
// not carry the marker.
std::optional<std::string> after_marker(const std::string& line, std::string_view marker) {
  const auto at = line.find(marker);
  if (at == std::string::npos) return std::nullopt;
  std::string rest = line.substr(at + marker.size());
  if (const auto end = rest.find("*/"); end != std::string::npos) rest.resize(end);
  return trim(rest);
}

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> items;
  std::string item;
  std::istringstream in(text);
  while (std::getline(in, item, ',')) {
    item = trim(item);
    if (!item.empty()) items.push_back(item);
  }
  return items;
}

std::vector<std::string> words_of(const std::string& text) {
  std::vector<std::string> words;
  std::istringstream in(text);
  for (std::string w; in >> w;) words.push_back(w);
  return words;
}

class Reader {
 public:
  Reader(const std::string& file, const VocabularyOf& vocabulary_of)
      : file_(file), vocabulary_of_(vocabulary_of) {}

  void error(int line, std::string message) {
    DeclarationProblem p;
    p.error = true;
    p.file = file_;
    p.line = line;
    p.message = std::move(message);
    out.problems.push_back(std::move(p));
  }

  void expectation(int line, const std::string& text) {
    const auto dash = text.find("--");
    const std::string reason = dash == std::string::npos ? "" : trim(text.substr(dash + 2));
    const std::string head = trim(text.substr(0, dash));
    // "tsan, tsan-gcc finds data-race, race": the detectors run up to the word that is a
    // want; the kinds follow it.
    const auto words = words_of(head);
    const auto want_at = std::find_if(words.begin(), words.end(), [](const std::string& w) {
      return protocol::want_from_name(w).has_value();
    });
    const std::string usage =
        "write `casebook-expect: DETECTORS WANT [KINDS] [-- REASON]`, WANT one of " +
        protocol::want_names();
    if (want_at == words.end()) {
      error(line, "casebook-expect names no expectation in '" + head + "'; " + usage);
      return;
    }
    std::string detector_text, kind_text;
    for (auto w = words.begin(); w != want_at; ++w) detector_text += *w + " ";
    for (auto w = want_at + 1; w != words.end(); ++w) kind_text += *w + " ";
    const std::vector<std::string> detectors = split_list(detector_text);
    const std::vector<std::string> kinds = split_list(kind_text);
    const std::string& want_word = *want_at;
    const Want want = *protocol::want_from_name(want_word);
    if (detectors.empty()) {
      error(line, "casebook-expect names no detector before '" + want_word + "'; " + usage);
      return;
    }
    // A line with a problem declares nothing: its errors are reported, and a later line for
    // the same detector is judged on its own.
    const std::size_t problems_before = out.problems.size();
    const bool names_kinds =
        want == Want::finds || want == Want::may_find || want == Want::false_positive;
    if (names_kinds && kinds.empty()) {
      error(line, "casebook-expect: " + want_word + " needs the finding kinds (e.g. `tsan " +
                      want_word + " data-race`)");
    }
    if (!names_kinds && !kinds.empty()) {
      error(line,
            "casebook-expect: " + want_word + " takes no kinds, got '" + trim(kind_text) + "'");
    }
    if (want != Want::finds && want != Want::clean && reason.empty()) {
      error(line, "casebook-expect: " + want_word + " needs a reason after `--` saying why");
    }
    std::vector<std::string> usable;
    for (const auto& d : detectors) {
      std::string why_not;
      const std::optional<KindVocabulary> vocabulary = vocabulary_of_(d, why_not);
      if (!vocabulary && !why_not.empty()) {
        error(line, "casebook-expect: " + d + " cannot run a standalone program: " + why_not);
        continue;
      }
      if (!vocabulary) {
        error(line, "casebook-expect: unknown detector '" + d + "'");
        continue;
      }
      for (const auto& k : kinds) {
        if (vocabulary->open || std::find(vocabulary->kinds.begin(), vocabulary->kinds.end(), k) !=
                                    vocabulary->kinds.end()) {
          continue;
        }
        error(line, fmt::format("casebook-expect: {} cannot report '{}'; it reports {}", d, k,
                                fmt::join(vocabulary->kinds, ", ")));
      }
      usable.push_back(d);
    }
    if (out.problems.size() != problems_before) return;
    for (const auto& d : usable) {
      auto [first, fresh] = declared_.emplace(d, std::make_pair(want, line));
      if (!fresh) {
        const bool pair = (first->second.first == Want::may_find && want == Want::false_positive) ||
                          (first->second.first == Want::false_positive && want == Want::may_find);
        if (!pair || paired_.count(d) != 0) {
          error(line, fmt::format("casebook-expect: {} is already declared at line {}; only a "
                                  "may-find and a false-positive may share a detector",
                                  d, first->second.second));
          continue;
        }
        paired_.insert(d);
      }
      nlohmann::json e = {{"detector", d}, {"want", want_word}, {"kinds", kinds}};
      if (!reason.empty()) e["reason"] = reason;
      out.expectations.push_back(std::move(e));
    }
  }

  void timeout(int line, const std::string& text) {
    char* end = nullptr;
    const double seconds = std::strtod(text.c_str(), &end);
    if (text.empty() || end == nullptr || trim(end) != "" || !(seconds > 0 && seconds <= 3600)) {
      error(line, "casebook-timeout: '" + text + "' is not a number of seconds in (0, 3600]");
      return;
    }
    out.timeout_seconds = seconds;
  }

  void flags(const std::string& text) {
    for (auto& w : words_of(text)) out.flags.push_back(std::move(w));
  }

  ProgramDeclarations out;

 private:
  std::string file_;
  const VocabularyOf& vocabulary_of_;
  std::map<std::string, std::pair<Want, int>> declared_;  // detector -> (want, line)
  std::set<std::string> paired_;
};

}  // namespace

ProgramDeclarations read_program_declarations(const std::string& source_text,
                                              const std::string& file,
                                              const VocabularyOf& vocabulary_of) {
  Reader reader(file, vocabulary_of);
  std::istringstream in(source_text);
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (auto text = after_marker(line, kExpect)) {
      reader.expectation(number, *text);
    } else if (auto seconds = after_marker(line, kTimeout)) {
      reader.timeout(number, *seconds);
    } else if (auto flags = after_marker(line, kFlags)) {
      reader.flags(*flags);
    }
  }
  return std::move(reader.out);
}

}  // namespace casebook
