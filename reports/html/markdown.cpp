// markdown.cpp - the README renderer (see markdown.hpp): md4c parses the Markdown (GitHub's
// dialect, raw HTML off), and the callbacks here write the HTML.
//
// md4c's own HTML writer (md4c-html) is not used because the report needs what it cannot do:
// headings shifted below the page's own, link targets resolved (or dropped) by the caller,
// images shown as their text instead of loaded, C++ code blocks highlighted, and every piece
// of text through the report's escape(), which also drops control characters and repairs
// invalid UTF-8.
#include "markdown.hpp"

#include <md4c.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "cpp_highlight.hpp"
#include "html_text.hpp"

namespace casebook::reports::html {
namespace {

std::string default_link(std::string_view url) {
  if (url.starts_with("https://") || url.starts_with("http://") || url.starts_with("mailto:") ||
      url.starts_with("#")) {
    return std::string(url);
  }
  return {};
}

// An attribute's text as written in the Markdown. Entities in it stay as written: they are
// valid entity syntax, which md4c checked, so escaping the '&' would show them literally.
std::string attribute_text(const MD_ATTRIBUTE& a) {
  return std::string(a.text, a.size);
}

bool is_cpp(std::string_view lang) {
  return lang == "cpp" || lang == "c++" || lang == "cc" || lang == "c" || lang == "hpp" ||
         lang == "h" || lang == "cxx";
}

// A language name as a class name: letters, digits, '-' and '+' ("c++" is common).
std::string class_part(std::string_view lang) {
  std::string out;
  for (const char c : lang) {
    const bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '+';
    if (keep) out += c;
  }
  return out;
}

class Renderer {
 public:
  Renderer(const MarkdownOptions& options, bool inline_only)
      : options_(options), inline_only_(inline_only) {}

  std::string render(std::string_view markdown) {
    MD_PARSER parser{};
    parser.abi_version = 0;
    parser.flags = MD_DIALECT_GITHUB | MD_FLAG_NOHTML;
    parser.enter_block = [](MD_BLOCKTYPE type, void* detail, void* self) {
      static_cast<Renderer*>(self)->enter_block(type, detail);
      return 0;
    };
    parser.leave_block = [](MD_BLOCKTYPE type, void* detail, void* self) {
      static_cast<Renderer*>(self)->leave_block(type, detail);
      return 0;
    };
    parser.enter_span = [](MD_SPANTYPE type, void* detail, void* self) {
      static_cast<Renderer*>(self)->enter_span(type, detail);
      return 0;
    };
    parser.leave_span = [](MD_SPANTYPE type, void* /*detail*/, void* self) {
      static_cast<Renderer*>(self)->leave_span(type);
      return 0;
    };
    parser.text = [](MD_TEXTTYPE type, const MD_CHAR* text, MD_SIZE size, void* self) {
      static_cast<Renderer*>(self)->text(type, std::string_view(text, size));
      return 0;
    };
    // md4c fails only when it runs out of memory; the text is then shown as it is.
    if (md_parse(markdown.data(), static_cast<MD_SIZE>(markdown.size()), &parser, this) != 0) {
      return inline_only_ ? escape(markdown) : "<pre>" + escape(markdown) + "</pre>\n";
    }
    return std::move(out_);
  }

 private:
  void enter_block(MD_BLOCKTYPE type, void* detail) {
    if (type == MD_BLOCK_CODE) {
      const auto* d = static_cast<const MD_BLOCK_CODE_DETAIL*>(detail);
      code_.emplace();
      code_lang_ = attribute_text(d->lang);
      return;
    }
    if (inline_only_) return;
    // A block inside a tight list item follows the item's text: put it on a line of its own.
    if (type != MD_BLOCK_DOC && !out_.empty() && !out_.ends_with('\n') && !out_.ends_with('>')) {
      out_ += '\n';
    }
    switch (type) {
      case MD_BLOCK_DOC:
        break;
      case MD_BLOCK_QUOTE:
        out_ += "<blockquote>\n";
        break;
      case MD_BLOCK_UL:
        out_ += "<ul>\n";
        break;
      case MD_BLOCK_OL: {
        const auto* d = static_cast<const MD_BLOCK_OL_DETAIL*>(detail);
        out_ += d->start == 1 ? std::string("<ol>\n")
                              : "<ol start=\"" + std::to_string(d->start) + "\">\n";
        break;
      }
      case MD_BLOCK_LI: {
        const auto* d = static_cast<const MD_BLOCK_LI_DETAIL*>(detail);
        out_ += "<li>";
        if (d->is_task) out_ += d->task_mark == ' ' ? "[ ] " : "[x] ";
        break;
      }
      case MD_BLOCK_HR:
        out_ += "<hr>\n";
        break;
      case MD_BLOCK_H:
        out_ += "<h" + std::to_string(heading(detail)) + ">";
        break;
      case MD_BLOCK_P:
        out_ += "<p>";
        break;
      case MD_BLOCK_TABLE:
        out_ += "<div class=\"md-table\"><table>\n";
        break;
      case MD_BLOCK_THEAD:
        out_ += "<thead>";
        in_head_ = true;
        break;
      case MD_BLOCK_TBODY:
        out_ += "<tbody>\n";
        break;
      case MD_BLOCK_TR:
        out_ += "<tr>";
        break;
      case MD_BLOCK_TH:
      case MD_BLOCK_TD: {
        const auto* d = static_cast<const MD_BLOCK_TD_DETAIL*>(detail);
        out_ += type == MD_BLOCK_TH ? "<th" : "<td";
        if (d->align == MD_ALIGN_CENTER) out_ += " style=\"text-align:center\"";
        if (d->align == MD_ALIGN_RIGHT) out_ += " style=\"text-align:right\"";
        if (d->align == MD_ALIGN_LEFT) out_ += " style=\"text-align:left\"";
        out_ += ">";
        break;
      }
      case MD_BLOCK_HTML:  // raw HTML is off (MD_FLAG_NOHTML): never reported
      case MD_BLOCK_CODE:  // handled above
        break;
    }
  }

  void leave_block(MD_BLOCKTYPE type, void* detail) {
    if (type == MD_BLOCK_CODE) {
      std::string code = std::move(*code_);
      code_.reset();
      if (inline_only_) {
        out_ += escape(code);
        return;
      }
      if (code.ends_with('\n')) code.pop_back();
      const std::string lang = class_part(code_lang_);
      out_ += "<pre class=\"md-code\"><code" +
              (lang.empty() ? std::string() : " class=\"lang-" + lang + "\"") + ">";
      if (is_cpp(code_lang_)) {
        const std::vector<std::string> lines = highlight_cpp(code);
        for (std::size_t i = 0; i < lines.size(); ++i) out_ += (i > 0 ? "\n" : "") + lines[i];
      } else {
        out_ += escape(code);
      }
      out_ += "</code></pre>\n";
      return;
    }
    if (inline_only_) return;
    switch (type) {
      case MD_BLOCK_QUOTE:
        out_ += "</blockquote>\n";
        break;
      case MD_BLOCK_UL:
        out_ += "</ul>\n";
        break;
      case MD_BLOCK_OL:
        out_ += "</ol>\n";
        break;
      case MD_BLOCK_LI:
        out_ += "</li>\n";
        break;
      case MD_BLOCK_H:
        out_ += "</h" + std::to_string(heading(detail)) + ">\n";
        break;
      case MD_BLOCK_P:
        out_ += "</p>\n";
        break;
      case MD_BLOCK_TABLE:
        out_ += "</table></div>\n";
        break;
      case MD_BLOCK_THEAD:
        out_ += "</thead>\n";
        in_head_ = false;
        break;
      case MD_BLOCK_TBODY:
        out_ += "</tbody>";
        break;
      case MD_BLOCK_TR:
        out_ += in_head_ ? "</tr>" : "</tr>\n";
        break;
      case MD_BLOCK_TH:
        out_ += "</th>";
        break;
      case MD_BLOCK_TD:
        out_ += "</td>";
        break;
      case MD_BLOCK_DOC:
      case MD_BLOCK_HR:
      case MD_BLOCK_HTML:
      case MD_BLOCK_CODE:
        break;
    }
  }

  void enter_span(MD_SPANTYPE type, void* detail) {
    if (image_depth_ > 0) {  // an image shows its text only, with no markup inside
      if (type == MD_SPAN_IMG) ++image_depth_;
      return;
    }
    switch (type) {
      case MD_SPAN_EM:
        out_ += "<em>";
        break;
      case MD_SPAN_STRONG:
        out_ += "<strong>";
        break;
      case MD_SPAN_CODE:
        out_ += "<code>";
        break;
      case MD_SPAN_DEL:
        out_ += "<del>";
        break;
      case MD_SPAN_A: {
        const std::string url = attribute_text(static_cast<const MD_SPAN_A_DETAIL*>(detail)->href);
        const std::string href =
            options_.resolve_link ? options_.resolve_link(url) : default_link(url);
        links_.push_back(!href.empty());
        out_ += href.empty() ? "<span class=\"md-link\" title=\"" + escape(url) + "\">"
                             : "<a href=\"" + escape(href) + "\">";
        break;
      }
      case MD_SPAN_IMG:
        // Never loaded: the report works offline and must not reach the network.
        ++image_depth_;
        out_ += "<span class=\"md-image\">[image: ";
        break;
      case MD_SPAN_U:
      case MD_SPAN_LATEXMATH:
      case MD_SPAN_LATEXMATH_DISPLAY:
      case MD_SPAN_WIKILINK:
        break;  // extensions left off
    }
  }

  void leave_span(MD_SPANTYPE type) {
    if (image_depth_ > 0) {
      if (type == MD_SPAN_IMG && --image_depth_ == 0) out_ += "]</span>";
      return;
    }
    switch (type) {
      case MD_SPAN_EM:
        out_ += "</em>";
        break;
      case MD_SPAN_STRONG:
        out_ += "</strong>";
        break;
      case MD_SPAN_CODE:
        out_ += "</code>";
        break;
      case MD_SPAN_DEL:
        out_ += "</del>";
        break;
      case MD_SPAN_A:
        out_ += links_.back() ? "</a>" : "</span>";
        links_.pop_back();
        break;
      case MD_SPAN_IMG:
      case MD_SPAN_U:
      case MD_SPAN_LATEXMATH:
      case MD_SPAN_LATEXMATH_DISPLAY:
      case MD_SPAN_WIKILINK:
        break;
    }
  }

  void text(MD_TEXTTYPE type, std::string_view text) {
    if (code_) {
      *code_ += text;
      return;
    }
    switch (type) {
      case MD_TEXT_NULLCHAR:
        out_ += "\xEF\xBF\xBD";  // U+FFFD, as CommonMark asks for a NUL
        break;
      case MD_TEXT_BR:
        out_ += image_depth_ > 0 ? " " : "<br>\n";
        break;
      case MD_TEXT_SOFTBR:
        out_ += image_depth_ > 0 ? " " : "\n";
        break;
      case MD_TEXT_ENTITY:
        // md4c reports only well-formed entities ("&amp;", "&#123;"): safe as written.
        out_ += text;
        break;
      case MD_TEXT_NORMAL:
      case MD_TEXT_CODE:
      case MD_TEXT_HTML:  // raw HTML is off: shown as text if it ever came
      case MD_TEXT_LATEXMATH:
        out_ += escape(text);
        break;
    }
  }

  int heading(void* detail) const {
    const auto level = static_cast<int>(static_cast<const MD_BLOCK_H_DETAIL*>(detail)->level);
    return std::min(6, level + options_.heading_offset);
  }

  const MarkdownOptions& options_;
  const bool inline_only_;  // markdown_inline: spans and text only, no block markup
  std::string out_;
  std::optional<std::string> code_;  // inside a code block: its text so far
  std::string code_lang_;
  std::vector<bool> links_;  // open links: a real <a> (true) or a span for a dropped target
  int image_depth_ = 0;
  bool in_head_ = false;  // inside a table's header row
};

}  // namespace

std::string markdown_to_html(std::string_view markdown, const MarkdownOptions& options) {
  return Renderer(options, /*inline_only=*/false).render(markdown);
}

std::string markdown_inline(std::string_view text, const MarkdownOptions& options) {
  return Renderer(options, /*inline_only=*/true).render(text);
}

}  // namespace casebook::reports::html
