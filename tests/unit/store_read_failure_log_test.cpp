// A storage read that fails is logged, but while the database is away (every read failing at the rate calls
// come in) one line stands for many.
#include <gtest/gtest.h>

#include <string>

#include "store/storage_helpers.hpp"
#include "support/captured_log.hpp"

using ff::testing::CapturedLog;

namespace {

std::size_t lines_with(const std::string& text, const std::string& part) {
    std::size_t count = 0;
    for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + part.size())) ++count;
    return count;
}

TEST(StoreReadFailureLog, a_burst_of_failed_reads_is_logged_once) {
    CapturedLog log;
    for (int i = 0; i < 100; ++i)
        ff::store::log_read_failure("looking up the customer of a phone number",
                                    "PostgreSQL connection lost");
    const std::string text = log.text();
    EXPECT_EQ(
        lines_with(text, "looking up the customer of a phone number failed: PostgreSQL connection lost"), 1u)
        << text;
}

}  // namespace
