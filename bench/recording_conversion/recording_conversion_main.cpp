// How long the service takes to turn a call's capture into its recording: a capture of MINUTES minutes (1 by
// default) written as rtpengine's pcap method writes one (raw IP frames, G.711 at 50 packets a second from each
// side), converted by the service's own converter (recordings/recording_converter), several times; prints the
// time per run and per minute of call, the capture's and the file's sizes.
#include <pcap/pcap.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <vector>

#include "recordings/recording_converter.hpp"

namespace fs = std::filesystem;
using ff::recordings::RecordingSources;

namespace {

constexpr std::uint16_t customer_port = 16000;
constexpr std::uint16_t operator_port = 16002;

// One IPv4/UDP/RTP frame of 20 ms of PCMU towards rtpengine's `port`.
std::vector<unsigned char> frame(std::uint16_t port, std::uint16_t sequence, std::uint32_t ssrc, std::mt19937& noise) {
    constexpr std::size_t payload = 160;
    std::vector<unsigned char> bytes(20 + 8 + 12 + payload);
    unsigned char* ip = bytes.data();
    ip[0] = 0x45;
    ip[2] = static_cast<unsigned char>(bytes.size() >> 8), ip[3] = static_cast<unsigned char>(bytes.size());
    ip[8] = 64, ip[9] = 17;
    ip[12] = 127, ip[15] = 1, ip[16] = 127, ip[19] = 9;
    unsigned char* udp = ip + 20;
    udp[0] = 0x4e, udp[1] = 0x20;
    udp[2] = static_cast<unsigned char>(port >> 8), udp[3] = static_cast<unsigned char>(port);
    udp[4] = static_cast<unsigned char>((bytes.size() - 20) >> 8), udp[5] = static_cast<unsigned char>(bytes.size() - 20);
    unsigned char* rtp = udp + 8;
    rtp[0] = 0x80;
    rtp[2] = static_cast<unsigned char>(sequence >> 8), rtp[3] = static_cast<unsigned char>(sequence);
    const std::uint32_t timestamp = sequence * 160u;
    for (int i = 0; i < 4; ++i) rtp[4 + i] = static_cast<unsigned char>(timestamp >> (24 - 8 * i));
    for (int i = 0; i < 4; ++i) rtp[8 + i] = static_cast<unsigned char>(ssrc >> (24 - 8 * i));
    for (std::size_t i = 0; i < payload; ++i) rtp[12 + i] = static_cast<unsigned char>(noise());
    return bytes;
}

void write_capture(const fs::path& file, int minutes) {
    pcap_t* dead = pcap_open_dead(DLT_RAW, 65535);
    pcap_dumper_t* dumper = pcap_dump_open(dead, file.c_str());
    if (dumper == nullptr) {
        std::fprintf(stderr, "cannot write %s: %s\n", file.c_str(), pcap_geterr(dead));
        std::exit(1);
    }
    std::mt19937 noise(7);
    const std::int64_t start_us = 1'796'000'000'000'000;
    const int packets = minutes * 60 * 50;
    for (int packet = 0; packet < packets; ++packet) {
        for (const auto& [port, ssrc] : {std::pair{customer_port, 0x1111u}, std::pair{operator_port, 0x2222u}}) {
            const auto bytes = frame(port, static_cast<std::uint16_t>(packet), ssrc, noise);
            const std::int64_t at = start_us + static_cast<std::int64_t>(packet) * 20'000 + (port == operator_port ? 300 : 0);
            pcap_pkthdr header{};
            header.ts.tv_sec = at / 1'000'000;
            header.ts.tv_usec = at % 1'000'000;
            header.caplen = header.len = static_cast<bpf_u_int32>(bytes.size());
            pcap_dump(reinterpret_cast<u_char*>(dumper), &header, bytes.data());
        }
    }
    pcap_dump_close(dumper);
    pcap_close(dead);
}

}  // namespace

int main() {
    const int minutes = std::max(1, std::atoi(std::getenv("MINUTES") ? std::getenv("MINUTES") : "1"));
    const int runs = std::max(1, std::atoi(std::getenv("RUNS") ? std::getenv("RUNS") : "5"));
    const fs::path dir = fs::temp_directory_path() / ("ff-bench-recording-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const fs::path capture = dir / "call.pcap";
    const fs::path output = dir / "call.ogg";
    write_capture(capture, minutes);

    std::vector<double> seconds;
    for (int run = 0; run < runs; ++run) {
        const auto started = std::chrono::steady_clock::now();
        const auto written = ff::recordings::convert_recording(RecordingSources{{capture}, {customer_port}, {operator_port}}, output);
        seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
        if (!written) {
            std::fprintf(stderr, "conversion failed: %s\n", written.error().c_str());
            return 1;
        }
    }
    std::sort(seconds.begin(), seconds.end());
    std::printf("recording conversion: %d min of call (G.711 both ways), capture %.1f MiB -> stereo Ogg Opus %.1f KiB\n",
                minutes, static_cast<double>(fs::file_size(capture)) / (1 << 20),
                static_cast<double>(fs::file_size(output)) / 1024);
    std::printf("  %d runs: median %.3f s, best %.3f s, worst %.3f s; %.3f s per minute of call (target: < 0.5 s)\n",
                runs, seconds[seconds.size() / 2], seconds.front(), seconds.back(), seconds[seconds.size() / 2] / minutes);
    fs::remove_all(dir);
    return 0;
}
