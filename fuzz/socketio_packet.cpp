// Feeds: a Socket.IO packet (the text inside an Engine.IO message). Asserts: a decoded packet encoded again
// decodes to the same type, namespace, ack id and payload, and encodes to the same text.
#include "realtime/socketio_packet.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_check.hpp"

using namespace ff::realtime;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto packet = decode_socket_packet(std::string_view(reinterpret_cast<const char*>(data), size));
    if (!packet) return 0;
    const std::string text = encode_socket_packet(packet.value());
    const auto again = decode_socket_packet(text);
    FUZZ_CHECK(again);
    FUZZ_CHECK(again->type == packet->type);
    FUZZ_CHECK(again->nsp == packet->nsp);
    FUZZ_CHECK(again->id == packet->id);
    FUZZ_CHECK(again->data.has_value() == packet->data.has_value());
    if (packet->data) FUZZ_CHECK(*again->data == *packet->data);
    FUZZ_CHECK(encode_socket_packet(again.value()) == text);
    return 0;
}
