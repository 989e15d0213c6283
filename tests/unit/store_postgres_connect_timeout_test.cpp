// A PostgreSQL host that takes TCP connections and never answers (a server hung, a host gone behind a
// firewall that still completes handshakes) is given up on within seconds, so the call log learns that the
// database is away instead of waiting minutes. The "server" is a real listening socket that never accepts.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>

#include "store/storage.hpp"

using namespace ff;
using namespace std::chrono_literals;

namespace {

// Listens on a free 127.0.0.1 port: the kernel completes handshakes into the backlog, nobody ever answers.
class SilentListener {
  public:
    SilentListener() {
        socket_ = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t length = sizeof(address);
        if (socket_ < 0 || ::bind(socket_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
            ::listen(socket_, 16) != 0 ||
            ::getsockname(socket_, reinterpret_cast<sockaddr*>(&address), &length) != 0)
            throw std::runtime_error("cannot listen on 127.0.0.1");
        port_ = ntohs(address.sin_port);
    }
    ~SilentListener() { ::close(socket_); }
    SilentListener(const SilentListener&) = delete;
    SilentListener& operator=(const SilentListener&) = delete;
    int port() const { return port_; }

  private:
    int socket_ = -1;
    int port_ = 0;
};

struct Attempt {
    bool opened = false;
    std::string message;
    std::chrono::steady_clock::duration took{};
};

Attempt open_at(const std::string& url) {
    const auto started = std::chrono::steady_clock::now();
    auto storage = store::open_storage(url);
    Attempt attempt;
    attempt.took = std::chrono::steady_clock::now() - started;
    attempt.opened = static_cast<bool>(storage);
    if (!storage) attempt.message = storage.error().message;
    return attempt;
}

}  // namespace

TEST(PostgresConnectTimeout, a_server_that_never_answers_is_given_up_within_five_seconds_by_default) {
    SilentListener silent;
    const Attempt attempt =
        open_at("postgresql://postgres@127.0.0.1:" + std::to_string(silent.port()) + "/ff");
    EXPECT_FALSE(attempt.opened);
    EXPECT_GE(attempt.took, 4s);
    EXPECT_LT(attempt.took, 9s);
    EXPECT_NE(attempt.message.find("timeout"), std::string::npos) << attempt.message;
}

TEST(PostgresConnectTimeout, the_urls_own_connect_timeout_wins_over_the_default) {
    SilentListener silent;
    const Attempt attempt =
        open_at("postgresql://postgres@127.0.0.1:" + std::to_string(silent.port()) + "/ff?connect_timeout=2");
    EXPECT_FALSE(attempt.opened);
    EXPECT_LT(attempt.took, 4s);
}
