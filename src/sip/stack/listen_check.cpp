// Sofia-SIP frees only part of itself when nua_create() cannot bind, so a taken port is found out here
// first; the stack's own failure stays the fallback for whatever changes in between.
#include "sip/stack/listen_check.hpp"

#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <string>

#include "config/value_checks.hpp"
#include "sip/stack/address_info.hpp"

namespace ff::sip {
namespace {

// Empty when `type` sockets bind on every address `host` resolves to, else "UDP: <reason>".
std::string try_bind(const std::string& host, const std::string& port, int type) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = type;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    addrinfo* found = nullptr;
    const bool any = host.empty() || host == "*" || host == "0.0.0.0";
    const int resolved = getaddrinfo(any ? "0.0.0.0" : host.c_str(), port.c_str(), &hints, &found);
    const std::string protocol = type == SOCK_DGRAM ? "UDP" : "TCP";
    if (resolved != 0) return protocol + ": " + gai_strerror(resolved);
    const AddressInfo addresses(found);
    for (const addrinfo* address = found; address != nullptr; address = address->ai_next) {
        const int fd =
            ::socket(address->ai_family, address->ai_socktype | SOCK_CLOEXEC, address->ai_protocol);
        if (fd < 0) return protocol + ": " + std::strerror(errno);
        if (type == SOCK_STREAM) {
            // As the stack does for its listener: old connections in TIME_WAIT do not make the port busy.
            const int on = 1;
            ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
        }
        const int bound = ::bind(fd, address->ai_addr, address->ai_addrlen);
        const int error = errno;
        ::close(fd);
        if (bound != 0) return protocol + ": " + std::strerror(error);
    }
    return {};
}

}  // namespace

calls::Status check_listen_address(std::string_view host_port, ListenProtocols protocols) {
    const auto parsed = config::parse_host_port(host_port);
    if (!parsed || !parsed->port)
        return calls::make_error(calls::ErrorCode::invalid_argument,
                                 "not host:port: " + std::string(host_port));
    const std::string port = std::to_string(*parsed->port);
    for (const int type : {SOCK_DGRAM, SOCK_STREAM}) {
        if (type == SOCK_DGRAM && protocols == ListenProtocols::tcp) continue;
        if (auto problem = try_bind(parsed->host, port, type); !problem.empty())
            return calls::make_error(calls::ErrorCode::unavailable, problem);
    }
    return calls::Done{};
}

}  // namespace ff::sip
