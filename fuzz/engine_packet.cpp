// Feeds: an Engine.IO packet and a polling POST body. Asserts: a decoded body encoded again as a polling
// payload decodes to the same packets, and one packet's encoding decodes to itself.
#include "realtime/engine_packet.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_check.hpp"

using namespace ff::realtime;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);

    if (auto packet = decode_packet(text)) {
        const auto again = decode_packet(encode_packet(packet->type, packet->data));
        FUZZ_CHECK(again && again->type == packet->type && again->data == packet->data);
    }

    const auto packets = decode_payload(text);
    if (!packets) return 0;
    FUZZ_CHECK(!packets->empty());
    std::vector<Frame> frames;
    for (const auto& packet : packets.value()) {
        // A record separator inside a packet's data would split it in two: the decoder never gives one.
        FUZZ_CHECK(packet.data.find(record_separator) == std::string::npos);
        frames.push_back(make_frame(packet.type, packet.data));
    }
    const auto again = decode_payload(encode_payload(frames));
    FUZZ_CHECK(again && again->size() == packets->size());
    for (std::size_t index = 0; index < packets->size(); ++index) {
        FUZZ_CHECK((*again)[index].type == (*packets)[index].type);
        FUZZ_CHECK((*again)[index].data == (*packets)[index].data);
    }
    return 0;
}
