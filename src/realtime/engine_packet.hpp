// Engine.IO v4 packet codec: one packet as text ("4hello"), and polling payloads joined with \x1e.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "calls/result.hpp"

namespace ff::realtime {

enum class EnginePacketType : char {
    open = '0',
    close = '1',
    ping = '2',
    pong = '3',
    message = '4',
    upgrade = '5',
    noop = '6',
};

struct EnginePacket {
    EnginePacketType type = EnginePacketType::noop;
    std::string data;
};

// One encoded packet ("42[...]"), immutable so one copy can be queued to many sessions at once.
using Frame = std::shared_ptr<const std::string>;

inline constexpr char record_separator = '\x1e';

std::string encode_packet(EnginePacketType type, std::string_view data = {});
Frame make_frame(EnginePacketType type, std::string_view data = {});

// Text packets only: a binary packet ('b' + base64) is refused with a message saying so.
calls::Result<EnginePacket> decode_packet(std::string_view text);

// A polling request body: one or more packets separated by \x1e. Any bad packet fails the whole body.
calls::Result<std::vector<EnginePacket>> decode_payload(std::string_view body);

// The body of a polling response: the frames joined with \x1e.
std::string encode_payload(const std::vector<Frame>& frames);

}  // namespace ff::realtime
