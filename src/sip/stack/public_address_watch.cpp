// One binding request at a time, each with a fresh socket and STUN handle: the server may have changed in
// the settings since the last one, and Sofia's handle keeps the server it was made with.
#include "sip/stack/public_address_watch.hpp"

#include <pthread.h>
#include <arpa/inet.h>
#include <sofia-sip/stun.h>
#include <sofia-sip/stun_tag.h>
#include <sofia-sip/su.h>
#include <sofia-sip/su_tagarg.h>
#include <sofia-sip/su_wait.h>

namespace ff::sip {

// The loop's state, on the watch's thread only.
struct PublicAddressWatch::Loop {
    explicit Loop(PublicAddressWatch& owner) : watch(owner) {}

    PublicAddressWatch& watch;
    su_root_t* root = nullptr;
    stun_handle_t* handle = nullptr;
    su_socket_t socket = INVALID_SOCKET;
    std::string server;
    bool asking = false;
    std::chrono::steady_clock::time_point next_at{};
    std::chrono::steady_clock::time_point give_up_at{};  // Sofia retransmits for long; an answer comes fast or not

    // The request before this one, its handle and socket, once it is over.
    void finish_request() {
        if (handle != nullptr) stun_handle_destroy(handle);
        handle = nullptr;
        if (socket != INVALID_SOCKET) su_close(socket);
        socket = INVALID_SOCKET;
        asking = false;
    }

    void report(std::string address, std::string error) {
        asking = false;
        watch.learned_(Outcome{server, std::move(address), std::move(error)});
    }

    void ask() {
        finish_request();
        next_at = std::chrono::steady_clock::now() + watch.options_.every;
        server = watch.options_.server ? watch.options_.server() : std::string();
        if (server.empty()) return;
        handle = stun_handle_init(root, STUNTAG_SERVER(server.c_str()), STUNTAG_REQUIRE_INTEGRITY(0), TAG_END());
        if (handle == nullptr) return report({}, "the STUN server " + server + " cannot be resolved");
        socket = su_socket(AF_INET, SOCK_DGRAM, 0);
        asking = true;
        give_up_at = std::chrono::steady_clock::now() + watch.options_.answer_within;
        if (socket == INVALID_SOCKET ||
            stun_bind(handle, &Loop::answered, reinterpret_cast<stun_discovery_magic_t*>(this), STUNTAG_SOCKET(socket),
                      STUNTAG_REGISTER_EVENTS(1), TAG_END()) < 0)
            report({}, "cannot send a STUN binding request to " + server);
    }

    static void answered(stun_discovery_magic_t* magic, stun_handle_t*, stun_discovery_t* discovery, stun_action_t,
                         stun_state_t event) {
        auto* loop = reinterpret_cast<Loop*>(magic);
        if (!loop->asking || event < stun_discovery_done) return;
        if (event != stun_discovery_done)
            return loop->report({}, "the STUN server " + loop->server + " did not answer (" + stun_str_state(event) + ")");
        su_sockaddr_t mapped{};
        socklen_t length = sizeof mapped;
        char text[INET6_ADDRSTRLEN] = {};
        if (stun_discovery_get_address(discovery, &mapped, &length) != 0 ||
            inet_ntop(mapped.su_family, mapped.su_family == AF_INET6 ? static_cast<const void*>(&mapped.su_sin6.sin6_addr)
                                                                      : static_cast<const void*>(&mapped.su_sin.sin_addr),
                      text, sizeof text) == nullptr)
            return loop->report({}, "the STUN server " + loop->server + " gave no usable address");
        loop->report(text, {});
    }
};

PublicAddressWatch::PublicAddressWatch(PublicAddressWatchOptions options, Learned learned)
    : options_(std::move(options)), learned_(std::move(learned)), thread_([this] { run(); }) {}

PublicAddressWatch::~PublicAddressWatch() {
    stopping_ = true;
    if (thread_.joinable()) thread_.join();
}

void PublicAddressWatch::run() {
    pthread_setname_np(pthread_self(), "ff-public-addr");
    if (su_init() != 0) return;
    Loop loop{*this};
    loop.root = su_root_create(nullptr);
    if (loop.root != nullptr) {
        loop.ask();
        // Steps of at most 200 ms, so that the destructor's stop is seen soon without a message between threads.
        while (!stopping_) {
            su_root_step(loop.root, 200);
            const auto now = std::chrono::steady_clock::now();
            if (loop.asking && now >= loop.give_up_at) {
                loop.report({}, "the STUN server " + loop.server + " did not answer within " +
                                    std::to_string(options_.answer_within.count()) + " ms");
                loop.finish_request();
            }
            if (now >= loop.next_at) loop.ask();
        }
        loop.finish_request();
        su_root_destroy(loop.root);
    }
    su_deinit();
}

}  // namespace ff::sip
