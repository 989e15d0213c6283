// A call's capture, as rtpengine writes it, becomes one stereo Ogg Opus file: the customer's voice on the
// left, the operator's on the right. The captures are written here with libpcap and G.711 from libsndfile.
#include <gtest/gtest.h>
#include <pcap/pcap.h>
#include <sndfile.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <numbers>

#include "recordings/g711.hpp"
#include "recordings/recording_converter.hpp"
#include "recordings/rtp_capture.hpp"

namespace ff::recordings {
namespace {

namespace fs = std::filesystem;

constexpr std::uint16_t customer_port = 30000;
constexpr std::uint16_t operator_port = 30002;

fs::path scratch(const std::string& name) {
    fs::path dir = fs::temp_directory_path() / ("ff-recordings-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    return dir / name;
}

std::vector<std::int16_t> tone(double frequency, double seconds) {
    std::vector<std::int16_t> samples(static_cast<std::size_t>(seconds * g711_sample_rate));
    for (std::size_t i = 0; i < samples.size(); ++i) {
        samples[i] = static_cast<std::int16_t>(
            9000 * std::sin(2 * std::numbers::pi * frequency * static_cast<double>(i) / g711_sample_rate));
    }
    return samples;
}

// G.711 bytes of the samples, encoded by libsndfile through a raw file.
std::vector<unsigned char> encode(std::uint8_t payload_type, const std::vector<std::int16_t>& samples) {
    const fs::path file = scratch("encode.raw");
    SF_INFO info{};
    info.samplerate = g711_sample_rate;
    info.channels = 1;
    info.format = SF_FORMAT_RAW | (payload_type == payload_pcmu ? SF_FORMAT_ULAW : SF_FORMAT_ALAW);
    SNDFILE* sound = sf_open(file.c_str(), SFM_WRITE, &info);
    EXPECT_NE(sound, nullptr);
    sf_write_short(sound, samples.data(), static_cast<sf_count_t>(samples.size()));
    sf_close(sound);
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Ethernet (zeroed, as rtpengine's "eth" format) + IPv4 + UDP + RTP.
std::vector<unsigned char> frame(std::uint16_t port, std::uint8_t payload_type, std::uint16_t sequence,
                                 std::uint32_t timestamp, std::uint32_t ssrc, const unsigned char* payload,
                                 std::size_t size) {
    std::vector<unsigned char> bytes(14 + 20 + 8 + 12);
    bytes[12] = 0x08;
    unsigned char* ip = bytes.data() + 14;
    const std::size_t ip_length = 20 + 8 + 12 + size;
    ip[0] = 0x45;
    ip[2] = static_cast<unsigned char>(ip_length >> 8);
    ip[3] = static_cast<unsigned char>(ip_length);
    ip[8] = 64;
    ip[9] = 17;
    ip[12] = 127, ip[15] = 1, ip[16] = 127, ip[19] = 9;
    unsigned char* udp = ip + 20;
    udp[0] = 0x9c, udp[1] = 0x40;
    udp[2] = static_cast<unsigned char>(port >> 8), udp[3] = static_cast<unsigned char>(port);
    udp[4] = static_cast<unsigned char>((8 + 12 + size) >> 8), udp[5] = static_cast<unsigned char>(8 + 12 + size);
    unsigned char* rtp = udp + 8;
    rtp[0] = 0x80;
    rtp[1] = payload_type;
    rtp[2] = static_cast<unsigned char>(sequence >> 8), rtp[3] = static_cast<unsigned char>(sequence);
    for (int i = 0; i < 4; ++i) rtp[4 + i] = static_cast<unsigned char>(timestamp >> (24 - 8 * i));
    for (int i = 0; i < 4; ++i) rtp[8 + i] = static_cast<unsigned char>(ssrc >> (24 - 8 * i));
    bytes.insert(bytes.end(), payload, payload + size);
    return bytes;
}

struct Stream {
    std::uint16_t port;
    std::uint8_t payload_type;
    std::uint32_t ssrc;
    std::vector<unsigned char> audio;  // G.711 bytes
    std::int64_t start_us = 0;
};

// One pcap file with each stream's 20 ms packets, interleaved in time as they would arrive.
void write_capture(const fs::path& file, std::vector<Stream> streams, std::vector<unsigned char> rtcp = {}) {
    pcap_t* dead = pcap_open_dead(DLT_EN10MB, 65535);
    pcap_dumper_t* dumper = pcap_dump_open(dead, file.c_str());
    ASSERT_NE(dumper, nullptr) << pcap_geterr(dead);
    const std::int64_t base_us = 1'796'000'000'000'000;
    for (std::size_t packet = 0;; ++packet) {
        bool any = false;
        for (const Stream& stream : streams) {
            const std::size_t offset = packet * 160;
            if (offset >= stream.audio.size()) continue;
            any = true;
            const std::size_t size = std::min<std::size_t>(160, stream.audio.size() - offset);
            const auto bytes = frame(stream.port, stream.payload_type, static_cast<std::uint16_t>(packet),
                                     static_cast<std::uint32_t>(1000 + offset), stream.ssrc,
                                     stream.audio.data() + offset, size);
            const std::int64_t at = base_us + stream.start_us + static_cast<std::int64_t>(packet) * 20'000;
            pcap_pkthdr header{};
            header.ts.tv_sec = at / 1'000'000;
            header.ts.tv_usec = at % 1'000'000;
            header.caplen = header.len = static_cast<bpf_u_int32>(bytes.size());
            pcap_dump(reinterpret_cast<u_char*>(dumper), &header, bytes.data());
        }
        if (!rtcp.empty() && packet == 3) {
            pcap_pkthdr header{};
            header.ts.tv_sec = base_us / 1'000'000;
            header.caplen = header.len = static_cast<bpf_u_int32>(rtcp.size());
            pcap_dump(reinterpret_cast<u_char*>(dumper), &header, rtcp.data());
        }
        if (!any) break;
    }
    pcap_dump_close(dumper);
    pcap_close(dead);
}

// Energy of one frequency in a channel (Goertzel), relative to the channel's whole energy.
double share_of(const std::vector<float>& stereo, int channel, double frequency, int rate) {
    const double k = 2 * std::cos(2 * std::numbers::pi * frequency / rate);
    double previous = 0, before = 0, total = 0;
    std::size_t count = 0;
    for (std::size_t i = static_cast<std::size_t>(channel); i < stereo.size(); i += 2, ++count) {
        const double sample = stereo[i];
        total += sample * sample;
        const double current = sample + k * previous - before;
        before = previous;
        previous = current;
    }
    const double power = previous * previous + before * before - k * previous * before;
    return total == 0 ? 0 : 2 * power / (static_cast<double>(count) * total);
}

struct Decoded {
    int channels = 0;
    int rate = 0;
    std::vector<float> samples;
};

Decoded decode(const fs::path& file) {
    SF_INFO info{};
    SNDFILE* sound = sf_open(file.c_str(), SFM_READ, &info);
    EXPECT_NE(sound, nullptr) << sf_strerror(nullptr);
    if (sound == nullptr) return {};
    Decoded decoded{info.channels, info.samplerate, std::vector<float>(static_cast<std::size_t>(info.frames * info.channels))};
    sf_readf_float(sound, decoded.samples.data(), info.frames);
    sf_close(sound);
    return decoded;
}

TEST(RecordingConverter, customer_on_the_left_operator_on_the_right) {
    const fs::path capture = scratch("call.pcap");
    write_capture(capture, {{customer_port, payload_pcmu, 11, encode(payload_pcmu, tone(700, 2))},
                            {operator_port, payload_pcma, 22, encode(payload_pcma, tone(440, 2))}});
    const fs::path output = scratch("call.ogg");
    const auto written = convert_recording({{capture}, {customer_port}, {operator_port}}, output);
    ASSERT_TRUE(written.ok()) << written.error();
    EXPECT_NEAR(written->duration_seconds, 2.0, 0.05);
    EXPECT_EQ(written->bytes, fs::file_size(output));
    EXPECT_LT(written->bytes, 2 * 2 * 8000 * 2 / 4) << "compressed well below 16-bit PCM";

    const Decoded file = decode(output);
    ASSERT_EQ(file.channels, 2);
    EXPECT_GT(share_of(file.samples, 0, 700, file.rate), 0.8) << "the customer's tone on the left";
    EXPECT_LT(share_of(file.samples, 0, 440, file.rate), 0.05);
    EXPECT_GT(share_of(file.samples, 1, 440, file.rate), 0.8) << "the operator's tone on the right";
    EXPECT_LT(share_of(file.samples, 1, 700, file.rate), 0.05);
}

TEST(RecordingConverter, a_side_that_started_later_starts_later_in_the_file) {
    const fs::path capture = scratch("late.pcap");
    write_capture(capture, {{customer_port, payload_pcmu, 11, encode(payload_pcmu, tone(700, 2))},
                            {operator_port, payload_pcmu, 22, encode(payload_pcmu, tone(440, 1)), 1'000'000}});
    const fs::path output = scratch("late.ogg");
    const auto written = convert_recording({{capture}, {customer_port}, {operator_port}}, output);
    ASSERT_TRUE(written.ok()) << written.error();
    const Decoded file = decode(output);
    const std::size_t half = file.samples.size() / 2 & ~std::size_t{1};
    const std::vector<float> first(file.samples.begin(), file.samples.begin() + static_cast<long>(half) - 2000);
    double right_energy = 0;
    for (std::size_t i = 1; i < first.size(); i += 2) right_energy += first[i] * first[i];
    EXPECT_LT(right_energy / static_cast<double>(first.size() / 2), 1e-4) << "the operator is silent for the first second";
    const std::vector<float> second(file.samples.begin() + static_cast<long>(half) + 2000, file.samples.end());
    EXPECT_GT(share_of(second, 1, 440, file.rate), 0.8);
}

TEST(RecordingConverter, rtcp_and_other_ports_are_not_heard) {
    const fs::path capture = scratch("other.pcap");
    std::vector<unsigned char> rtcp = frame(customer_port, 200, 0, 0, 0, nullptr, 0);
    rtcp[14 + 20 + 8 + 1] = 200;  // a sender report
    write_capture(capture, {{customer_port, payload_pcmu, 11, encode(payload_pcmu, tone(700, 1))},
                            {40000, payload_pcmu, 33, encode(payload_pcmu, tone(1200, 1))}},
                  rtcp);
    const auto packets = read_rtp_capture(capture);
    ASSERT_TRUE(packets.ok()) << packets.error();
    EXPECT_EQ(packets->size(), 100u) << "50 packets of each stream, no RTCP";
    const fs::path output = scratch("other.ogg");
    ASSERT_TRUE(convert_recording({{capture}, {customer_port}, {operator_port}}, output).ok());
    const Decoded file = decode(output);
    EXPECT_LT(share_of(file.samples, 0, 1200, file.rate), 0.05);
    EXPECT_GT(share_of(file.samples, 0, 700, file.rate), 0.8);
}

TEST(RecordingConverter, a_timestamp_far_in_the_future_does_not_stretch_the_file) {
    const fs::path capture = scratch("jump.pcap");
    write_capture(capture, {{customer_port, payload_pcmu, 11, encode(payload_pcmu, tone(700, 1))}});
    // One more packet of the same SSRC whose timestamp jumps by two billion samples (over three days).
    pcap_t* dead = pcap_open_dead(DLT_EN10MB, 65535);
    const fs::path jumped = scratch("jump2.pcap");
    pcap_dumper_t* dumper = pcap_dump_open(dead, jumped.c_str());
    const std::vector<unsigned char> payload(160, 0xFF);
    const auto bytes = frame(customer_port, payload_pcmu, 99, 2'000'000'000u, 11, payload.data(), payload.size());
    pcap_pkthdr header{};
    header.ts.tv_sec = 1'796'000'001;
    header.caplen = header.len = static_cast<bpf_u_int32>(bytes.size());
    pcap_dump(reinterpret_cast<u_char*>(dumper), &header, bytes.data());
    pcap_dump_close(dumper);
    pcap_close(dead);

    const auto written = convert_recording({{capture, jumped}, {customer_port}, {operator_port}}, scratch("jump.ogg"));
    ASSERT_TRUE(written.ok()) << written.error();
    EXPECT_LT(written->duration_seconds, 1.1);
}

TEST(RecordingConverter, a_missing_capture_is_an_error_that_names_it) {
    const auto written =
        convert_recording({{scratch("nowhere.pcap")}, {customer_port}, {operator_port}}, scratch("nowhere.ogg"));
    ASSERT_FALSE(written.ok());
    EXPECT_NE(written.error().find("nowhere.pcap"), std::string::npos) << written.error();
    EXPECT_FALSE(fs::exists(scratch("nowhere.ogg")));
}

TEST(RecordingConverter, a_capture_without_either_side_is_an_error) {
    const fs::path capture = scratch("empty.pcap");
    write_capture(capture, {{40000, payload_pcmu, 33, encode(payload_pcmu, tone(1200, 1))}});
    const auto written = convert_recording({{capture}, {customer_port}, {operator_port}}, scratch("empty.ogg"));
    ASSERT_FALSE(written.ok());
    EXPECT_NE(written.error().find("no G.711 audio"), std::string::npos) << written.error();
}

TEST(RtpCapture, frames_that_are_not_rtp_are_refused_without_reading_past_them) {
    RtpPacket packet;
    const std::vector<unsigned char> payload(10, 1);
    auto bytes = frame(customer_port, payload_pcmu, 1, 2, 3, payload.data(), payload.size());
    EXPECT_TRUE(rtp_of_frame(DLT_EN10MB, bytes.data(), bytes.size(), packet));
    EXPECT_EQ(packet.payload.size(), 10u);
    for (std::size_t cut = 0; cut < 14 + 20 + 8 + 12; ++cut) {
        EXPECT_FALSE(rtp_of_frame(DLT_EN10MB, bytes.data(), cut, packet)) << "cut at " << cut;
    }
    bytes[14 + 20 + 8] = 0xA0;  // padding flag with a padding length (the last byte: 1) that fits
    EXPECT_TRUE(rtp_of_frame(DLT_EN10MB, bytes.data(), bytes.size(), packet));
    EXPECT_EQ(packet.payload.size(), 9u);
    bytes.back() = 200;  // padding longer than the payload
    EXPECT_FALSE(rtp_of_frame(DLT_EN10MB, bytes.data(), bytes.size(), packet));
}

}  // namespace
}  // namespace ff::recordings
