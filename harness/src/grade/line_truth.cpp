#include "grade/line_truth.hpp"

#include <algorithm>
#include <cctype>

namespace casebook {

namespace {

std::string_view folder_of(std::string_view file) {
  const auto slash = file.rfind('/');
  return slash == std::string_view::npos ? std::string_view{} : file.substr(0, slash + 1);
}

std::string place(const Frame& f) {
  return f.file + ":" + std::to_string(f.line);
}

FrameRef reference(const TrialRecord& t, const Finding& f, std::size_t stack, const Frame* frame) {
  const Stack& s = f.stacks[stack];
  return {t.index,
          static_cast<int>(stack),
          s.title,
          s.thread,
          static_cast<int>(frame - s.frames.data()),
          frame->function};
}

}  // namespace

bool in_case_code(const Frame& frame, const LineRule& rule) {
  if (frame.line <= 0 || frame.file.empty() || frame.base != rule.base) return false;
  const std::string_view folder = folder_of(rule.file);
  return frame.file == rule.file ||
         (!folder.empty() && std::string_view(frame.file).substr(0, folder.size()) == folder);
}

bool on_marked_line(const Frame& frame, const LineRule& rule) {
  return frame.line > 0 && frame.base == rule.base && frame.file == rule.file &&
         std::binary_search(rule.marked.begin(), rule.marked.end(), frame.line);
}

const Frame* top_case_frame(const Stack& stack, const LineRule& rule) {
  for (const auto& frame : stack.frames) {
    if (in_case_code(frame, rule)) return &frame;
  }
  return nullptr;
}

bool finding_hits(const Finding& finding, const LineRule& rule) {
  for (const auto& stack : finding.stacks) {
    for (const auto& frame : stack.frames) {
      if (on_marked_line(frame, rule)) return true;
    }
  }
  return false;
}

namespace {

bool is_access_title(std::string title) {
  for (auto& c : title) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (title.find("created") != std::string::npos || title.find("segment") != std::string::npos ||
      title.find("location") != std::string::npos || title.find("mutex") != std::string::npos) {
    return false;
  }
  for (const char* word : {"read", "write", "load", "store"}) {
    if (title.find(word) != std::string::npos) return true;
  }
  return false;
}

// How many of the accesses' lines the rule's pairs account for: 2 when they are one pair's
// two lines (either order), 1 when one of them is on a line of some pair, else 0.
int pair_match(const std::vector<int>& lines, const LineRule& rule) {
  auto on = [&](int line) {
    if (line <= 0) return false;
    if (rule.pairs.empty()) return std::binary_search(rule.marked.begin(), rule.marked.end(), line);
    return std::any_of(rule.pairs.begin(), rule.pairs.end(),
                       [&](const auto& p) { return p.first == line || p.second == line; });
  };
  if (lines.size() >= 2 && on(lines[0]) && on(lines[1])) {
    if (rule.pairs.empty()) return 2;
    for (const auto& [a, b] : rule.pairs) {
      if ((lines[0] == a && lines[1] == b) || (lines[0] == b && lines[1] == a)) return 2;
    }
  }
  return std::any_of(lines.begin(), lines.end(), on) ? 1 : 0;
}

}  // namespace

std::vector<int> race_access_lines(const Finding& finding, const LineRule& rule) {
  std::vector<int> lines;
  if (finding.kind != "data-race") return lines;
  for (const auto& stack : finding.stacks) {
    if (!is_access_title(stack.title)) continue;
    const Frame* top = top_case_frame(stack, rule);
    lines.push_back(top != nullptr && top->file == rule.file ? top->line : 0);
  }
  return lines;
}

LineTruth line_truth(const std::vector<TrialRecord>& trials, const LineRule& rule) {
  LineTruth truth;
  truth.marked = rule.marked;
  if (!rule.pairs.empty() || rule.marked.size() >= 2) {
    PairTruth pair;
    bool any_race = false;
    for (const auto& t : trials) {
      for (const auto& f : t.findings) {
        const std::vector<int> lines = race_access_lines(f, rule);
        if (lines.empty()) continue;
        const int matched = pair_match(lines, rule);
        if (!any_race || (matched == 2 && !pair.both) ||
            (matched == 1 && !pair.both && !pair.one)) {
          pair.at = lines;
        }
        any_race = true;
        pair.both = pair.both || matched == 2;
        pair.one = pair.one || matched == 1;
      }
    }
    if (pair.both) pair.one = false;
    truth.race_pair = pair;
  }
  std::optional<FrameRef> first_located;
  std::string first_place;
  for (const auto& t : trials) {
    for (const auto& f : t.findings) {
      for (std::size_t s = 0; s < f.stacks.size(); ++s) {
        const Frame* top = top_case_frame(f.stacks[s], rule);
        if (top == nullptr) continue;
        truth.located = true;
        if (!first_located) {
          first_located = reference(t, f, s, top);
          first_place = place(*top);
        }
        if (truth.hit) continue;
        for (const auto& frame : f.stacks[s].frames) {
          if (on_marked_line(frame, rule)) {
            truth.hit = true;
            truth.at = place(frame);
            truth.frame = reference(t, f, s, &frame);
            break;
          }
        }
      }
    }
  }
  if (!truth.hit) {
    truth.at = first_place;
    truth.frame = first_located;
  }
  return truth;
}

}  // namespace casebook
