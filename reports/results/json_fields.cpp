#include "results/json_fields.hpp"

#include <limits>

namespace casebook {

using nlohmann::json;

std::string shown_json(const json& value) {
  std::string text = value.dump();
  if (text.size() > 60) text = text.substr(0, 57) + "...";
  return text;
}

JsonFields::JsonFields(const json& value, std::string where)
    : value_(value), where_(std::move(where)) {
  // The whole document has no path of its own: say so rather than print an empty one.
  if (!value_.is_object()) {
    fail(where_.empty() ? "the document" : where_,
         "expected an object, found " + shown_json(value_));
  }
}

void JsonFields::fail(const std::string& path, const std::string& what) {
  throw FieldError(path + ": " + what);
}

std::string JsonFields::path(const char* key) const {
  return where_.empty() ? std::string(key) : where_ + "." + key;
}

std::string JsonFields::path(const char* key, std::size_t index) const {
  return path(key) + "[" + std::to_string(index) + "]";
}

bool JsonFields::has(const char* key) const {
  return value_.contains(key);
}

const json& JsonFields::required(const char* key) const {
  const auto it = value_.find(key);
  if (it == value_.end()) fail(path(key), "missing");
  return *it;
}

void JsonFields::mistyped(const char* key, const char* expected) const {
  fail(path(key), std::string("expected ") + expected + ", found " + shown_json(value_.at(key)));
}

std::string JsonFields::text(const char* key) const {
  const json& v = required(key);
  if (!v.is_string()) mistyped(key, "a string");
  return v.get<std::string>();
}

std::string JsonFields::text_or(const char* key, const std::string& fallback) const {
  return has(key) ? text(key) : fallback;
}

bool JsonFields::flag_or(const char* key, bool fallback) const {
  return has(key) ? flag(key) : fallback;
}

int JsonFields::integer_or(const char* key, int fallback) const {
  return has(key) ? integer(key) : fallback;
}

long long JsonFields::wide_or(const char* key, long long fallback) const {
  return has(key) ? wide(key) : fallback;
}

double JsonFields::number_or(const char* key, double fallback) const {
  return has(key) ? number(key) : fallback;
}

std::optional<std::string> JsonFields::text_if(const char* key) const {
  return has(key) ? std::optional(text(key)) : std::nullopt;
}

std::optional<bool> JsonFields::flag_if(const char* key) const {
  return has(key) ? std::optional(flag(key)) : std::nullopt;
}

std::optional<int> JsonFields::integer_if(const char* key) const {
  return has(key) ? std::optional(integer(key)) : std::nullopt;
}

std::optional<double> JsonFields::number_if(const char* key) const {
  return has(key) ? std::optional(number(key)) : std::nullopt;
}

bool JsonFields::flag(const char* key) const {
  const json& v = required(key);
  if (!v.is_boolean()) mistyped(key, "true or false");
  return v.get<bool>();
}

long long JsonFields::wide(const char* key) const {
  const json& v = required(key);
  if (v.is_number_unsigned()) {
    if (v.get<std::uint64_t>() >
        static_cast<std::uint64_t>(std::numeric_limits<long long>::max())) {
      mistyped(key, "an integer that fits in 64 bits");
    }
    return static_cast<long long>(v.get<std::uint64_t>());
  }
  if (!v.is_number_integer()) mistyped(key, "an integer");
  return v.get<long long>();
}

int JsonFields::integer(const char* key) const {
  const long long n = wide(key);
  if (n < std::numeric_limits<int>::min() || n > std::numeric_limits<int>::max()) {
    mistyped(key, "an integer that fits in 32 bits");
  }
  return static_cast<int>(n);
}

std::uint64_t JsonFields::unsigned_integer(const char* key) const {
  const json& v = required(key);
  if (v.is_number_unsigned()) return v.get<std::uint64_t>();
  if (v.is_number_integer() && v.get<long long>() >= 0) {
    return static_cast<std::uint64_t>(v.get<long long>());
  }
  mistyped(key, "an unsigned integer");
}

double JsonFields::number(const char* key) const {
  const json& v = required(key);
  if (!v.is_number()) mistyped(key, "a number");
  return v.get<double>();
}

const json& JsonFields::array(const char* key) const {
  const json& v = required(key);
  if (!v.is_array()) mistyped(key, "an array");
  return v;
}

const json& JsonFields::any(const char* key) const {
  return required(key);
}

const json* JsonFields::object_or_null(const char* key) const {
  const json& v = required(key);
  if (v.is_null()) return nullptr;
  if (!v.is_object()) mistyped(key, "an object or null");
  return &v;
}

std::vector<std::string> text_list(const JsonFields& fields, const char* key) {
  std::vector<std::string> out;
  const json& list = fields.array(key);
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (!list[i].is_string()) {
      JsonFields::fail(fields.path(key, i), "expected a string, found " + shown_json(list[i]));
    }
    out.push_back(list[i].get<std::string>());
  }
  return out;
}

std::vector<std::string> text_list_or_empty(const JsonFields& fields, const char* key) {
  return fields.has(key) ? text_list(fields, key) : std::vector<std::string>{};
}

std::vector<int> integer_list(const JsonFields& fields, const char* key) {
  std::vector<int> out;
  const json& list = fields.array(key);
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (!list[i].is_number_integer()) {
      JsonFields::fail(fields.path(key, i), "expected an integer, found " + shown_json(list[i]));
    }
    const json& n = list[i];
    if (n.is_number_unsigned() ? n.get<std::uint64_t>() > std::numeric_limits<int>::max()
                               : (n.get<long long>() < std::numeric_limits<int>::min() ||
                                  n.get<long long>() > std::numeric_limits<int>::max())) {
      JsonFields::fail(fields.path(key, i),
                       "expected an integer that fits in 32 bits, found " + shown_json(n));
    }
    out.push_back(n.get<int>());
  }
  return out;
}

}  // namespace casebook
