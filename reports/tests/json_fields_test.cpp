// Unit tests of the field reader every results-file reader is built on (results/json_fields.hpp):
// required, defaulted and optional fields, and the path each refusal names.
#include "results/json_fields.hpp"

#include <gtest/gtest.h>

#include <string>

namespace casebook {
namespace {

using nlohmann::json;

// The message a read gives, or "" when it reads.
template <class Read>
std::string refusal(Read read) {
  try {
    read();
  } catch (const FieldError& e) {
    return e.what();
  }
  return "";
}

TEST(JsonFields, RequiredFieldsAreThereAndOfTheirType) {
  const json doc = {{"name", "x"}, {"count", 3}, {"on", true}, {"rate", 0.5}};
  const JsonFields f(doc, "run");
  EXPECT_EQ(f.text("name"), "x");
  EXPECT_EQ(f.integer("count"), 3);
  EXPECT_TRUE(f.flag("on"));
  EXPECT_EQ(f.number("rate"), 0.5);
  EXPECT_EQ(f.number("count"), 3.0);  // an integer reads as a number too
  EXPECT_EQ(refusal([&] { f.text("missing"); }), "run.missing: missing");
  EXPECT_EQ(refusal([&] { f.integer("name"); }), "run.name: expected an integer, found \"x\"");
}

TEST(JsonFields, DefaultedFieldsReadTheirDefaultOnlyWhenAbsent) {
  const json doc = {{"name", 7}};
  const JsonFields f(doc, "run");
  EXPECT_EQ(f.text_or("other", "fallback"), "fallback");
  EXPECT_EQ(refusal([&] { f.text_or("name", "fallback"); }),
            "run.name: expected a string, found 7");
}

TEST(JsonFields, OptionalFieldsAreNothingWhenAbsentAndCheckedWhenPresent) {
  const json doc = {{"name", "x"}, {"count", 3}, {"on", false}, {"rate", 2}, {"bad", "2"}};
  const JsonFields f(doc, "verdicts[1]");
  EXPECT_EQ(f.text_if("name"), std::optional<std::string>("x"));
  EXPECT_EQ(f.integer_if("count"), std::optional<int>(3));
  EXPECT_EQ(f.flag_if("on"), std::optional<bool>(false));
  EXPECT_EQ(f.number_if("rate"), std::optional<double>(2.0));
  EXPECT_FALSE(f.text_if("absent").has_value());
  EXPECT_FALSE(f.integer_if("absent").has_value());
  EXPECT_FALSE(f.flag_if("absent").has_value());
  EXPECT_FALSE(f.number_if("absent").has_value());
  EXPECT_EQ(refusal([&] { f.number_if("bad"); }),
            "verdicts[1].bad: expected a number, found \"2\"");
  EXPECT_EQ(refusal([&] { f.flag_if("count"); }),
            "verdicts[1].count: expected true or false, found 3");
}

TEST(JsonFields, ANonObjectIsRefusedByItsPlace) {
  EXPECT_EQ(refusal([] { JsonFields(json::array(), "outcome"); }),
            "outcome: expected an object, found []");
}

}  // namespace
}  // namespace casebook
