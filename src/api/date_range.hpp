// The ?from=YYYY-MM-DD&to=YYYY-MM-DD of the statistics: whole local days (TZ), both ends included.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "api/api_error.hpp"
#include "calls/call.hpp"

namespace ff::api {

struct CalendarDate {
    int year = 0;
    int month = 0;  // 1..12
    int day = 0;    // 1..31
};

// Strictly YYYY-MM-DD naming a real day (2025-02-30 is refused).
std::optional<CalendarDate> parse_calendar_date(std::string_view text);
std::string format_calendar_date(const CalendarDate& date);

struct DateRange {
    CalendarDate first_day;
    CalendarDate last_day;
    calls::TimePoint from;   // local midnight starting first_day
    calls::TimePoint until;  // local midnight ending last_day (exclusive)
};

// Missing `to`: today; missing `from`: 29 days before `to` (30 days in all). Errors name the parameter.
ApiResult<DateRange> parse_date_range(const std::map<std::string, std::string>& query, calls::TimePoint now);

}  // namespace ff::api
