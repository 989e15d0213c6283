// Parsing follows the reference parser's order: type, attachments, namespace, ack id, JSON payload.
#include "realtime/socketio_packet.hpp"

namespace ff::realtime {

using calls::ErrorCode;
using calls::make_error;
using nlohmann::json;

namespace {

calls::Error malformed(std::string message) {
    return make_error(ErrorCode::invalid_argument, std::move(message));
}

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

// Whether the payload is one the protocol allows for the packet's type.
bool payload_fits(SocketPacketType type, const std::optional<json>& data) {
    switch (type) {
        case SocketPacketType::connect:
            return !data || data->is_object();
        case SocketPacketType::disconnect:
            return !data;
        case SocketPacketType::connect_error:
            return data && (data->is_object() || data->is_string());
        case SocketPacketType::event:
            return data && data->is_array() && !data->empty() &&
                   ((*data)[0].is_string() || (*data)[0].is_number_integer());
        case SocketPacketType::ack:
            return data && data->is_array();
        case SocketPacketType::binary_event:
        case SocketPacketType::binary_ack:
            return false;
    }
    return false;
}

}  // namespace

calls::Result<SocketPacket> decode_socket_packet(std::string_view text) {
    if (text.empty()) return malformed("empty socket.io packet");
    if (text.front() < '0' || text.front() > '6') return malformed("unknown socket.io packet type");
    SocketPacket packet;
    packet.type = static_cast<SocketPacketType>(text.front());
    if (packet.type == SocketPacketType::binary_event || packet.type == SocketPacketType::binary_ack) {
        return malformed("binary socket.io packets are not supported by this server");
    }
    std::size_t position = 1;

    if (position < text.size() && text[position] == '/') {
        const std::size_t comma = text.find(',', position);
        const std::size_t end = comma == std::string_view::npos ? text.size() : comma;
        packet.nsp = std::string(text.substr(position, end - position));
        position = comma == std::string_view::npos ? text.size() : comma + 1;
    }

    if (position < text.size() && is_digit(text[position])) {
        std::uint64_t id = 0;
        while (position < text.size() && is_digit(text[position])) {
            const auto digit = static_cast<std::uint64_t>(text[position] - '0');
            // Ack ids are JavaScript numbers; anything past 2^53 cannot have come from a real client.
            if (id > (std::uint64_t{1} << 53) / 10) return malformed("socket.io ack id is too large");
            id = id * 10 + digit;
            ++position;
        }
        packet.id = id;
    }

    if (position < text.size()) {
        json data = json::parse(text.substr(position), nullptr, false);
        if (data.is_discarded()) return malformed("socket.io packet payload is not valid JSON");
        packet.data = std::move(data);
    }

    if (!payload_fits(packet.type, packet.data))
        return malformed("socket.io packet payload does not fit its type");
    if (packet.id && packet.type != SocketPacketType::event && packet.type != SocketPacketType::ack) {
        return malformed("socket.io ack id on a packet that cannot carry one");
    }
    return packet;
}

std::string encode_socket_packet(const SocketPacket& packet) {
    std::string text(1, static_cast<char>(packet.type));
    if (packet.nsp != "/") {
        text += packet.nsp;
        text += ',';
    }
    if (packet.id) text += std::to_string(*packet.id);
    if (packet.data) text += dump_json(*packet.data);
    return text;
}

std::string encode_event(std::string_view name, std::string_view payload_json) {
    const std::string name_json = dump_json(json(std::string(name)));
    std::string text;
    text.reserve(4 + name_json.size() + payload_json.size());
    text += "2[";
    text += name_json;
    text += ',';
    text += payload_json;
    text += ']';
    return text;
}

std::string dump_json(const json& value) {
    return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace ff::realtime
