// markdown.cpp - block and inline passes of the README renderer (see markdown.hpp).
//
// Blocks are recognised line by line on a vector of lines; list items and block quotes are
// rendered recursively on their de-indented lines. Inline text is scanned once, left to right;
// anything that does not close (an unmatched '*', a '[' without '(url)') stays literal.
#include "markdown.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <optional>

#include "cpp_highlight.hpp"
#include "html_text.hpp"

namespace casebook::reports::html {
namespace {

using Lines = std::vector<std::string>;

bool is_blank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c == ' ' || c == '\t'; });
}

std::size_t indent_of(std::string_view s) {
  std::size_t n = 0;
  while (n < s.size() && s[n] == ' ') ++n;
  return n;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool is_punct(char c) {
  return std::ispunct(static_cast<unsigned char>(c)) != 0;
}
bool is_alnum(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0;
}
bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n';
}

// ``` or ~~~ (3 or more) after at most three spaces: the fence run, else empty.
std::string_view fence_of(std::string_view line) {
  const std::size_t ind = indent_of(line);
  if (ind > 3 || ind >= line.size()) return {};
  const char c = line[ind];
  if (c != '`' && c != '~') return {};
  std::size_t n = ind;
  while (n < line.size() && line[n] == c) ++n;
  return n - ind >= 3 ? line.substr(ind, n - ind) : std::string_view{};
}

int heading_level(std::string_view line) {
  const std::size_t ind = indent_of(line);
  if (ind > 3) return 0;
  std::size_t n = ind;
  while (n < line.size() && line[n] == '#') ++n;
  const auto level = static_cast<int>(n - ind);
  if (level < 1 || level > 6) return 0;
  return (n == line.size() || line[n] == ' ') ? level : 0;
}

bool is_rule(std::string_view line) {
  const std::string_view t = trim(line);
  if (t.size() < 3 || indent_of(line) > 3) return false;
  const char c = t[0];
  if (c != '-' && c != '*' && c != '_') return false;
  int count = 0;
  for (char d : t) {
    if (d == c) {
      ++count;
    } else if (d != ' ') {
      return false;
    }
  }
  return count >= 3;
}

struct ListMarker {
  bool ordered;
  int number;
  std::size_t indent;          // spaces before the marker
  std::size_t content_indent;  // column where the item's text starts
};

std::optional<ListMarker> list_marker(std::string_view line) {
  const std::size_t ind = indent_of(line);
  std::size_t n = ind;
  ListMarker m{false, 1, ind, 0};
  if (n < line.size() && (line[n] == '-' || line[n] == '*' || line[n] == '+')) {
    ++n;
  } else {
    const std::size_t digits_start = n;
    while (n < line.size() && n - digits_start < 9 &&
           std::isdigit(static_cast<unsigned char>(line[n])))
      ++n;
    if (n == digits_start || n >= line.size() || (line[n] != '.' && line[n] != ')'))
      return std::nullopt;
    m.ordered = true;
    m.number = std::stoi(std::string(line.substr(digits_start, n - digits_start)));
    ++n;
  }
  if (n < line.size() && line[n] != ' ') return std::nullopt;
  std::size_t spaces = 0;
  while (n + spaces < line.size() && line[n + spaces] == ' ') ++spaces;
  // Text starting far right (4+ spaces) is indented code in CommonMark; here it is just text.
  m.content_indent = n + ((spaces == 0 || spaces > 4) ? 1 : spaces);
  return m;
}

bool is_table_delimiter(std::string_view line) {
  const std::string_view t = trim(line);
  if (t.find('-') == std::string_view::npos || t.find('|') == std::string_view::npos) {
    return false;
  }
  return std::all_of(t.begin(), t.end(),
                     [](char c) { return c == '|' || c == '-' || c == ':' || c == ' '; });
}

// Cells of a pipe-table row; pipes inside `code` and escaped \| do not split.
std::vector<std::string> table_cells(std::string_view line) {
  std::string_view t = trim(line);
  if (!t.empty() && t.front() == '|') t.remove_prefix(1);
  if (!t.empty() && t.back() == '|' && (t.size() < 2 || t[t.size() - 2] != '\\'))
    t.remove_suffix(1);
  std::vector<std::string> cells;
  std::string cell;
  bool in_code = false;
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (t[i] == '\\' && i + 1 < t.size() && t[i + 1] == '|') {
      cell += '|';
      ++i;
    } else if (t[i] == '`') {
      in_code = !in_code;
      cell += '`';
    } else if (t[i] == '|' && !in_code) {
      cells.emplace_back(trim(cell));
      cell.clear();
    } else {
      cell += t[i];
    }
  }
  cells.emplace_back(trim(cell));
  return cells;
}

std::string default_link(std::string_view url) {
  if (url.starts_with("https://") || url.starts_with("http://") || url.starts_with("mailto:") ||
      url.starts_with("#")) {
    return std::string(url);
  }
  return {};
}

class InlineRenderer {
 public:
  explicit InlineRenderer(const MarkdownOptions& options) : options_(options) {}

  std::string render(std::string_view s) const {
    std::string out;
    std::string plain;  // escaped in one go, so multi-byte characters stay whole
    auto flush = [&] {
      out += escape(plain);
      plain.clear();
    };
    std::size_t i = 0;
    while (i < s.size()) {
      const char c = s[i];
      if (c == '\\' && i + 1 < s.size() && is_punct(s[i + 1])) {
        plain += s[i + 1];
        i += 2;
      } else if (c == '`') {
        std::size_t run = 0;
        while (i + run < s.size() && s[i + run] == '`') ++run;
        const auto close = find_run(s, i + run, '`', run);
        if (close == std::string_view::npos) {
          plain.append(run, '`');
          i += run;
          continue;
        }
        std::string_view code = s.substr(i + run, close - i - run);
        if (code.size() >= 2 && code.front() == ' ' && code.back() == ' ')
          code = code.substr(1, code.size() - 2);
        flush();
        out += "<code>" + escape(code) + "</code>";
        i = close + run;
      } else if (c == '[' || (c == '!' && i + 1 < s.size() && s[i + 1] == '[')) {
        const bool image = c == '!';
        const std::size_t open = image ? i + 1 : i;
        std::size_t text_end = 0, url_start = 0, url_end = 0;
        if (!parse_link(s, open, text_end, url_start, url_end)) {
          plain += c;
          ++i;
          continue;
        }
        flush();
        const std::string_view text = s.substr(open + 1, text_end - open - 1);
        std::string_view url = trim(s.substr(url_start, url_end - url_start));
        if (const auto space = url.find(' '); space != std::string_view::npos) {
          url = url.substr(0, space);  // drop a "title"
        }
        if (image) {
          // Never load an image from a README: the report must open with no network.
          out += "<span class=\"md-image\">[image: " + escape(text) + "]</span>";
        } else {
          const std::string href =
              options_.resolve_link ? options_.resolve_link(url) : default_link(url);
          if (href.empty()) {
            out +=
                "<span class=\"md-link\" title=\"" + escape(url) + "\">" + render(text) + "</span>";
          } else {
            out += "<a href=\"" + escape(href) + "\">" + render(text) + "</a>";
          }
        }
        i = url_end + 1;
      } else if (c == '<' &&
                 (s.substr(i).starts_with("<http://") || s.substr(i).starts_with("<https://"))) {
        const auto close = s.find('>', i);
        if (close == std::string_view::npos) {
          plain += c;
          ++i;
          continue;
        }
        flush();
        const std::string_view url = s.substr(i + 1, close - i - 1);
        out += "<a href=\"" + escape(url) + "\">" + escape(url) + "</a>";
        i = close + 1;
      } else if (c == '*' || c == '_') {
        std::size_t run = 0;
        while (i + run < s.size() && s[i + run] == c) ++run;
        const std::size_t close = emphasis_close(s, i, c, run);
        if (close == std::string_view::npos) {
          plain.append(run, c);
          i += run;
          continue;
        }
        flush();
        const std::string inner = render(s.substr(i + run, close - i - run));
        if (run == 1) {
          out += "<em>" + inner + "</em>";
        } else if (run == 2) {
          out += "<strong>" + inner + "</strong>";
        } else {
          out += "<strong><em>" + inner + "</em></strong>";
        }
        i = close + run;
      } else if (c == ' ' && s.substr(i).starts_with("  \n")) {
        flush();
        out += "<br>\n";
        i += 3;
      } else {
        plain += c;
        ++i;
      }
    }
    flush();
    return out;
  }

 private:
  // The next run of exactly `len` copies of `c` at or after `from`.
  static std::size_t find_run(std::string_view s, std::size_t from, char c, std::size_t len) {
    std::size_t i = from;
    while (i < s.size()) {
      if (s[i] != c) {
        ++i;
        continue;
      }
      std::size_t run = 0;
      while (i + run < s.size() && s[i + run] == c) ++run;
      if (run == len) return i;
      i += run;
    }
    return std::string_view::npos;
  }

  // [text](url) starting at s[open] == '['; brackets nest, code spans are skipped.
  static bool parse_link(std::string_view s, std::size_t open, std::size_t& text_end,
                         std::size_t& url_start, std::size_t& url_end) {
    int depth = 0;
    std::size_t i = open;
    for (; i < s.size(); ++i) {
      if (s[i] == '\\') {
        ++i;
      } else if (s[i] == '`') {
        const auto close = s.find('`', i + 1);
        if (close == std::string_view::npos) return false;
        i = close;
      } else if (s[i] == '[') {
        ++depth;
      } else if (s[i] == ']' && --depth == 0) {
        break;
      }
    }
    if (i + 1 >= s.size() || s[i + 1] != '(') return false;
    text_end = i;
    url_start = i + 2;
    int parens = 1;
    for (std::size_t j = url_start; j < s.size(); ++j) {
      if (s[j] == '\n') return false;
      if (s[j] == '(') ++parens;
      if (s[j] == ')' && --parens == 0) {
        url_end = j;
        return true;
      }
    }
    return false;
  }

  // The closing delimiter run for emphasis opened at s[i] (run copies of c), or npos. An
  // opener must be followed by a non-space; a closer preceded by one. '_' does not open or
  // close inside a word, so snake_case names stay intact.
  static std::size_t emphasis_close(std::string_view s, std::size_t i, char c, std::size_t run) {
    if (run > 3 || i + run >= s.size() || is_space(s[i + run])) return std::string_view::npos;
    if (c == '_' && i > 0 && is_alnum(s[i - 1])) return std::string_view::npos;
    std::size_t j = i + run;
    while (true) {
      j = find_run(s, j + 1, c, run);
      if (j == std::string_view::npos) return j;
      if (is_space(s[j - 1])) continue;
      if (c == '_' && j + run < s.size() && is_alnum(s[j + run])) continue;
      // A code span between opener and closer hides its delimiters; stop at a backtick pair.
      const std::string_view inner = s.substr(i + run, j - i - run);
      if (std::count(inner.begin(), inner.end(), '`') % 2 != 0) continue;
      return j;
    }
  }

  const MarkdownOptions& options_;
};

class BlockRenderer {
 public:
  explicit BlockRenderer(const MarkdownOptions& options) : options_(options), inline_(options) {}

  std::string render(const Lines& lines) const {
    std::string out;
    std::size_t i = 0;
    while (i < lines.size()) {
      const std::string& line = lines[i];
      if (is_blank(line)) {
        ++i;
      } else if (!fence_of(line).empty()) {
        i = code_block(lines, i, out);
      } else if (const int level = heading_level(line)) {
        std::string_view text =
            trim(std::string_view(line).substr(indent_of(line) + static_cast<std::size_t>(level)));
        while (!text.empty() && text.back() == '#') text.remove_suffix(1);
        const int h = std::min(6, level + options_.heading_offset);
        out += fmt::format("<h{}>{}</h{}>\n", h, inline_.render(trim(text)), h);
        ++i;
      } else if (is_rule(line)) {
        out += "<hr>\n";
        ++i;
      } else if (i + 1 < lines.size() && line.find('|') != std::string::npos &&
                 is_table_delimiter(lines[i + 1])) {
        i = table(lines, i, out);
      } else if (trim(line).starts_with(">")) {
        i = quote(lines, i, out);
      } else if (list_marker(line)) {
        i = list(lines, i, out);
      } else {
        i = paragraph(lines, i, out);
      }
    }
    return out;
  }

 private:
  // Whether `line` starts a block other than a paragraph (so it interrupts one).
  static bool starts_block(const std::string& line) {
    return !fence_of(line).empty() || heading_level(line) > 0 || is_rule(line) ||
           trim(line).starts_with(">") || list_marker(line).has_value();
  }

  std::size_t paragraph(const Lines& lines, std::size_t i, std::string& out) const {
    std::string text;
    while (i < lines.size() && !is_blank(lines[i]) && (text.empty() || !starts_block(lines[i]))) {
      if (!text.empty()) text += '\n';
      text += trim(lines[i]);
      ++i;
    }
    out += "<p>" + inline_.render(text) + "</p>\n";
    return i;
  }

  static std::size_t code_block(const Lines& lines, std::size_t i, std::string& out) {
    const std::string fence(fence_of(lines[i]));
    const std::size_t ind = indent_of(lines[i]);
    const std::string info(trim(std::string_view(lines[i]).substr(ind + fence.size())));
    std::string code;
    ++i;
    for (; i < lines.size(); ++i) {
      const std::string_view f = fence_of(lines[i]);
      if (!f.empty() && f[0] == fence[0] && f.size() >= fence.size() &&
          is_blank(std::string_view(lines[i]).substr(indent_of(lines[i]) + f.size()))) {
        ++i;
        break;
      }
      const std::string_view body = lines[i];
      code += body.substr(std::min(ind, indent_of(body)));
      code += '\n';
    }
    const std::string lang = info.substr(0, info.find(' '));
    const bool cpp = lang == "cpp" || lang == "c++" || lang == "cc" || lang == "c" ||
                     lang == "hpp" || lang == "h" || lang == "cxx";
    out += "<pre class=\"md-code\"><code" +
           (lang.empty() ? std::string() : " class=\"lang-" + escape(id_part(lang)) + "\"") + ">";
    if (cpp) {
      bool first = true;
      for (const std::string& l : highlight_cpp(code)) {
        if (!first) out += '\n';
        out += l;
        first = false;
      }
    } else {
      if (!code.empty()) code.pop_back();
      out += escape(code);
    }
    out += "</code></pre>\n";
    return i;
  }

  std::size_t table(const Lines& lines, std::size_t i, std::string& out) const {
    const std::vector<std::string> header = table_cells(lines[i]);
    std::vector<std::string> align;
    for (const std::string& d : table_cells(lines[i + 1])) {
      const bool left = d.starts_with(":");
      const bool right = d.ends_with(":");
      align.emplace_back(left && right ? " style=\"text-align:center\""
                         : right       ? " style=\"text-align:right\""
                                       : "");
    }
    align.resize(header.size());
    out += "<div class=\"md-table\"><table>\n<thead><tr>";
    for (std::size_t c = 0; c < header.size(); ++c) {
      out += "<th" + align[c] + ">" + inline_.render(header[c]) + "</th>";
    }
    out += "</tr></thead>\n<tbody>\n";
    i += 2;
    while (i < lines.size() && !is_blank(lines[i]) && lines[i].find('|') != std::string::npos) {
      std::vector<std::string> cells = table_cells(lines[i]);
      cells.resize(header.size());
      out += "<tr>";
      for (std::size_t c = 0; c < header.size(); ++c) {
        out += "<td" + align[c] + ">" + inline_.render(cells[c]) + "</td>";
      }
      out += "</tr>\n";
      ++i;
    }
    out += "</tbody></table></div>\n";
    return i;
  }

  std::size_t quote(const Lines& lines, std::size_t i, std::string& out) const {
    Lines inner;
    while (i < lines.size() && trim(lines[i]).starts_with(">")) {
      std::string_view t = trim(lines[i]);
      t.remove_prefix(1);
      if (!t.empty() && t.front() == ' ') t.remove_prefix(1);
      inner.emplace_back(t);
      ++i;
    }
    out += "<blockquote>\n" + render(inner) + "</blockquote>\n";
    return i;
  }

  std::size_t list(const Lines& lines, std::size_t i, std::string& out) const {
    const ListMarker first = *list_marker(lines[i]);
    std::vector<Lines> items;
    std::size_t content_indent = first.content_indent;
    while (i < lines.size()) {
      const std::string& line = lines[i];
      const auto marker = list_marker(line);
      if (marker && marker->ordered == first.ordered && marker->indent < content_indent &&
          marker->indent + 3 >= first.indent) {
        content_indent = marker->content_indent;
        items.push_back(
            {std::string(std::string_view(line).substr(std::min(line.size(), content_indent)))});
        ++i;
        continue;
      }
      if (is_blank(line)) {
        // A blank line continues the list only if the next text belongs to it.
        std::size_t j = i;
        while (j < lines.size() && is_blank(lines[j])) ++j;
        if (j == lines.size()) break;
        const auto next_marker = list_marker(lines[j]);
        const bool sibling = next_marker && next_marker->ordered == first.ordered &&
                             next_marker->indent < content_indent;
        if (indent_of(lines[j]) < content_indent && !sibling) break;
        items.back().emplace_back();
        ++i;
        continue;
      }
      if (indent_of(line) >= content_indent) {
        items.back().emplace_back(std::string_view(line).substr(content_indent));
      } else if (!is_blank(items.back().back()) && !starts_block(line)) {
        items.back().emplace_back(trim(line));  // a lazy continuation of the item's paragraph
      } else {
        break;
      }
      ++i;
    }
    const char* tag = first.ordered ? "ol" : "ul";
    out += std::string("<") + tag;
    if (first.ordered && first.number != 1) out += fmt::format(" start=\"{}\"", first.number);
    out += ">\n";
    for (const Lines& item : items) out += "<li>" + render(item) + "</li>\n";
    out += std::string("</") + tag + ">\n";
    return i;
  }

  const MarkdownOptions& options_;
  InlineRenderer inline_;
};

}  // namespace

std::string markdown_to_html(std::string_view markdown, const MarkdownOptions& options) {
  return BlockRenderer(options).render(split_lines(markdown));
}

std::string markdown_inline(std::string_view text, const MarkdownOptions& options) {
  return InlineRenderer(options).render(text);
}

std::vector<MarkdownSection> split_sections(std::string_view markdown) {
  std::vector<MarkdownSection> sections(1);
  std::string fence;
  for (const std::string& line : split_lines(markdown)) {
    const std::string_view f = fence_of(line);
    if (!f.empty()) {
      if (fence.empty()) {
        fence = std::string(f);
      } else if (f[0] == fence[0] && f.size() >= fence.size()) {
        fence.clear();
      }
    }
    if (fence.empty() && f.empty() && heading_level(line) == 2) {
      sections.push_back(
          {std::string(trim(std::string_view(line).substr(indent_of(line) + 2))), {}});
      continue;
    }
    sections.back().body += line;
    sections.back().body += '\n';
  }
  return sections;
}

}  // namespace casebook::reports::html
