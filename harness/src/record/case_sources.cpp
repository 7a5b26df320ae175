#include "record/case_sources.hpp"

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "common/printable_text.hpp"

namespace casebook {

namespace fs = std::filesystem;

namespace {

constexpr std::uintmax_t kMaxFileBytes = 256 * 1024;

bool wanted(const fs::path& p) {
  const std::string ext = p.extension().string();
  return p.filename() == "README.md" || ext == ".cpp" || ext == ".hpp" || ext == ".h";
}

std::string read_capped(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::string text(kMaxFileBytes, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  std::error_code ec;
  if (fs::file_size(p, ec) > kMaxFileBytes) text += "\n[... cut at 256 KiB by casebook ...]\n";
  return text;
}

}  // namespace

std::map<std::string, results::CaseText> describe_case_sources(
    const std::vector<VariantDecl>& variants, const std::string& source_root) {
  std::map<std::string, results::CaseText> cases;
  std::set<std::string> done;
  for (const auto& v : variants) {
    if (!done.insert(v.case_name).second) continue;
    const fs::path file(v.file);
    const std::string folder = file.parent_path().string();
    std::map<std::string, std::string> files;
    std::error_code ec;
    const fs::path dir = fs::path(v.source_path(v.file, source_root)).parent_path();
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
      if (entry.is_regular_file(ec) && wanted(entry.path())) {
        // A source in Latin-1 (an old corpus) still shows, its odd bytes marked.
        files[printable_text(entry.path().filename().string())] =
            printable_text(read_capped(entry.path()));
      }
    }
    cases[v.case_name] = {v.category, folder, v.file_base, std::move(files)};
  }
  return cases;
}

std::map<std::string, results::SourceBase> describe_source_bases(
    const std::vector<VariantDecl>& variants) {
  std::map<std::string, results::SourceBase> bases;
  for (const auto& v : variants) {
    if (v.file_base.empty() || bases.contains(v.file_base)) continue;
    const std::string name = fs::path(v.cases_root).filename().string();
    bases[v.file_base] = {v.cases_root,
                          v.program
                              ? "the --programs folder '" + name + "', holding standalone programs"
                              : "the CASEBOOK_EXTRA_CASES folder '" + name +
                                    "', holding cases from outside the catalog"};
  }
  return bases;
}

}  // namespace casebook
