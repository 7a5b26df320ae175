// schedule.cpp - schedule strings: decisions as run-length-encoded thread ids, "0x5.1.0x3".
// Only letters, digits and dots, so a schedule pastes into a shell command unquoted.
#include <cctype>
#include <stdexcept>
#include <string>
#include <vector>

#include "casebook/model/explore.hpp"

namespace cb::model {

std::string format_schedule(const std::vector<int>& decisions) {
  std::string out;
  for (std::size_t i = 0; i < decisions.size();) {
    std::size_t j = i;
    while (j < decisions.size() && decisions[j] == decisions[i]) ++j;
    if (!out.empty()) out += '.';
    out += std::to_string(decisions[i]);
    if (j - i > 1) out += "x" + std::to_string(j - i);
    i = j;
  }
  return out;
}

namespace {
// The most decisions a schedule string may stand for: 500 times the default --max-steps (an
// execution takes at most that many steps, so a longer schedule replays nothing more). Without
// it a 60-byte string ("1x32222.11x34...", found by the fuzz target) asked for 10^8 decisions:
// 400 MB and seconds of work before the replay could say anything.
constexpr std::size_t kMaxDecisions = 10'000'000;
}  // namespace

std::vector<int> parse_schedule(const std::string& text) {
  std::vector<int> out;
  std::size_t i = 0;
  auto number = [&](const char* what) {
    if (i >= text.size() || !std::isdigit(static_cast<unsigned char>(text[i]))) {
      throw std::invalid_argument("schedule '" + text + "': expected " + what + " at position " +
                                  std::to_string(i));
    }
    long long v = 0;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
      v = v * 10 + (text[i++] - '0');
      if (v > 100000000) throw std::invalid_argument("schedule '" + text + "': number too large");
    }
    return v;
  };
  while (i < text.size()) {
    const long long thread = number("a thread id");
    long long count = 1;
    if (i < text.size() && text[i] == 'x') {
      ++i;
      count = number("a repeat count");
      if (count < 1) throw std::invalid_argument("schedule '" + text + "': repeat count 0");
    }
    if (out.size() + static_cast<std::size_t>(count) > kMaxDecisions) {
      throw std::invalid_argument("schedule '" + text.substr(0, 80) +
                                  (text.size() > 80 ? "...'" : "'") + ": more than " +
                                  std::to_string(kMaxDecisions) +
                                  " decisions, more than any execution takes (--max-steps)");
    }
    out.insert(out.end(), static_cast<std::size_t>(count), static_cast<int>(thread));
    if (i < text.size()) {
      if (text[i] != '.') {
        throw std::invalid_argument("schedule '" + text + "': unexpected '" +
                                    std::string(1, text[i]) + "' at position " + std::to_string(i));
      }
      ++i;
      if (i == text.size()) throw std::invalid_argument("schedule '" + text + "': ends in '.'");
    }
  }
  return out;
}

}  // namespace cb::model
