// Days are turned into instants with mktime on local midnight, so DST days have their real length.
#include "api/date_range.hpp"

#include <cstdio>
#include <ctime>

namespace ff::api {
namespace {

std::tm local_midnight(const CalendarDate& date, int add_days) {
    std::tm parts{};
    parts.tm_year = date.year - 1900;
    parts.tm_mon = date.month - 1;
    parts.tm_mday = date.day + add_days;
    parts.tm_isdst = -1;  // let the zone rules decide
    return parts;
}

calls::TimePoint start_of(const CalendarDate& date, int add_days) {
    std::tm parts = local_midnight(date, add_days);
    const std::time_t seconds = std::mktime(&parts);
    return calls::TimePoint{std::chrono::milliseconds{static_cast<std::int64_t>(seconds) * 1000}};
}

CalendarDate shifted(const CalendarDate& date, int add_days) {
    std::tm parts = local_midnight(date, add_days);
    parts.tm_hour = 12;  // noon: the day does not slip across a DST change
    std::mktime(&parts);
    return {parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday};
}

ApiResult<CalendarDate> date_parameter(const std::map<std::string, std::string>& query,
                                       const std::string& name, const CalendarDate& fallback) {
    const auto found = query.find(name);
    if (found == query.end()) return fallback;
    const auto date = parse_calendar_date(found->second);
    if (!date)
        return validation_error(name + " must be a date written YYYY-MM-DD (got \"" + found->second + "\")");
    return *date;
}

}  // namespace

std::optional<CalendarDate> parse_calendar_date(std::string_view text) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
    for (std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u}) {
        if (text[i] < '0' || text[i] > '9') return std::nullopt;
    }
    const auto number = [&text](std::size_t at, std::size_t length) {
        int value = 0;
        for (std::size_t i = at; i < at + length; ++i) value = value * 10 + (text[i] - '0');
        return value;
    };
    const CalendarDate date{number(0, 4), number(5, 2), number(8, 2)};
    if (date.year < 1970 || date.month < 1 || date.month > 12 || date.day < 1) return std::nullopt;
    static constexpr int days_in_month[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (date.year % 4 == 0 && date.year % 100 != 0) || date.year % 400 == 0;
    const int last_day = date.month == 2 && leap ? 29 : days_in_month[date.month - 1];
    if (date.day > last_day) return std::nullopt;
    return date;
}

std::string format_calendar_date(const CalendarDate& date) {
    char text[16];
    std::snprintf(text, sizeof text, "%04d-%02d-%02d", date.year, date.month, date.day);
    return text;
}

ApiResult<DateRange> parse_date_range(const std::map<std::string, std::string>& query, calls::TimePoint now) {
    const std::time_t now_seconds =
        std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
    std::tm local{};
    localtime_r(&now_seconds, &local);
    const CalendarDate today{local.tm_year + 1900, local.tm_mon + 1, local.tm_mday};

    auto last_day = date_parameter(query, "to", today);
    if (!last_day) return last_day.error();
    auto first_day = date_parameter(query, "from", shifted(*last_day, -29));
    if (!first_day) return first_day.error();

    DateRange range{*first_day, *last_day, start_of(*first_day, 0), start_of(*last_day, 1)};
    if (range.from >= range.until)
        return validation_error("from (" + format_calendar_date(*first_day) + ") must not be after to (" +
                                format_calendar_date(*last_day) + ")");
    return range;
}

}  // namespace ff::api
