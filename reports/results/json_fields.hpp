// json_fields.hpp - reading typed fields out of a JSON document casebook wrote earlier (a run
// journal, a results.json), with one error for every missing or mistyped field.
//
// Such a file may come from another machine, an older build or a disk that filled up: a field
// that is not there, or not of its type, must stop the reader with a message naming where it
// is ("verdicts[3].trials[0].seed: expected an unsigned integer, found \"7\""), not with
// nlohmann's "type must be number" from somewhere inside.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace casebook {

// What a reader throws; what() names the field's path and what was wrong with it.
struct FieldError : std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};

// The fields of one JSON object, at `where` (the path a message names it by).
class JsonFields {
 public:
  // Throws FieldError when value is not an object.
  JsonFields(const nlohmann::json& value, std::string where);

  const std::string& where() const { return where_; }
  bool has(const char* key) const;  // present, even as null

  std::string text(const char* key) const;
  bool flag(const char* key) const;
  int integer(const char* key) const;  // any int, negative too
  long long wide(const char* key) const;
  std::uint64_t unsigned_integer(const char* key) const;
  double number(const char* key) const;  // an integer reads as a number too
  // The field as it is, checked for its JSON type only.
  const nlohmann::json& array(const char* key) const;
  const nlohmann::json& any(const char* key) const;  // present, of any type
  // The field's value at `key`, or nullptr when the field is null (absent: an error).
  const nlohmann::json* object_or_null(const char* key) const;
  // Optional fields: the default when absent, an error when present with another type.
  std::string text_or(const char* key, const std::string& fallback) const;
  bool flag_or(const char* key, bool fallback) const;
  int integer_or(const char* key, int fallback) const;
  long long wide_or(const char* key, long long fallback) const;
  double number_or(const char* key, double fallback) const;
  // Optional fields kept optional: nothing when absent, an error when present with another type.
  std::optional<std::string> text_if(const char* key) const;
  std::optional<bool> flag_if(const char* key) const;
  std::optional<int> integer_if(const char* key) const;
  std::optional<double> number_if(const char* key) const;

  // The path of an element: where() + "." + key, or + "[i]".
  std::string path(const char* key) const;
  std::string path(const char* key, std::size_t index) const;

  // Throws FieldError "<path>: <what>".
  [[noreturn]] static void fail(const std::string& path, const std::string& what);

 private:
  const nlohmann::json& required(const char* key) const;
  [[noreturn]] void mistyped(const char* key, const char* expected) const;

  const nlohmann::json& value_;
  std::string where_;
};

// A value as a message shows it: its JSON, cut to 60 characters so a 16 KiB raw report does not
// flood the message.
std::string shown_json(const nlohmann::json& value);

// The strings of an array field, each checked.
std::vector<std::string> text_list(const JsonFields& fields, const char* key);
// The same, empty when the field is absent.
std::vector<std::string> text_list_or_empty(const JsonFields& fields, const char* key);
// The integers of an array field, each checked.
std::vector<int> integer_list(const JsonFields& fields, const char* key);

}  // namespace casebook
