// RTPENGINE_URL entries: udp:host:port.
#include "media/ng_address.hpp"

#include <gtest/gtest.h>

using ff::media::NgAddress;
using ff::media::parse_ng_address;

TEST(MediaNgAddress, host_and_port_are_read_and_printed_back) {
    EXPECT_EQ(parse_ng_address("udp:127.0.0.1:22222"), (NgAddress{"127.0.0.1", 22222}));
    EXPECT_EQ(parse_ng_address("udp:rtp1.example.org:2223"), (NgAddress{"rtp1.example.org", 2223}));
    EXPECT_EQ(parse_ng_address("udp:[::1]:22222"), (NgAddress{"::1", 22222}));
    EXPECT_EQ((NgAddress{"::1", 22222}).text(), "udp:[::1]:22222");
    EXPECT_EQ((NgAddress{"10.0.0.5", 22222}).text(), "udp:10.0.0.5:22222");
}

TEST(MediaNgAddress, anything_else_is_refused) {
    for (const char* text : {"127.0.0.1:22222", "tcp:127.0.0.1:22222", "udp:127.0.0.1", "udp:127.0.0.1:0",
                             "udp:127.0.0.1:70000", "udp::22222", "udp:::1:22222", "udp:host name:1", "udp:h:1x"}) {
        EXPECT_FALSE(parse_ng_address(text).has_value()) << text;
    }
}
