// Percent-encoding as the customer lookup and the SMS gateway put numbers and texts into URLs, and back.
#include <gtest/gtest.h>

#include "http/url.hpp"

TEST(HttpUrl, percent_encoding_keeps_unreserved_characters_and_decodes_back) {
    EXPECT_EQ(ff::http::percent_encode("+79991234567"), "%2B79991234567");
    EXPECT_EQ(ff::http::percent_encode("a b/ц"), "a%20b%2F%D1%86");
    EXPECT_EQ(ff::http::percent_encode("A-z_0.9~"), "A-z_0.9~");
    EXPECT_EQ(ff::http::percent_decode(ff::http::percent_encode("Перезвоним & скоро"), false), "Перезвоним & скоро");
}
