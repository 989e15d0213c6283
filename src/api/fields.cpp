// Field checks shared by every route so that messages look alike everywhere.
#include "api/fields.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace ff::api {
namespace {

std::string trim(std::string_view text) {
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) return {};
    const auto last = text.find_last_not_of(" \t\r\n");
    return std::string(text.substr(first, last - first + 1));
}

bool absent(const nlohmann::json& body, const std::string& field) {
    const auto found = body.find(field);
    return found == body.end() || found->is_null();
}

}  // namespace

std::size_t utf8_length(std::string_view text) {
    return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
        return (static_cast<unsigned char>(c) & 0xC0) != 0x80;  // continuation bytes do not start a character
    }));
}

ApiResult<std::optional<std::string>> optional_string(const nlohmann::json& body, const std::string& field,
                                                      std::size_t min_length, std::size_t max_length) {
    if (absent(body, field)) return std::optional<std::string>{};
    const auto& value = body.at(field);
    if (!value.is_string()) return validation_error(field + " must be a string");
    std::string text = trim(value.get_ref<const std::string&>());
    const std::size_t length = utf8_length(text);
    if (length < min_length || length > max_length) {
        if (min_length > 0 && length == 0) return validation_error(field + " must not be empty");
        return validation_error(field + " must be " + std::to_string(min_length) + " to " +
                                std::to_string(max_length) + " characters long");
    }
    return std::optional<std::string>{std::move(text)};
}

ApiResult<std::string> required_string(const nlohmann::json& body, const std::string& field,
                                       std::size_t max_length) {
    if (absent(body, field)) return validation_error(field + " is required");
    auto value = optional_string(body, field, 1, max_length);
    if (!value) return value.error();
    return std::move(*value.value());
}

ApiResult<std::optional<bool>> optional_bool(const nlohmann::json& body, const std::string& field) {
    if (absent(body, field)) return std::optional<bool>{};
    const auto& value = body.at(field);
    if (!value.is_boolean()) return validation_error(field + " must be true or false");
    return std::optional<bool>{value.get<bool>()};
}

ApiResult<std::optional<std::int64_t>> optional_integer(const nlohmann::json& body, const std::string& field,
                                                        std::int64_t min, std::int64_t max) {
    if (absent(body, field)) return std::optional<std::int64_t>{};
    const auto& value = body.at(field);
    const std::string range = std::to_string(min) + " and " + std::to_string(max);
    if (!value.is_number_integer()) return validation_error(field + " must be an integer between " + range);
    std::int64_t number = 0;
    if (value.is_number_unsigned()) {
        const auto unsigned_value = value.get<std::uint64_t>();
        if (unsigned_value > static_cast<std::uint64_t>(max))
            return validation_error(field + " must be an integer between " + range);
        number = static_cast<std::int64_t>(unsigned_value);
    } else {
        number = value.get<std::int64_t>();
    }
    if (number < min || number > max) return validation_error(field + " must be an integer between " + range);
    return std::optional<std::int64_t>{number};
}

ApiResult<std::int64_t> query_integer(const std::map<std::string, std::string>& query,
                                      const std::string& name, std::int64_t fallback, std::int64_t min,
                                      std::int64_t max) {
    const auto found = query.find(name);
    if (found == query.end()) return fallback;
    const std::string& text = found->second;
    std::int64_t number = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (text.empty() || error != std::errc{} || end != text.data() + text.size() || number < min ||
        number > max)
        return validation_error(name + " must be an integer between " + std::to_string(min) + " and " +
                                std::to_string(max) + " (got \"" + text + "\")");
    return number;
}

bool is_extension(std::string_view text) {
    return !text.empty() && text.size() <= 16 &&
           std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace ff::api
