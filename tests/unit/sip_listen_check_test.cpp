// The SIP port check before the stack starts: a free port passes, a taken one is named with its protocol.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

#include "sip/stack/listen_check.hpp"

using namespace ff::sip;

namespace {

// A loopback socket of `type` bound to an ephemeral port; closes itself.
class Holder {
  public:
    explicit Holder(int type) : fd_(::socket(AF_INET, type, 0)) {
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        ::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address);
        if (type == SOCK_STREAM) ::listen(fd_, 1);
        socklen_t length = sizeof address;
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length);
        port_ = ntohs(address.sin_port);
    }
    ~Holder() { ::close(fd_); }
    Holder(const Holder&) = delete;
    Holder& operator=(const Holder&) = delete;
    int port() const { return port_; }

  private:
    int fd_;
    int port_ = 0;
};

}  // namespace

TEST(SipListenCheck, a_free_port_passes) {
    // A port found free is free only until another process takes it: the machine's TCP connections draw
    // ephemeral ports too, and the check binds both protocols. A few ports are tried; one must pass.
    bool passed = false;
    for (int attempt = 0; attempt < 5 && !passed; ++attempt) {
        int port = 0;
        {
            Holder probe(SOCK_STREAM);
            port = probe.port();
        }
        passed = static_cast<bool>(check_listen_address("127.0.0.1:" + std::to_string(port)));
    }
    EXPECT_TRUE(passed);
}

TEST(SipListenCheck, a_taken_udp_port_is_named) {
    Holder taken(SOCK_DGRAM);
    const auto checked = check_listen_address("127.0.0.1:" + std::to_string(taken.port()));
    ASSERT_FALSE(checked);
    EXPECT_EQ(checked.error().message, "UDP: Address already in use");
}

TEST(SipListenCheck, a_taken_tcp_port_is_named) {
    Holder taken(SOCK_STREAM);
    const auto checked = check_listen_address("127.0.0.1:" + std::to_string(taken.port()));
    ASSERT_FALSE(checked);
    EXPECT_EQ(checked.error().message, "TCP: Address already in use");
}

TEST(SipListenCheck, an_address_not_on_this_host_is_refused) {
    const auto checked = check_listen_address("192.0.2.1:5060");  // TEST-NET-1, never local
    ASSERT_FALSE(checked);
    EXPECT_EQ(checked.error().message, "UDP: Cannot assign requested address");
}
