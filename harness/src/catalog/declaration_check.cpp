#include "catalog/declaration_check.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>

namespace casebook {

std::string DeclarationProblem::text() const {
  return fmt::format("{}{}: {}: {}", file, line > 0 ? fmt::format(":{}", line) : "",
                     error ? "error" : "warning", message);
}

int source_line_of(const std::string& path, std::string_view needle) {
  std::ifstream in(path);
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (line.find(needle) != std::string::npos) return number;
  }
  return 0;
}

namespace {

std::string path_of(const VariantDecl& v, const std::string& source_root) {
  if (source_root.empty() && v.cases_root.empty()) return v.file;
  return v.source_path(v.file, source_root);
}

// How a problem names the file: as the catalog does for the repository's cases (relative to
// the repository, where the user runs casebook), in full for a case from another folder, so an
// editor can open it from anywhere.
std::string shown_path(const VariantDecl& v, const std::string& path) {
  return v.cases_root.empty() ? v.file : path;
}

// The line that declares `kind` for `detector`: the first line naming the kind in quotes at or
// after the first line naming the detector in quotes, else the first naming the kind.
int declaration_line(const std::string& path, const std::string& detector,
                     const std::string& kind) {
  std::ifstream in(path);
  std::string line;
  const std::string quoted_detector = "\"" + detector + "\"", quoted_kind = "\"" + kind + "\"";
  int after_detector = 0, anywhere = 0;
  bool seen_detector = false;
  for (int number = 1; std::getline(in, line); ++number) {
    seen_detector = seen_detector || line.find(quoted_detector) != std::string::npos;
    if (line.find(quoted_kind) == std::string::npos) continue;
    if (anywhere == 0) anywhere = number;
    if (seen_detector && after_detector == 0) after_detector = number;
  }
  return after_detector != 0 ? after_detector : anywhere;
}

std::string describe_params(const Params& p) {
  std::string text = fmt::format("threads={}, iterations={}", p.threads, p.iterations);
  for (const auto& [name, value] : p.extra) text += fmt::format(", {}={}", name, value);
  return text;
}

// Defaults no larger than what the model derives (at most 3 threads and 4 iterations) and no
// extras: .small could only repeat them, so there is nothing to warn about.
bool already_small(const Params& defaults) {
  return defaults.threads <= 3 && defaults.iterations <= 4 && defaults.extra.empty();
}

}  // namespace

std::vector<DeclarationProblem> check_declarations(const std::vector<VariantDecl>& variants,
                                                   const std::vector<std::string>& detectors,
                                                   FactsOf facts, const std::string& source_root) {
  std::vector<DeclarationProblem> problems;
  for (const auto& v : variants) {
    // A standalone program's declarations were checked line by line as they were read
    // (programs/declarations.hpp), and it has no inputs to make small.
    if (v.program) continue;
    const std::string path = path_of(v, source_root);
    for (const auto& e : v.expectations) {
      if (e.want != Want::finds && e.want != Want::false_positive && e.want != Want::may_find) {
        continue;
      }
      const KindVocabulary vocabulary = facts(v, e.detector).kinds;
      std::vector<std::string> named = e.kinds;
      named.insert(named.end(), e.false_positive_kinds.begin(), e.false_positive_kinds.end());
      for (const auto& kind : named) {
        if (std::find(vocabulary.kinds.begin(), vocabulary.kinds.end(), kind) !=
            vocabulary.kinds.end()) {
          continue;
        }
        DeclarationProblem p;
        p.error = !vocabulary.open;
        p.file = shown_path(v, path);
        p.line = declaration_line(path, e.detector, kind);
        p.message = fmt::format(
            "{}: {} {} '{}'; it reports {}{}", v.id(), e.detector,
            vocabulary.open ? "is not known to report" : "cannot report", kind,
            fmt::join(vocabulary.kinds, ", "),
            vocabulary.open ? " (and names newer report types after their banner: keep this "
                              "kind only if you have seen the tool print it)"
                            : " (a kind it cannot report would only ever be `missed`)");
        problems.push_back(std::move(p));
      }
    }
    if (v.small || already_small(v.defaults)) continue;
    std::vector<std::string> slow, deriving;
    for (const auto& d : detectors) {
      const DetectorFacts f = facts(v, d);
      if (!f.applies || !f.uses_small_inputs) continue;
      if (v.expectation_for(d, f.expectations_of).want == Want::skip) continue;
      (f.derives_small_inputs ? deriving : slow).push_back(d);
    }
    if (slow.empty() && deriving.empty()) continue;
    std::vector<std::string> what;
    if (!slow.empty()) {
      what.push_back(fmt::format(
          "{} run{} it with its defaults ({}), which may take far longer than needed",
          fmt::join(slow, " and "), slow.size() == 1 ? "s" : "", describe_params(v.defaults)));
    }
    if (!deriving.empty()) {
      what.push_back(
          fmt::format("{} guess{} small inputs from the defaults, which may miss the bug",
                      fmt::join(deriving, " and "), deriving.size() == 1 ? "es" : ""));
    }
    DeclarationProblem p;
    p.file = shown_path(v, path);
    p.line = source_line_of(path, "CASEBOOK_VARIANT");
    p.about_small_inputs = true;
    p.message = fmt::format(
        "{} declares no .small, so {}; declare .small with the smallest inputs that still {}, "
        "such as {{.threads = {}, .iterations = {}}}",
        v.id(), fmt::join(what, ", and "),
        v.variant == "broken" ? "show the bug" : "exercise what the variant does",
        std::min(v.defaults.threads, 2), std::min<std::int64_t>(v.defaults.iterations, 2));
    problems.push_back(std::move(p));
  }
  return problems;
}

}  // namespace casebook
