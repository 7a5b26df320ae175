// Tests of printable_text (common/printable_text.hpp): whatever bytes a child prints come out
// as UTF-8 that JSON takes strictly and XML 1.0 admits (rapidcheck, against nlohmann's strict
// encoder and a check of every character), valid printable text comes out unchanged, and the
// odd bytes stay visible where they were.
#include "common/printable_text.hpp"

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <nlohmann/json.hpp>

namespace casebook {
namespace {

// Whether JSON's strict encoder takes the text (it throws on invalid UTF-8).
bool json_takes(const std::string& text) {
  try {
    (void)nlohmann::json(text).dump();
    return true;
  } catch (const nlohmann::json::type_error&) {
    return false;
  }
}

// Whether every byte is allowed in XML 1.0 text: no C0 control but tab, LF, CR, no DEL, and
// no U+FFFE/U+FFFF (EF BF BE, EF BF BF).
bool xml_takes(const std::string& text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F) return false;
    if (c == 0xEF && i + 2 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0xBF &&
        (static_cast<unsigned char>(text[i + 2]) & 0xFE) == 0xBE) {
      return false;
    }
  }
  return true;
}

// Any byte, with the lead and continuation bytes of UTF-8 (and of its forbidden forms) often
// enough that valid, cut-short and invalid sequences all come up.
rc::Gen<std::string> any_bytes() {
  return rc::gen::container<std::string>(rc::gen::oneOf(
      rc::gen::cast<char>(rc::gen::inRange(0, 256)),
      rc::gen::cast<char>(rc::gen::element(0xC3, 0xA9, 0xE2, 0x82, 0xAC, 0xF0, 0x9F, 0x90, 0x9B,
                                           0xEF, 0xBF, 0xBE, 0xED, 0xA0, 0xF4, 0x8F, 0x00))));
}

RC_GTEST_PROP(PrintableText, AnyBytesComeOutAsTextEveryWriterTakes, ()) {
  const std::string bytes = *any_bytes();
  const std::string text = printable_text(bytes);
  RC_ASSERT(json_takes(text));
  RC_ASSERT(xml_takes(text));
  RC_ASSERT(printable_text(text) == text);  // once is enough
}

RC_GTEST_PROP(PrintableText, PrintableUtf8StaysAsItIs, ()) {
  const std::string text = *rc::gen::container<std::string>(
      rc::gen::element<char>('a', 'Z', ' ', '\t', '\n', '\r', '{', '"', '\\'));
  const std::string accents = "caf\xC3\xA9 \xE2\x86\x92 \xF0\x9F\x90\x9B";  // é → 🐛
  RC_ASSERT(printable_text(text + accents) == text + accents);
}

TEST(PrintableText, OddBytesStayVisibleWhereTheyWere) {
  EXPECT_EQ(printable_text(std::string("a\0b", 3)),
            "a\xE2\x90\x80"
            "b");  // NUL -> ␀
  EXPECT_EQ(printable_text("\x1B[31mred\x1B[0m"), "\xE2\x90\x9B[31mred\xE2\x90\x9B[0m");  // ESC
  EXPECT_EQ(printable_text("caf\xE9!"), "caf\xEF\xBF\xBD!");          // Latin-1 é -> U+FFFD
  EXPECT_EQ(printable_text("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");  // overlong '/'
  EXPECT_EQ(printable_text("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // surrogate
  EXPECT_EQ(printable_text("\xE2\x82"), "\xEF\xBF\xBD\xEF\xBF\xBD");                  // cut short
  EXPECT_EQ(printable_text("\xEF\xBF\xBF"), "\xEF\xBF\xBD");                          // U+FFFF
  EXPECT_EQ(printable_text("\x7F"), "\xE2\x90\xA1");                                  // DEL -> ␡
}

}  // namespace
}  // namespace casebook
