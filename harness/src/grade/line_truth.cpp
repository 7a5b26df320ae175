#include "grade/line_truth.hpp"

#include <algorithm>

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

LineTruth line_truth(const std::vector<TrialRecord>& trials, const LineRule& rule) {
  LineTruth truth;
  truth.marked = rule.marked;
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
