// The Range header a browser's player sends to seek in a recording: one byte range served, the rest ignored
// or refused as RFC 9110 says.
#include <gtest/gtest.h>

#include "http/byte_range.hpp"

namespace ff::http {
namespace {

using Kind = ByteRange::Kind;

TEST(HttpByteRange, no_header_or_another_unit_sends_the_whole_file) {
    EXPECT_EQ(parse_byte_range("", 1000).kind, Kind::whole);
    EXPECT_EQ(parse_byte_range("items=0-10", 1000).kind, Kind::whole);
    EXPECT_EQ(parse_byte_range("bytes=0-10,20-30", 1000).kind, Kind::whole);  // several ranges
    EXPECT_EQ(parse_byte_range("bytes=abc-", 1000).kind, Kind::whole);
    EXPECT_EQ(parse_byte_range("bytes=10-5", 1000).kind, Kind::whole);  // invalid: ignored
    EXPECT_EQ(parse_byte_range("bytes=-", 1000).kind, Kind::whole);
    EXPECT_EQ(parse_byte_range("bytes=+5-9", 1000).kind, Kind::whole);
}

TEST(HttpByteRange, a_range_is_clipped_to_the_file) {
    const auto from = parse_byte_range("bytes=100-", 1000);
    EXPECT_EQ(from.kind, Kind::partial);
    EXPECT_EQ(from.first, 100u);
    EXPECT_EQ(from.last, 999u);
    const auto slice = parse_byte_range("Bytes= 0-1 ", 1000);
    EXPECT_EQ(slice.kind, Kind::partial);
    EXPECT_EQ(slice.first, 0u);
    EXPECT_EQ(slice.last, 1u);
    const auto past_end = parse_byte_range("bytes=900-5000", 1000);
    EXPECT_EQ(past_end.last, 999u);
    const auto suffix = parse_byte_range("bytes=-300", 1000);
    EXPECT_EQ(suffix.first, 700u);
    EXPECT_EQ(suffix.last, 999u);
    const auto whole_suffix = parse_byte_range("bytes=-5000", 1000);
    EXPECT_EQ(whole_suffix.first, 0u);
}

TEST(HttpByteRange, a_range_no_byte_satisfies_is_refused) {
    EXPECT_EQ(parse_byte_range("bytes=1000-", 1000).kind, Kind::unsatisfiable);
    EXPECT_EQ(parse_byte_range("bytes=-0", 1000).kind, Kind::unsatisfiable);
    EXPECT_EQ(parse_byte_range("bytes=0-", 0).kind, Kind::unsatisfiable);
    EXPECT_EQ(parse_byte_range("bytes=99999999999999999999-", 1000).kind, Kind::whole);  // past 64 bits: not a number
}

}  // namespace
}  // namespace ff::http
