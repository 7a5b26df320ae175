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

}  // namespace

const Frame* top_case_frame(const Stack& stack, const LineRule& rule) {
  const std::string_view folder = folder_of(rule.file);
  for (const auto& frame : stack.frames) {
    if (frame.line <= 0 || frame.file.empty()) continue;
    if (frame.file == rule.file ||
        (!folder.empty() && std::string_view(frame.file).substr(0, folder.size()) == folder)) {
      return &frame;
    }
  }
  return nullptr;
}

bool finding_hits(const Finding& finding, const LineRule& rule) {
  for (const auto& stack : finding.stacks) {
    const Frame* top = top_case_frame(stack, rule);
    if (top != nullptr && top->file == rule.file &&
        std::binary_search(rule.marked.begin(), rule.marked.end(), top->line)) {
      return true;
    }
  }
  return false;
}

LineTruth line_truth(const std::vector<TrialRecord>& trials, const LineRule& rule) {
  LineTruth truth;
  truth.marked = rule.marked;
  std::string first_located;
  for (const auto& t : trials) {
    for (const auto& f : t.findings) {
      for (const auto& stack : f.stacks) {
        const Frame* top = top_case_frame(stack, rule);
        if (top == nullptr) continue;
        truth.located = true;
        if (first_located.empty()) first_located = place(*top);
        if (!truth.hit && top->file == rule.file &&
            std::binary_search(rule.marked.begin(), rule.marked.end(), top->line)) {
          truth.hit = true;
          truth.at = place(*top);
        }
      }
    }
  }
  if (!truth.hit) truth.at = first_located;
  return truth;
}

}  // namespace casebook
