// Capture -> RTP packets split by the port they came in on -> decoded G.711 -> one stereo timeline -> Opus.
#include "recordings/recording_converter.hpp"

#include <algorithm>

#include "recordings/g711.hpp"
#include "recordings/rtp_capture.hpp"
#include "recordings/stereo_timeline.hpp"

namespace ff::recordings {
namespace {

bool has_port(const std::vector<std::uint16_t>& ports, std::uint16_t port) {
    return std::find(ports.begin(), ports.end(), port) != ports.end();
}

std::vector<VoiceChunk> voice_of(const std::vector<RtpPacket>& packets, const std::vector<std::uint16_t>& ports) {
    std::vector<VoiceChunk> chunks;
    for (const RtpPacket& packet : packets) {
        if (!has_port(ports, packet.destination_port) || !is_g711(packet.payload_type)) continue;
        auto samples = decode_g711(packet.payload_type, packet.payload);
        if (!samples) continue;
        chunks.push_back({packet.captured_at_us, packet.ssrc, packet.timestamp, std::move(*samples)});
    }
    return chunks;
}

}  // namespace

calls::Result<WrittenRecording, std::string> convert_recording(const RecordingSources& sources,
                                                               const std::filesystem::path& output) {
    if (sources.captures.empty()) return std::string("rtpengine wrote no capture for the call");
    std::vector<RtpPacket> packets;
    for (const auto& file : sources.captures) {
        auto capture = read_rtp_capture(file);
        if (!capture) return capture.error();
        auto& read = capture.value();
        packets.insert(packets.end(), std::make_move_iterator(read.begin()), std::make_move_iterator(read.end()));
    }
    std::stable_sort(packets.begin(), packets.end(),
                     [](const RtpPacket& a, const RtpPacket& b) { return a.captured_at_us < b.captured_at_us; });
    const auto left = voice_of(packets, sources.customer_ports);
    const auto right = voice_of(packets, sources.operator_ports);
    if (left.empty() && right.empty()) return std::string("the capture holds no G.711 audio of either side");
    return write_stereo_opus(output, interleave_voices(left, right, g711_sample_rate), g711_sample_rate);
}

}  // namespace ff::recordings
