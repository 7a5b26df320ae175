#include "programs/build.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "common/errors.hpp"
#include "common/printable_text.hpp"
#include "common/text_file.hpp"
#include "configurations/build_configurations.hpp"
#include "process/process.hpp"
#include "process/program_path.hpp"

namespace casebook {

namespace fs = std::filesystem;

namespace {

// Two 64-bit FNV-1a hashes from different starting points: a cache key, not a defence
// against anyone crafting collisions.
class Key {
 public:
  void add(std::string_view bytes) {
    for (unsigned char c : bytes) {
      a_ = (a_ ^ c) * 0x100000001B3ULL;
      b_ = (b_ ^ c) * 0x100000001B3ULL;
    }
    // A separator no text can fake, so ("ab","c") and ("a","bc") differ.
    a_ = (a_ ^ 0xFF) * 0x100000001B3ULL;
    b_ = (b_ ^ 0xFE) * 0x100000001B3ULL;
  }
  std::string hex() const {
    char out[33];
    std::snprintf(out, sizeof out, "%016llx%016llx", static_cast<unsigned long long>(a_),
                  static_cast<unsigned long long>(b_));
    return out;
  }

 private:
  std::uint64_t a_ = 0xCBF29CE484222325ULL;
  std::uint64_t b_ = 0x84222325CBF29CE4ULL;
};

std::vector<std::string> split_words(const std::string& text) {
  std::vector<std::string> words;
  std::istringstream in(text);
  for (std::string w; in >> w;) words.push_back(w);
  return words;
}

// The compiler's path, PATH searched, or "". Run by this name: clang++-14 is a symlink to
// clang, which takes its C or C++ mode from the name it was called by.
std::string find_compiler(const std::string& name) {
  return find_program(name);
}

struct Toolchain {
  std::string c;
  std::string cxx;
  std::vector<std::string> flags;
};

// The configuration's compilers and flags (configurations/build_configurations.hpp), or
// nothing when there is no such configuration or only case code builds in it.
std::optional<Toolchain> toolchain_for(const std::string& configuration) {
  const configurations::BuildConfiguration* c =
      configurations::find_build_configuration(configuration);
  if (c == nullptr || c->needs_case_api) return std::nullopt;
  return Toolchain{std::string(c->c_compiler), std::string(c->cxx_compiler),
                   split_words(std::string(c->compile_flags))};
}

// Every local header the file includes, followed recursively, in the order first met.
void local_headers(const fs::path& file, std::set<fs::path>& seen, std::vector<fs::path>& out) {
  static const std::regex include(R"re(^\s*#\s*include\s*"([^"]+)")re");
  std::istringstream lines(read_text_file(file));
  for (std::string line; std::getline(lines, line);) {
    std::smatch m;
    if (!std::regex_search(line, m, include)) continue;
    std::error_code ec;
    const fs::path header = (file.parent_path() / m[1].str()).lexically_normal();
    if (!fs::is_regular_file(header, ec) || !seen.insert(header).second) continue;
    out.push_back(header);
    local_headers(header, seen, out);
  }
}

// The last lines of a compiler's output: the error that stopped it is at the end, and a
// template error's novel of notes before it helps nobody in a verdict.
std::string message_tail(const std::string& text) {
  constexpr std::size_t kMaxLines = 25;
  std::size_t start = text.size();
  for (std::size_t n = 0; n < kMaxLines && start > 0; ++n) {
    const auto nl = text.rfind('\n', start - 1);
    if (nl == std::string::npos) return text;
    start = nl;
  }
  return text.substr(start == text.size() ? 0 : start + 1);
}

void write_text(const fs::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary);
  out << text;
}

ProgramBuildResult build_one(const ProgramBuildRequest& r, const fs::path& cache) {
  ProgramBuildResult result;
  const ProgramSource& s = *r.source;
  const std::optional<Toolchain> tools = toolchain_for(r.configuration);
  if (!tools) {
    result.error = "no toolchain for configuration '" + r.configuration + "'";
    return result;
  }
  const std::string compiler = find_compiler(s.cxx ? tools->cxx : tools->c);
  if (compiler.empty()) {
    result.error = "the compiler " + (s.cxx ? tools->cxx : tools->c) + " is not on this machine";
    return result;
  }
  const fs::path root(s.root);
  const fs::path main_file = root / s.files.front();
  std::vector<std::string> argv = {compiler};
  argv.insert(argv.end(), tools->flags.begin(), tools->flags.end());
  argv.insert(argv.end(), {"-pthread", "-I" + main_file.parent_path().string()});
  argv.insert(argv.end(), r.flags.begin(), r.flags.end());
  for (const auto& f : s.files) argv.push_back((root / f).string());

  Key key;
  // The file behind the name too: another compiler (or version) there is another key.
  std::error_code resolved;
  key.add(fs::canonical(compiler, resolved).string());
  for (const auto& word : argv) key.add(word);
  std::set<fs::path> seen;
  std::vector<fs::path> headers;
  for (const auto& f : s.files) {
    key.add(read_text_file(root / f));
    local_headers(root / f, seen, headers);
  }
  for (const auto& h : headers) {
    key.add(h.string());
    key.add(read_text_file(h));
  }
  const fs::path entry = cache / key.hex();
  argv.insert(argv.end(), {"-o", (entry / "program").string(), "-lm"});
  for (const auto& word : argv) result.command += (result.command.empty() ? "" : " ") + word;

  std::error_code ec;
  if (fs::exists(entry / "program", ec)) {
    result.binary = (entry / "program").string();
    result.reused = true;
    return result;
  }
  if (fs::exists(entry / "error.txt", ec)) {
    result.error = printable_text(read_text_file(entry / "error.txt"));
    result.log = (entry / "error.txt").string();
    result.reused = true;
    return result;
  }
  // Built in a folder of its own, renamed into place whole.
  static std::atomic<unsigned> counter{0};
  const fs::path scratch =
      cache / (key.hex() + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(counter++));
  fs::remove_all(scratch, ec);
  fs::create_directories(scratch, ec);
  if (ec) {
    result.error = "cannot create " + scratch.string() + ": " + ec.message();
    return result;
  }
  ProcessSpec spec;
  spec.argv = argv;
  spec.argv[spec.argv.size() - 2] = (scratch / "program").string();
  spec.timeout = std::chrono::minutes(5);
  spec.output_cap = 256 << 10;
  const ProcessResult p = run_process(spec);
  const bool built = p.exited && p.exit_code == 0 && fs::exists(scratch / "program", ec);
  if (!built) {
    std::string why = message_tail(p.stderr_text + p.stdout_text);
    if (!p.started) why = p.start_error;
    if (why.empty()) why = describe_status(p);
    write_text(scratch / "error.txt", why);
  }
  write_text(scratch / "command.txt", result.command + "\n");
  fs::rename(scratch, entry, ec);
  if (ec) fs::remove_all(scratch, ec);  // another run put the same entry in place first
  if (fs::exists(entry / "program", ec)) {
    result.binary = (entry / "program").string();
  } else {
    // A compiler quotes the source, whatever its encoding (a corpus in Latin-1).
    result.error = fs::exists(entry / "error.txt", ec)
                       ? printable_text(read_text_file(entry / "error.txt"))
                       : "the compile left no program";
  }
  result.log = (entry / "error.txt").string();
  return result;
}

}  // namespace

bool can_build_configuration(const std::string& configuration) {
  const std::optional<Toolchain> tools = toolchain_for(configuration);
  return tools && !find_compiler(tools->c).empty() && !find_compiler(tools->cxx).empty();
}

std::vector<ProgramBuildResult> build_programs(const std::vector<ProgramBuildRequest>& requests,
                                               const std::string& cache_dir, int jobs) {
  std::error_code ec;
  fs::create_directories(cache_dir, ec);
  if (ec || !fs::is_directory(cache_dir, ec)) {
    throw InfraError("cannot create the program cache " + cache_dir + ": " + ec.message());
  }
  const fs::path cache = fs::canonical(cache_dir, ec);
  std::vector<ProgramBuildResult> results(requests.size());
  // Each worker takes the next request and fills its own slot: no slot is shared.
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t i = next++; i < requests.size(); i = next++) {
      results[i] = build_one(requests[i], cache);
    }
  };
  std::vector<std::thread> workers;
  const int n = std::max(1, std::min<int>(jobs, static_cast<int>(requests.size())));
  for (int w = 1; w < n; ++w) workers.emplace_back(work);
  work();
  for (auto& t : workers) t.join();
  return results;
}

std::string default_program_cache() {
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg != nullptr && *xdg == '/') {
    return (fs::path(xdg) / "casebook" / "programs").string();
  }
  if (const char* home = std::getenv("HOME"); home != nullptr && *home == '/') {
    return (fs::path(home) / ".cache" / "casebook" / "programs").string();
  }
  return (fs::temp_directory_path() / "casebook-programs").string();
}

}  // namespace casebook
