// The rtpengine the service starts itself (MEDIA=rtpengine without RTPENGINE_URL): spawned, watched, and
// restarted with a growing delay when it dies; its output goes to our log.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "media/media_error.hpp"
#include "media/ng_address.hpp"

namespace ff::media {

struct RtpengineProcessSettings {
    std::string binary;                     // RTPENGINE_BINARY; empty: "rtpengine" on PATH, else /usr/bin/rtpengine
    std::string address = "127.0.0.1";      // MEDIA_ADDRESS: the local address of the RTP ports
    std::string advertised_address;         // MEDIA_PUBLIC_ADDRESS: written into SDP instead, when set
    std::uint16_t port_min = 5700;          // RTP_PORT_MIN
    std::uint16_t port_max = 5750;          // RTP_PORT_MAX
    std::string recording_dir;              // --recording-dir (pcap); empty: recording off
    std::string key_log_address;            // --dtmf-log-dest: where the keys pressed go ("host:port"); empty: nowhere
    std::chrono::milliseconds ready_timeout{5000};   // from spawn to the first answered ping
    std::chrono::milliseconds restart_delay{200};    // before the first restart; doubles while it keeps dying
    std::chrono::milliseconds restart_delay_max{10000};
    std::chrono::milliseconds stop_grace{2000};      // SIGTERM, then SIGKILL after this
};

// The command line for `settings` with the ng port `ng_port` (argv[0] is the binary as resolved).
std::vector<std::string> rtpengine_arguments(const RtpengineProcessSettings& settings, const std::string& binary,
                                             std::uint16_t ng_port);

// One ng ping, blocking up to `timeout`; true when rtpengine answered pong.
bool ping_rtpengine(const NgAddress& address, std::chrono::milliseconds timeout);

// All methods may be called from any thread; the child is spawned and reaped on a supervisor thread.
class RtpengineProcess {
  public:
    explicit RtpengineProcess(RtpengineProcessSettings settings);
    ~RtpengineProcess();  // stop()
    RtpengineProcess(const RtpengineProcess&) = delete;
    RtpengineProcess& operator=(const RtpengineProcess&) = delete;

    // Spawns rtpengine on a free ng port and waits until it answers a ping. The error says why not: binary
    // not found, exited at once (with its last output), or no answer in time.
    MediaStatus start();
    // SIGTERM, then SIGKILL after stop_grace; no restart after this.
    void stop();

    NgAddress ng_address() const;  // 127.0.0.1:<port>; the same port across restarts
    pid_t pid() const;             // the running child, or -1
    int restarts() const;          // successful restarts so far
    // Blocks until `restarts()` reaches `count` or `timeout` passes; true when it did.
    bool wait_for_restarts(int count, std::chrono::milliseconds timeout) const;

  private:
    class Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace ff::media
