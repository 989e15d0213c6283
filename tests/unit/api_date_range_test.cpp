// Statistics dates: strict YYYY-MM-DD, whole local days in TZ, both ends included, errors name the parameter.
#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>

#include "api/date_range.hpp"

using namespace ff::api;

namespace {

// Runs a test in a given time zone and restores the previous one.
class TimeZone {
  public:
    explicit TimeZone(const char* zone) {
        if (const char* old = std::getenv("TZ")) previous_ = old, had_ = true;
        setenv("TZ", zone, 1);
        tzset();
    }
    ~TimeZone() {
        if (had_)
            setenv("TZ", previous_.c_str(), 1);
        else
            unsetenv("TZ");
        tzset();
    }

  private:
    std::string previous_;
    bool had_ = false;
};

std::int64_t epoch_seconds(ff::calls::TimePoint time) {
    return std::chrono::duration_cast<std::chrono::seconds>(time.time_since_epoch()).count();
}

ff::calls::TimePoint at_epoch(std::int64_t seconds) {
    return ff::calls::TimePoint{std::chrono::milliseconds{seconds * 1000}};
}

}  // namespace

TEST(ApiDateRange, calendar_dates_are_parsed_strictly) {
    EXPECT_TRUE(parse_calendar_date("2025-11-08"));
    EXPECT_TRUE(parse_calendar_date("2024-02-29"));
    EXPECT_FALSE(parse_calendar_date("2025-02-29"));
    EXPECT_FALSE(parse_calendar_date("2025-13-01"));
    EXPECT_FALSE(parse_calendar_date("2025-11-31"));
    EXPECT_FALSE(parse_calendar_date("2025-1-08"));
    EXPECT_FALSE(parse_calendar_date("08.11.2025"));
    EXPECT_FALSE(parse_calendar_date("2025-11-08T00:00"));
    EXPECT_FALSE(parse_calendar_date(""));
    EXPECT_EQ(format_calendar_date(*parse_calendar_date("2025-01-05")), "2025-01-05");
}

TEST(ApiDateRange, range_covers_whole_local_days_both_included) {
    TimeZone zone("Europe/Moscow");  // UTC+3, no DST
    const auto range = parse_date_range({{"from", "2025-11-01"}, {"to", "2025-11-08"}}, ff::calls::now_ms());
    ASSERT_TRUE(range);
    EXPECT_EQ(epoch_seconds(range->from), 1761944400);   // 2025-11-01T00:00+03:00
    EXPECT_EQ(epoch_seconds(range->until), 1762635600);  // 2025-11-09T00:00+03:00
}

TEST(ApiDateRange, single_day_is_twenty_four_hours) {
    TimeZone zone("UTC");
    const auto range = parse_date_range({{"from", "2025-11-08"}, {"to", "2025-11-08"}}, ff::calls::now_ms());
    ASSERT_TRUE(range);
    EXPECT_EQ(epoch_seconds(range->until) - epoch_seconds(range->from), 86400);
}

TEST(ApiDateRange, dst_day_has_its_real_length) {
    TimeZone zone("Europe/Berlin");
    const auto range = parse_date_range({{"from", "2025-03-30"}, {"to", "2025-03-30"}}, ff::calls::now_ms());
    ASSERT_TRUE(range);
    EXPECT_EQ(epoch_seconds(range->until) - epoch_seconds(range->from), 23 * 3600);
}

TEST(ApiDateRange, default_is_the_last_thirty_days_up_to_today) {
    TimeZone zone("UTC");
    const auto now = at_epoch(1762603200);  // 2025-11-08T12:00Z
    const auto range = parse_date_range({}, now);
    ASSERT_TRUE(range);
    EXPECT_EQ(format_calendar_date(range->last_day), "2025-11-08");
    EXPECT_EQ(format_calendar_date(range->first_day), "2025-10-10");
    EXPECT_EQ(epoch_seconds(range->until) - epoch_seconds(range->from), 30 * 86400);
}

TEST(ApiDateRange, bad_dates_name_the_parameter) {
    const auto bad_from = parse_date_range({{"from", "yesterday"}}, ff::calls::now_ms());
    ASSERT_FALSE(bad_from);
    EXPECT_EQ(bad_from.error().code, "VALIDATION_FAILED");
    EXPECT_EQ(bad_from.error().message.rfind("from ", 0), 0u);
    const auto bad_to = parse_date_range({{"to", "2025-02-30"}}, ff::calls::now_ms());
    ASSERT_FALSE(bad_to);
    EXPECT_EQ(bad_to.error().message.rfind("to ", 0), 0u);
}

TEST(ApiDateRange, from_after_to_is_refused) {
    const auto range = parse_date_range({{"from", "2025-11-09"}, {"to", "2025-11-08"}}, ff::calls::now_ms());
    ASSERT_FALSE(range);
    EXPECT_NE(range.error().message.find("must not be after"), std::string::npos);
}
