// Feeds: a request target (path and query string) as a browser or a CRM sends it, then its parameters to the
// readers of the call log and statistics routes (page numbers, dates), and each value as a Range header (a
// recording's seek). Asserts: the target, percent-encoded again, parses to the same path and parameters; an
// accepted date range starts before it ends and its days read back as written; a byte range served lies
// within the file.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "api/date_range.hpp"
#include "api/fields.hpp"
#include "fuzz_check.hpp"
#include "http/byte_range.hpp"
#include "http/url.hpp"

namespace {

std::string encoded(std::string_view text) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
            c == '_' || c == '.' || c == '~' || c == '/') {
            out += c;
        } else {
            out += '%';
            out += hex[byte >> 4];
            out += hex[byte & 15];
        }
    }
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto target = ff::http::parse_target(std::string_view(reinterpret_cast<const char*>(data), size));
    if (!target) return 0;

    std::string written = encoded(target->path);
    char separator = '?';
    for (const auto& [key, value] : target->query) {
        written += separator + encoded(key) + "=" + encoded(value);
        separator = '&';
    }
    const auto again = ff::http::parse_target(written);
    FUZZ_CHECK(again && again->path == target->path && again->query == target->query);

    (void)ff::api::query_integer(target->query, "page", 1, 1, 1'000'000);
    (void)ff::api::query_integer(target->query, "limit", 20, 1, 100);
    for (const auto& [key, value] : target->query) {
        for (const std::uint64_t file_size : {std::uint64_t{0}, std::uint64_t{1}, std::uint64_t{5000}, ~std::uint64_t{0}}) {
            const auto range = ff::http::parse_byte_range(value, file_size);
            if (range.kind == ff::http::ByteRange::Kind::partial)
                FUZZ_CHECK(range.first <= range.last && range.last < file_size);
        }
        if (const auto date = ff::api::parse_calendar_date(value))
            FUZZ_CHECK(ff::api::format_calendar_date(*date) == value);
    }
    const auto now = ff::calls::TimePoint{std::chrono::milliseconds{1'762'600'000'000}};  // November 2025
    if (const auto range = ff::api::parse_date_range(target->query, now)) {
        FUZZ_CHECK(range->from < range->until);
        FUZZ_CHECK(ff::api::parse_calendar_date(ff::api::format_calendar_date(range->first_day)));
        FUZZ_CHECK(ff::api::parse_calendar_date(ff::api::format_calendar_date(range->last_day)));
    }
    return 0;
}
