// Socket.IO v5 packet codec (the text form carried inside engine.io "message" packets).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "calls/result.hpp"

namespace ff::realtime {

enum class SocketPacketType : char {
    connect = '0',
    disconnect = '1',
    event = '2',
    ack = '3',
    connect_error = '4',
    binary_event = '5',
    binary_ack = '6',
};

struct SocketPacket {
    SocketPacketType type = SocketPacketType::event;
    std::string nsp = "/";
    std::optional<std::uint64_t> id;
    std::optional<nlohmann::json> data;  // absent when the packet carries no payload
};

// Checks what the protocol demands of each type's payload (CONNECT: object or nothing, EVENT: a
// non-empty array starting with the event name, ...). Binary packets are refused: this server never
// asks for them and the official client sends none unless the application emits buffers.
calls::Result<SocketPacket> decode_socket_packet(std::string_view text);

std::string encode_socket_packet(const SocketPacket& packet);

// "2[\"name\",<payload>]": an EVENT on "/" with one argument already serialised as JSON text.
std::string encode_event(std::string_view name, std::string_view payload_json);

// JSON text of a value; invalid UTF-8 in strings is replaced rather than thrown on.
std::string dump_json(const nlohmann::json& value);

}  // namespace ff::realtime
