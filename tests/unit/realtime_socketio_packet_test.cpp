// Socket.IO v5 packet codec: the examples of the protocol document, and malformed packets refused.
#include <gtest/gtest.h>

#include "realtime/socketio_packet.hpp"

using namespace ff::realtime;
using nlohmann::json;

TEST(SocketIoPacket, connect_to_main_namespace_without_payload) {
    const auto packet = decode_socket_packet("0");
    ASSERT_TRUE(packet);
    EXPECT_EQ(packet->type, SocketPacketType::connect);
    EXPECT_EQ(packet->nsp, "/");
    EXPECT_FALSE(packet->data);
    EXPECT_FALSE(packet->id);
}

TEST(SocketIoPacket, connect_with_auth_payload) {
    const auto packet = decode_socket_packet(R"(0{"token":"fft_abc"})");
    ASSERT_TRUE(packet);
    ASSERT_TRUE(packet->data);
    EXPECT_EQ((*packet->data)["token"], "fft_abc");
}

TEST(SocketIoPacket, connect_to_custom_namespace) {
    auto packet = decode_socket_packet(R"(0/admin,{"token":"x"})");
    ASSERT_TRUE(packet);
    EXPECT_EQ(packet->nsp, "/admin");
    EXPECT_TRUE(packet->data);
    packet = decode_socket_packet("0/admin,");
    ASSERT_TRUE(packet);
    EXPECT_EQ(packet->nsp, "/admin");
    EXPECT_FALSE(packet->data);
}

TEST(SocketIoPacket, event_with_ack_id) {
    const auto packet = decode_socket_packet(R"(212["ping",{"a":1}])");
    ASSERT_TRUE(packet);
    EXPECT_EQ(packet->type, SocketPacketType::event);
    ASSERT_TRUE(packet->id);
    EXPECT_EQ(*packet->id, 12u);
    EXPECT_EQ((*packet->data)[0], "ping");
}

TEST(SocketIoPacket, event_on_namespace_with_ack_id) {
    const auto packet = decode_socket_packet(R"(2/admin,7["bar"])");
    ASSERT_TRUE(packet);
    EXPECT_EQ(packet->nsp, "/admin");
    EXPECT_EQ(*packet->id, 7u);
}

TEST(SocketIoPacket, disconnect_and_ack) {
    auto packet = decode_socket_packet("1");
    ASSERT_TRUE(packet);
    EXPECT_EQ(packet->type, SocketPacketType::disconnect);
    packet = decode_socket_packet("33[]");
    ASSERT_TRUE(packet);
    EXPECT_EQ(packet->type, SocketPacketType::ack);
    EXPECT_EQ(*packet->id, 3u);
}

TEST(SocketIoPacket, encodes_connect_error_ack_and_namespace) {
    SocketPacket refusal{SocketPacketType::connect_error, "/", std::nullopt,
                         json{{"message", "Not authorized"}}};
    EXPECT_EQ(encode_socket_packet(refusal), R"(4{"message":"Not authorized"})");
    SocketPacket ack{SocketPacketType::ack, "/", 12, json::array({"bar"})};
    EXPECT_EQ(encode_socket_packet(ack), R"(312["bar"])");
    SocketPacket invalid{SocketPacketType::connect_error, "/admin", std::nullopt,
                         json{{"message", "Invalid namespace"}}};
    EXPECT_EQ(encode_socket_packet(invalid), R"(4/admin,{"message":"Invalid namespace"})");
    SocketPacket connected{SocketPacketType::connect, "/", std::nullopt, json{{"sid", "abc"}}};
    EXPECT_EQ(encode_socket_packet(connected), R"(0{"sid":"abc"})");
}

TEST(SocketIoPacket, encodes_event_around_preencoded_payload) {
    EXPECT_EQ(encode_event("call:new", R"({"id":"1"})"), R"(2["call:new",{"id":"1"}])");
    const auto round_trip = decode_socket_packet(encode_event("line:state", R"({"extension":"1001"})"));
    ASSERT_TRUE(round_trip);
    EXPECT_EQ((*round_trip->data)[1]["extension"], "1001");
}

TEST(SocketIoPacket, invalid_utf8_is_replaced_not_thrown) {
    const std::string broken = std::string("a\xff") + "b";
    EXPECT_NO_THROW((void)dump_json(json(broken)));
}

TEST(SocketIoPacket, refuses_malformed_packets) {
    const char* cases[] = {
        "",                                              // nothing
        "9",                                             // unknown type
        "x[\"a\"]",                                      // not a type digit
        "2[\"a\"",                                       // broken JSON
        "2{\"a\":1}",                                    // event payload must be an array
        "2[]",                                           // ... and not empty
        "2[{}]",                                         // ... starting with the event name
        "2",                                             // event without payload
        "2admin,[\"a\"]",                                // namespace without its leading slash
        "0[\"x\"]",                                      // connect payload must be an object
        "1{\"a\":1}",                                    // disconnect carries nothing
        "4",                                             // connect_error needs its message
        "3",                                             // ack needs an array
        "51-[\"a\",{\"_placeholder\":true,\"num\":0}]",  // binary event
        "61-[]",                                         // binary ack
        "299999999999999999999[\"a\"]",                  // ack id beyond a JavaScript number
        "05{}",                                          // ack id on connect
    };
    for (const char* text : cases) EXPECT_FALSE(decode_socket_packet(text)) << text;
}
