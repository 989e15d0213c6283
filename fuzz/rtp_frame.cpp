// Feeds: one captured frame of a call's recording (the RTP comes from the network), under each link type
// rtpengine writes. Asserts: an accepted packet's payload lies inside the frame, and reading never goes past it.
#include <pcap/pcap.h>

#include <cstddef>
#include <cstdint>
#include <vector>

#include "fuzz_check.hpp"
#include "recordings/rtp_capture.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return 0;
    constexpr int link_types[] = {DLT_EN10MB, DLT_RAW, DLT_IPV4, DLT_IPV6, DLT_LINUX_SLL};
    const int link_type = link_types[data[0] % std::size(link_types)];
    // A copy of exactly the frame's size, so that ASan sees any read past its end.
    const std::vector<unsigned char> frame(data + 1, data + size);
    ff::recordings::RtpPacket packet;
    if (ff::recordings::rtp_of_frame(link_type, frame.data(), frame.size(), packet)) {
        FUZZ_CHECK(packet.payload.size() + 12 <= frame.size());
        FUZZ_CHECK(packet.payload_type < 128);
    }
    return 0;
}
