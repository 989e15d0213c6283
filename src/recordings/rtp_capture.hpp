// The RTP packets of a capture file that rtpengine wrote while recording a call (its "pcap" method).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "calls/result.hpp"

namespace ff::recordings {

struct RtpPacket {
    std::uint16_t destination_port = 0;  // rtpengine's port the packet came in on: tells whose voice it is
    std::uint8_t payload_type = 0;
    std::uint16_t sequence = 0;
    std::uint32_t timestamp = 0;
    std::uint32_t ssrc = 0;
    std::int64_t captured_at_us = 0;  // wall clock of the capture, microseconds
    std::vector<unsigned char> payload;
};

using Capture = calls::Result<std::vector<RtpPacket>, std::string>;

// Every UDP datagram of the file that carries an RTP version-2 header, in file order. Other datagrams
// (RTCP, STUN) are skipped; a file that cannot be read is an error naming it.
Capture read_rtp_capture(const std::filesystem::path& file);

// One captured frame (link layer `link_type`, as pcap names it) as an RTP packet, or false when it is not
// UDP over IPv4/IPv6 carrying RTP. Public for the fuzz target: the frames come from the network.
bool rtp_of_frame(int link_type, const unsigned char* frame, std::size_t length, RtpPacket& packet);

}  // namespace ff::recordings
