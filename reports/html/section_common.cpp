// section_common.cpp - small pieces more than one section of the page uses (see sections.hpp).
#include <fmt/format.h>

#include "html_text.hpp"
#include "sections.hpp"
#include "writing/verdict_words.hpp"

namespace casebook::reports::html {

std::string display_verdict(const model::Verdict& verdict) {
  return shown_verdict(verdict);
}

bool expects_may_find(const model::Verdict& verdict) {
  return verdict.expected.verdict == "may-find";
}

std::string verdict_badge(std::string_view verdict) {
  return fmt::format("<span class=\"badge v-{}\">{}</span>", id_part(verdict), escape(verdict));
}

std::string verdict_anchor(std::string_view case_name, std::string_view variant,
                           std::string_view detector) {
  return fmt::format("v-{}-{}-{}", id_part(case_name), id_part(variant), id_part(detector));
}

std::string copyable_command(std::string_view command, std::string_view label) {
  return fmt::format(
      "<div class=\"cmd\">{}<code>{}</code><button type=\"button\" class=\"copy\" "
      "title=\"copy to the clipboard\">copy</button></div>",
      label.empty() ? "" : "<span class=\"cmd-label\">" + escape(label) + "</span>",
      escape(command));
}

}  // namespace casebook::reports::html
