// MEDIA_PUBLIC_ADDRESS unset and STUN_SERVER set: the address this machine has on the other side of its NAT,
// learned with a STUN binding request (Sofia-SIP's STUN client) and learned again every few minutes, for the
// SDP rtpengine writes. A thread and event loop of its own: resolving the server's name, or a server that
// does not answer, never holds up a call.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <string>
#include <thread>

namespace ff::sip {

struct PublicAddressWatchOptions {
    std::function<std::string()> server;  // STUN_SERVER as it is now ("host[:port]"; empty: nothing to ask)
    std::chrono::milliseconds every{std::chrono::minutes(5)};
    std::chrono::milliseconds answer_within{std::chrono::seconds(5)};
};

class PublicAddressWatch {
  public:
    // What one binding request found: the address, or why there is none (both on the watch's thread).
    struct Outcome {
        std::string server;
        std::string address;  // empty when it failed
        std::string error;
    };
    using Learned = std::function<void(const Outcome&)>;

    PublicAddressWatch(PublicAddressWatchOptions options, Learned learned);
    ~PublicAddressWatch();  // stops the thread; a request under way is dropped
    PublicAddressWatch(const PublicAddressWatch&) = delete;
    PublicAddressWatch& operator=(const PublicAddressWatch&) = delete;

  private:
    struct Loop;
    void run();

    PublicAddressWatchOptions options_;
    Learned learned_;
    std::atomic<bool> stopping_{false};
    std::thread thread_;
};

}  // namespace ff::sip
