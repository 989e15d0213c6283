#include <gtest/gtest.h>

#include "sip/bridge/sdp_rewrite.hpp"

namespace ff::sip {
namespace {

const std::string phone_offer =
    "v=0\r\n"
    "o=phone 1234 1 IN IP4 127.0.0.1\r\n"
    "s=call\r\n"
    "c=IN IP4 127.0.0.1\r\n"
    "t=0 0\r\n"
    "m=audio 40000 RTP/AVP 0 8 101\r\n"
    "a=rtpmap:0 PCMU/8000\r\n"
    "a=rtpmap:8 PCMA/8000\r\n"
    "a=rtpmap:101 telephone-event/8000\r\n"
    "a=sendrecv\r\n";

TEST(SdpRewrite, ReadsTheDirectionOfTheFirstStream) {
    EXPECT_EQ(media_direction(phone_offer), MediaDirection::sendrecv);
    EXPECT_FALSE(is_hold(phone_offer));
    EXPECT_FALSE(media_direction("not sdp at all").has_value());
}

TEST(SdpRewrite, PutsEveryStreamOnHoldAndBack) {
    const auto held = with_direction(phone_offer, MediaDirection::sendonly);
    ASSERT_TRUE(held);
    EXPECT_NE(held->find("a=sendonly"), std::string::npos) << *held;
    EXPECT_EQ(held->find("a=sendrecv"), std::string::npos) << *held;
    EXPECT_TRUE(is_hold(*held));
    EXPECT_NE(held->find("m=audio 40000 RTP/AVP 0 8 101"), std::string::npos) << *held;

    const auto resumed = with_direction(*held, MediaDirection::sendrecv);
    ASSERT_TRUE(resumed);
    EXPECT_FALSE(is_hold(*resumed));
}

TEST(SdpRewrite, SeesAnOldStyleHoldByAddress) {
    std::string old_style = phone_offer;
    old_style.replace(old_style.find("c=IN IP4 127.0.0.1"), 18, "c=IN IP4 0.0.0.0");
    EXPECT_TRUE(is_hold(old_style));
}

TEST(SdpRewrite, BlackHoleAnswerKeepsTheStreamsButSendsNothing) {
    const auto answer = black_hole_answer(phone_offer);
    ASSERT_TRUE(answer);
    EXPECT_NE(answer->find("c=IN IP4 0.0.0.0"), std::string::npos) << *answer;
    EXPECT_NE(answer->find("a=inactive"), std::string::npos) << *answer;
    EXPECT_NE(answer->find("m=audio 40000 RTP/AVP 0 8 101"), std::string::npos) << *answer;
}

TEST(SdpRewrite, TakesTheAddressOfAnotherSideOfTheSameServer) {
    const auto parked = black_hole_answer(phone_offer);
    ASSERT_TRUE(parked);
    std::string server = phone_offer;
    server.replace(server.find("c=IN IP4 127.0.0.1"), 18, "c=IN IP4 127.0.0.9");
    const std::string readdressed = with_address_of(*parked, server);
    EXPECT_NE(readdressed.find("c=IN IP4 127.0.0.9"), std::string::npos) << readdressed;
    EXPECT_EQ(readdressed.find("0.0.0.0"), std::string::npos) << readdressed;
    EXPECT_NE(readdressed.find("m=audio 40000 RTP/AVP 0 8 101"), std::string::npos) << readdressed;
    EXPECT_FALSE(is_hold(two_way(readdressed)));
    EXPECT_EQ(with_address_of(phone_offer, "not sdp"), phone_offer);
}

TEST(SdpRewrite, OneOriginPerLegWithAGrowingVersion) {
    LegOrigin leg;
    const std::string first = leg.stamp(phone_offer);
    EXPECT_NE(first.find("o=pjsip-service "), std::string::npos) << first;
    EXPECT_EQ(first.find("o=phone"), std::string::npos) << first;
    EXPECT_EQ(leg.stamp(phone_offer), first) << "the same description keeps its version";

    std::string other_phone = phone_offer;
    other_phone.replace(other_phone.find("o=phone 1234 1"), 14, "o=other 999 77");
    const std::string second = leg.stamp(other_phone);
    const auto origin = [](const std::string& sdp) {
        return sdp.substr(sdp.find("o="), sdp.find("\r\n", sdp.find("o=")) - sdp.find("o="));
    };
    const std::string o1 = origin(first), o2 = origin(second);
    const auto id = [](const std::string& o) { return o.substr(0, o.rfind(' ', o.find(" IN ") - 1)); };
    EXPECT_EQ(id(o1), id(o2)) << o1 << " / " << o2;
    const auto version = [](const std::string& o) {
        const auto end = o.find(" IN ");
        const auto start = o.rfind(' ', end - 1) + 1;
        return std::stoull(o.substr(start, end - start));
    };
    EXPECT_EQ(version(o2), version(o1) + 1) << o1 << " / " << o2;
    EXPECT_EQ(leg.stamp("garbage"), "garbage");
}

}  // namespace
}  // namespace ff::sip
