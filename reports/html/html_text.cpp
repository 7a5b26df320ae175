// html_text.cpp - escaping and formatting for the HTML report (see html_text.hpp).
#include "html_text.hpp"

#include <fmt/format.h>

#include <cmath>

#include "writing/text.hpp"

namespace casebook::reports::html {

std::string escape(std::string_view text) {
  const std::string clean = xml_safe(strip_ansi(text));
  std::string out;
  out.reserve(clean.size() + clean.size() / 8);
  for (char c : clean) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string id_part(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    const bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '_' || c == '-';
    if (!keep) c = '_';
  }
  return out;
}

std::string line_anchor(std::string_view case_name, std::string_view file, long line) {
  return fmt::format("L-{}-{}-{}", id_part(case_name), id_part(file), line);
}

std::string case_anchor(std::string_view case_name) {
  return "case-" + id_part(case_name);
}

std::string format_seconds(double seconds) {
  if (!(seconds >= 0)) return "-";
  if (seconds < 10) return fmt::format("{:.2f} s", seconds);
  if (seconds < 60) return fmt::format("{:.1f} s", seconds);
  const auto whole = static_cast<long>(std::lround(seconds));
  return fmt::format("{} min {:02} s", whole / 60, whole % 60);
}

std::string format_number(double value) {
  if (!std::isfinite(value)) return "-";
  const double magnitude = std::fabs(value);
  if (magnitude >= 1000) return fmt::format("{:.0f}", value);
  if (magnitude >= 100) return fmt::format("{:.1f}", value);
  if (magnitude >= 10) return fmt::format("{:.2f}", value);
  if (magnitude >= 1 || magnitude == 0) return fmt::format("{:.3g}", value);
  // Below 1: four significant digits, written out (0.008695, not 8.695e-03).
  const int decimals = 3 - static_cast<int>(std::floor(std::log10(magnitude)));
  return fmt::format("{:.{}f}", value, decimals);
}

}  // namespace casebook::reports::html
