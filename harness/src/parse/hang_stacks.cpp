// hang_stacks.cpp - see hang_stacks.hpp.
#include "parse/hang_stacks.hpp"

#include "parse/eu_stack_parser.hpp"
#include "parse/gdb_parser.hpp"
#include "parse/report_text.hpp"

namespace casebook {
namespace {

// True when a block holds eu-stack's thread headers ("TID N:" at the start of a line).
bool printed_by_eu_stack(std::string_view block) {
  for (std::string_view line : parse_text::split_lines(block)) {
    if (line.rfind("TID ", 0) == 0 && !line.empty() && line.back() == ':') return true;
  }
  return false;
}

void parse_block(std::string_view block, std::string_view source_root, std::vector<Stack>& out) {
  std::vector<Stack> stacks = printed_by_eu_stack(block) ? parse_eu_stack(block, source_root)
                                                         : parse_gdb_backtrace(block, source_root);
  for (auto& s : stacks) out.push_back(std::move(s));
}

}  // namespace

std::vector<Stack> parse_hang_stacks(std::string_view text, std::string_view source_root) {
  std::vector<Stack> stacks;
  std::size_t block_start = 0;
  std::size_t at = 0;
  while (at < text.size()) {
    const std::size_t end = text.find('\n', at);
    const std::size_t next = end == std::string_view::npos ? text.size() : end + 1;
    if (at > block_start && text.substr(at, 8) == "Process ") {
      parse_block(text.substr(block_start, at - block_start), source_root, stacks);
      block_start = at;
    }
    at = next;
  }
  parse_block(text.substr(block_start), source_root, stacks);
  return stacks;
}

}  // namespace casebook
