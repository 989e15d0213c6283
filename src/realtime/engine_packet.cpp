// Engine.IO packets are a type digit followed by free text; the protocol has nothing else to parse.
#include "realtime/engine_packet.hpp"

namespace ff::realtime {

using calls::ErrorCode;
using calls::make_error;

std::string encode_packet(EnginePacketType type, std::string_view data) {
    std::string text;
    text.reserve(1 + data.size());
    text.push_back(static_cast<char>(type));
    text.append(data);
    return text;
}

Frame make_frame(EnginePacketType type, std::string_view data) {
    return std::make_shared<const std::string>(encode_packet(type, data));
}

calls::Result<EnginePacket> decode_packet(std::string_view text) {
    if (text.empty()) return make_error(ErrorCode::invalid_argument, "empty engine.io packet");
    const char type = text.front();
    if (type == 'b') {
        return make_error(ErrorCode::invalid_argument,
                          "binary engine.io packets are not supported by this server");
    }
    if (type < '0' || type > '6') {
        return make_error(ErrorCode::invalid_argument, "unknown engine.io packet type");
    }
    return EnginePacket{static_cast<EnginePacketType>(type), std::string(text.substr(1))};
}

calls::Result<std::vector<EnginePacket>> decode_payload(std::string_view body) {
    std::vector<EnginePacket> packets;
    std::size_t start = 0;
    while (true) {
        const std::size_t end = body.find(record_separator, start);
        const std::string_view piece =
            body.substr(start, end == std::string_view::npos ? body.size() - start : end - start);
        auto packet = decode_packet(piece);
        if (!packet) return packet.error();
        packets.push_back(std::move(packet).value());
        if (end == std::string_view::npos) break;
        start = end + 1;
    }
    return packets;
}

std::string encode_payload(const std::vector<Frame>& frames) {
    std::size_t size = 0;
    for (const auto& frame : frames) size += frame->size() + 1;
    std::string body;
    body.reserve(size);
    for (std::size_t index = 0; index < frames.size(); ++index) {
        if (index > 0) body.push_back(record_separator);
        body.append(*frames[index]);
    }
    return body;
}

}  // namespace ff::realtime
