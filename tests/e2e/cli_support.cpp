#include "cli_support.hpp"

#include <fstream>
#include <sstream>

namespace casebook::e2e {

namespace fs = std::filesystem;
using nlohmann::json;

ProcessResult run_cli(std::vector<std::string> args, int timeout_s) {
  ProcessSpec spec;
  spec.argv = {CASEBOOK_BIN};
  spec.argv.insert(spec.argv.end(), args.begin(), args.end());
  spec.timeout = std::chrono::seconds(timeout_s);
  return run_process(spec);
}

ProcessResult run_shell(const std::string& line) {
  ProcessSpec spec;
  spec.argv = {"/bin/sh", "-c", line};
  spec.timeout = std::chrono::seconds(600);
  return run_process(spec);
}

json read_json(const fs::path& p) {
  std::ifstream in(p);
  return json::parse(in);
}

std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string last_line(const std::string& text) {
  std::string t = text;
  while (!t.empty() && t.back() == '\n') t.pop_back();
  auto nl = t.rfind('\n');
  return nl == std::string::npos ? t : t.substr(nl + 1);
}

const json* find_verdict(const json& results, const std::string& c, const std::string& v,
                         const std::string& d) {
  for (const auto& x : results.at("verdicts")) {
    if (x.at("case") == c && x.at("variant") == v && x.at("detector") == d) return &x;
  }
  return nullptr;
}

}  // namespace casebook::e2e
