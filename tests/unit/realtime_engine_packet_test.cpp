// Engine.IO v4 packet codec: the wire forms of the protocol document, and what is refused.
#include <gtest/gtest.h>

#include "realtime/engine_packet.hpp"

using namespace ff::realtime;

TEST(EnginePacket, encodes_type_digit_followed_by_data) {
    EXPECT_EQ(encode_packet(EnginePacketType::message, "hello"), "4hello");
    EXPECT_EQ(encode_packet(EnginePacketType::ping), "2");
    EXPECT_EQ(encode_packet(EnginePacketType::pong, "probe"), "3probe");
    EXPECT_EQ(*make_frame(EnginePacketType::noop), "6");
}

TEST(EnginePacket, decodes_every_packet_type) {
    const std::pair<std::string, EnginePacketType> cases[] = {
        {"0{}", EnginePacketType::open},    {"1", EnginePacketType::close},
        {"2probe", EnginePacketType::ping}, {"3", EnginePacketType::pong},
        {"4hi", EnginePacketType::message}, {"5", EnginePacketType::upgrade},
        {"6", EnginePacketType::noop},
    };
    for (const auto& [text, type] : cases) {
        const auto packet = decode_packet(text);
        ASSERT_TRUE(packet) << text;
        EXPECT_EQ(packet->type, type) << text;
        EXPECT_EQ(packet->data, text.substr(1));
    }
}

TEST(EnginePacket, message_keeps_utf8_and_separators_of_json_verbatim) {
    const auto packet = decode_packet("42[\"note\",\"Клиент, € ok\"]");
    ASSERT_TRUE(packet);
    EXPECT_EQ(packet->data, "2[\"note\",\"Клиент, € ok\"]");
}

TEST(EnginePacket, refuses_empty_unknown_and_binary_packets) {
    EXPECT_FALSE(decode_packet(""));
    EXPECT_FALSE(decode_packet("7"));
    EXPECT_FALSE(decode_packet("x"));
    const auto binary = decode_packet("bAQIDBA==");
    ASSERT_FALSE(binary);
    EXPECT_NE(binary.error().message.find("binary"), std::string::npos);
}

TEST(EnginePacket, payload_splits_on_record_separator) {
    const auto packets = decode_payload(std::string("4hello\x1e") + "2\x1e" + "4world");
    ASSERT_TRUE(packets);
    ASSERT_EQ(packets->size(), 3u);
    EXPECT_EQ(packets.value()[0].data, "hello");
    EXPECT_EQ(packets.value()[1].type, EnginePacketType::ping);
    EXPECT_EQ(packets.value()[2].data, "world");
}

TEST(EnginePacket, payload_with_one_bad_packet_is_refused_whole) {
    EXPECT_FALSE(decode_payload(""));
    EXPECT_FALSE(decode_payload("4a\x1e"));
    EXPECT_FALSE(
        decode_payload("4a\x1e"
                       "9b"));
    EXPECT_FALSE(
        decode_payload("4a\x1e"
                       "bAQID"));
}

TEST(EnginePacket, payload_joins_frames_with_record_separator) {
    const std::vector<Frame> frames = {make_frame(EnginePacketType::message, "a"),
                                       make_frame(EnginePacketType::ping)};
    EXPECT_EQ(encode_payload(frames),
              "4a\x1e"
              "2");
    EXPECT_EQ(encode_payload({make_frame(EnginePacketType::noop)}), "6");
}
