// Reads rtpengine's capture files through libpcap; only the IP, UDP and RTP headers are looked at here.
#include "recordings/rtp_capture.hpp"

#include <pcap/pcap.h>

#include <memory>

namespace ff::recordings {
namespace {

constexpr std::size_t udp_header = 8;
constexpr std::size_t rtp_header = 12;

std::uint16_t read16(const unsigned char* bytes) {
    return static_cast<std::uint16_t>((bytes[0] << 8) | bytes[1]);
}

std::uint32_t read32(const unsigned char* bytes) {
    return (std::uint32_t{bytes[0]} << 24) | (std::uint32_t{bytes[1]} << 16) | (std::uint32_t{bytes[2]} << 8) |
           std::uint32_t{bytes[3]};
}

// Where the IP packet starts in a frame of this link type; false for link types we do not read.
bool ip_offset(int link_type, const unsigned char* frame, std::size_t length, std::size_t& offset) {
    switch (link_type) {
        case DLT_EN10MB:  // rtpengine's "eth" format: a zeroed Ethernet header
            if (length < 14) return false;
            offset = 14;
            return read16(frame + 12) == 0x0800 || read16(frame + 12) == 0x86DD;
        case DLT_RAW:
        case DLT_IPV4:
        case DLT_IPV6:
            offset = 0;
            return true;
        case DLT_LINUX_SLL:
            offset = 16;
            return length >= offset;
        default:
            return false;
    }
}

// The UDP datagram inside an IP packet: its offset and length, false when it is not UDP.
bool udp_of_ip(const unsigned char* ip, std::size_t length, std::size_t& offset, std::size_t& udp_length) {
    if (length < 1) return false;
    const int version = ip[0] >> 4;
    if (version == 4) {
        const std::size_t header = std::size_t{ip[0] & 0x0Fu} * 4;
        if (header < 20 || length < header || ip[9] != 17) return false;
        offset = header;
    } else if (version == 6) {
        if (length < 40 || ip[6] != 17) return false;  // extension headers are not used by rtpengine
        offset = 40;
    } else {
        return false;
    }
    if (length < offset + udp_header) return false;
    udp_length = read16(ip + offset + 4);
    if (udp_length < udp_header || offset + udp_length > length) udp_length = length - offset;  // trust the capture
    return true;
}

// RTP (RFC 3550) inside a UDP payload; RTCP (payload types 64-95 with the marker folded in) is not RTP here.
bool rtp_of_udp(const unsigned char* udp, std::size_t length, RtpPacket& packet) {
    const unsigned char* rtp = udp + udp_header;
    std::size_t size = length - udp_header;
    if (size < rtp_header || (rtp[0] >> 6) != 2) return false;
    const std::uint8_t payload_type = rtp[1] & 0x7F;
    if (payload_type >= 64 && payload_type <= 95) return false;
    std::size_t header = rtp_header + std::size_t{rtp[0] & 0x0Fu} * 4;  // CSRCs
    if (size < header) return false;
    if ((rtp[0] & 0x10) != 0) {  // a header extension: 4 bytes, then its length in 32-bit words
        if (size < header + 4) return false;
        header += 4 + std::size_t{read16(rtp + header + 2)} * 4;
        if (size < header) return false;
    }
    if ((rtp[0] & 0x20) != 0) {  // padding: the last byte says how much
        const std::size_t padding = rtp[size - 1];
        if (padding == 0 || size < header + padding) return false;
        size -= padding;
    }
    packet.destination_port = read16(udp + 2);
    packet.payload_type = payload_type;
    packet.sequence = read16(rtp + 2);
    packet.timestamp = read32(rtp + 4);
    packet.ssrc = read32(rtp + 8);
    packet.payload.assign(rtp + header, rtp + size);
    return true;
}

}  // namespace

bool rtp_of_frame(int link_type, const unsigned char* frame, std::size_t length, RtpPacket& packet) {
    std::size_t ip = 0;
    if (!ip_offset(link_type, frame, length, ip)) return false;
    std::size_t udp = 0;
    std::size_t udp_length = 0;
    if (!udp_of_ip(frame + ip, length - ip, udp, udp_length)) return false;
    return rtp_of_udp(frame + ip + udp, udp_length, packet);
}

Capture read_rtp_capture(const std::filesystem::path& file) {
    char error[PCAP_ERRBUF_SIZE] = {};
    std::unique_ptr<pcap_t, decltype(&pcap_close)> capture(pcap_open_offline(file.c_str(), error), &pcap_close);
    if (!capture) return std::string("cannot read the capture ") + file.string() + ": " + error;
    const int link_type = pcap_datalink(capture.get());
    std::vector<RtpPacket> packets;
    pcap_pkthdr* header = nullptr;
    const unsigned char* frame = nullptr;
    int status = 0;
    while ((status = pcap_next_ex(capture.get(), &header, &frame)) == 1) {
        RtpPacket packet;
        if (!rtp_of_frame(link_type, frame, header->caplen, packet)) continue;
        packet.captured_at_us = std::int64_t{header->ts.tv_sec} * 1'000'000 + header->ts.tv_usec;
        packets.push_back(std::move(packet));
    }
    // A capture cut short (rtpengine stopped mid-write) still gives what it holds.
    if (status == PCAP_ERROR && packets.empty()) {
        return "cannot read the capture " + file.string() + ": " + pcap_geterr(capture.get());
    }
    return packets;
}

}  // namespace ff::recordings
