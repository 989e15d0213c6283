// Checked reading of request fields and query parameters; every error message starts with the field's name.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "api/api_error.hpp"

namespace ff::api {

// Lengths are counted in characters (UTF-8 code points), not bytes.
std::size_t utf8_length(std::string_view text);

// Absent or null: nullopt. Present: must be a string of min..max characters (after trimming spaces).
ApiResult<std::optional<std::string>> optional_string(const nlohmann::json& body, const std::string& field,
                                                      std::size_t min_length, std::size_t max_length);
ApiResult<std::string> required_string(const nlohmann::json& body, const std::string& field,
                                       std::size_t max_length);
ApiResult<std::optional<bool>> optional_bool(const nlohmann::json& body, const std::string& field);
ApiResult<std::optional<std::int64_t>> optional_integer(const nlohmann::json& body, const std::string& field,
                                                        std::int64_t min, std::int64_t max);

// A whole decimal number in [min, max]; `fallback` when the parameter is absent.
ApiResult<std::int64_t> query_integer(const std::map<std::string, std::string>& query,
                                      const std::string& name, std::int64_t fallback, std::int64_t min,
                                      std::int64_t max);

// Extensions as operators' phones dial them: 1 to 16 digits.
bool is_extension(std::string_view text);

}  // namespace ff::api
