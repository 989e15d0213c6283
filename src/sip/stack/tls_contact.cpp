// Connecting a UDP socket only asks the routing table for the source address; no packet leaves.
#include "sip/stack/tls_contact.hpp"

#include <arpa/inet.h>
#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <memory>

#include "config/value_checks.hpp"
#include "sip/stack/address_info.hpp"

namespace ff::sip {
namespace {

std::optional<std::string> source_address_towards(const std::string& host, std::uint16_t port) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_DGRAM;
    hints.ai_flags = AI_NUMERICSERV;
    addrinfo* found = nullptr;
    if (getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found) != 0) return std::nullopt;
    const AddressInfo addresses(found);
    const int fd = ::socket(found->ai_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return std::nullopt;
    sockaddr_storage local{};
    socklen_t length = sizeof local;
    const bool ok = ::connect(fd, found->ai_addr, found->ai_addrlen) == 0 &&
                    ::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &length) == 0;
    ::close(fd);
    if (!ok) return std::nullopt;
    char text[INET6_ADDRSTRLEN] = {};
    const void* address = local.ss_family == AF_INET6
                              ? static_cast<const void*>(&reinterpret_cast<sockaddr_in6*>(&local)->sin6_addr)
                              : static_cast<const void*>(&reinterpret_cast<sockaddr_in*>(&local)->sin_addr);
    if (inet_ntop(local.ss_family, address, text, sizeof text) == nullptr) return std::nullopt;
    return std::string(text);
}

}  // namespace

std::optional<std::string> line_contact(const LineConfig& line, const std::string& listen_address,
                                        const std::string& tls_listen) {
    const bool tls = line.transport == config::SipTransport::tls;
    const auto listen = config::parse_host_port(tls ? tls_listen : listen_address);
    if (!listen || !listen->port) return std::nullopt;
    std::string host = listen->host;
    if (host.empty() || host == "0.0.0.0" || host == "::" || host == "*") {
        auto source = source_address_towards(line.server, line.port);
        if (!source) return std::nullopt;
        host = *source;
    }
    if (host.find(':') != std::string::npos) host = "[" + host + "]";
    const std::string parameter = tls                                           ? ";transport=tls"
                                  : line.transport == config::SipTransport::tcp ? ";transport=tcp"
                                                                                : "";
    return "<sip:" + line.user.username + "@" + host + ":" + std::to_string(*listen->port) + parameter + ">";
}

}  // namespace ff::sip
