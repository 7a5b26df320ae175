// printable_text.hpp - text from a child process made fit for every file casebook writes.
//
// A case under test prints what it likes: invalid UTF-8, NUL bytes, terminal escapes. JSON
// (results.json, the journal) must be UTF-8, and XML (JUnit, the SVG in the report) admits no
// control characters but tab, newline and carriage return. So every byte a child hands over
// (its streams, its tool logs, its outcome file) passes through here once, where it is read,
// and every writer downstream can take it as it is:
//   - valid UTF-8 stays as it is, tab, newline and carriage return too;
//   - each byte of an invalid sequence becomes U+FFFD (the replacement character), and so do
//     the code points XML forbids (U+FFFE, U+FFFF);
//   - other C0 controls and DEL become their visible Control Pictures (NUL -> U+2400 "␀",
//     ESC -> U+241B "␛"), so the evidence still shows what was there.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace casebook {

namespace printable_detail {

inline void append_code_point(std::string& out, char32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

// The length of the valid UTF-8 sequence at text[at] and its code point; 0 when invalid.
inline std::size_t sequence_at(std::string_view text, std::size_t at, char32_t& code_point) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[at + i]); };
  const unsigned char lead = byte(0);
  std::size_t length = 0;
  char32_t c = 0;
  if (lead < 0x80) return code_point = lead, 1;
  if (lead >= 0xC2 && lead <= 0xDF)
    length = 2, c = lead & 0x1F;
  else if (lead >= 0xE0 && lead <= 0xEF)
    length = 3, c = lead & 0x0F;
  else if (lead >= 0xF0 && lead <= 0xF4)
    length = 4, c = lead & 0x07;
  else
    return 0;
  if (at + length > text.size()) return 0;
  for (std::size_t i = 1; i < length; ++i) {
    if ((byte(i) & 0xC0) != 0x80) return 0;
    c = (c << 6) | (byte(i) & 0x3F);
  }
  // Overlong forms, UTF-16 surrogates and code points past U+10FFFF are not UTF-8.
  if ((length == 3 && c < 0x800) || (length == 4 && c < 0x10000) || c > 0x10FFFF ||
      (c >= 0xD800 && c <= 0xDFFF)) {
    return 0;
  }
  code_point = c;
  return length;
}

}  // namespace printable_detail

inline std::string printable_text(std::string_view text) {
  using namespace printable_detail;
  std::string out;
  out.reserve(text.size());
  for (std::size_t at = 0; at < text.size();) {
    char32_t c = 0;
    const std::size_t length = sequence_at(text, at, c);
    if (length == 0) {
      append_code_point(out, 0xFFFD);
      ++at;
      continue;
    }
    if (c == '\t' || c == '\n' || c == '\r') {
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      append_code_point(out, 0x2400 + c);
    } else if (c == 0x7F) {
      append_code_point(out, 0x2421);
    } else if (c == 0xFFFE || c == 0xFFFF) {
      append_code_point(out, 0xFFFD);
    } else {
      out.append(text.substr(at, length));
    }
    at += length;
  }
  return out;
}

}  // namespace casebook
