// URI building for lines and the listening transport.
#include "sip/stack/sip_addresses.hpp"

#include "config/value_checks.hpp"

namespace ff::sip {
namespace {

std::string uri_host(const std::string& host) {
    return host.find(':') != std::string::npos ? "[" + host + "]" : host;
}

std::string transport_param(config::SipTransport transport) {
    switch (transport) {
        case config::SipTransport::tcp:
            return "tcp";
        case config::SipTransport::tls:
            return "tls";
        case config::SipTransport::udp:
            break;
    }
    return "udp";
}

}  // namespace

std::string registrar_uri(const LineConfig& line) {
    return "sip:" + uri_host(line.server) + ":" + std::to_string(line.port) +
           ";transport=" + transport_param(line.transport);
}

std::string address_of_record(const LineConfig& line) {
    return "sip:" + line.user.username + "@" + uri_host(line.server);
}

std::string contact_parameters(const LineConfig& line) {
    return line.transport == config::SipTransport::udp ? "" : "transport=" + transport_param(line.transport);
}

std::string describe_registrar(const LineConfig& line) {
    return uri_host(line.server) + ":" + std::to_string(line.port) + " over " +
           config::to_string(line.transport);
}

std::optional<std::string> listen_url(std::string_view host_port) {
    const auto parsed = config::parse_host_port(host_port);
    if (!parsed || !parsed->port) return std::nullopt;
    // "*" lets the stack listen on every interface and still put a real address in Via and Contact.
    const bool any = parsed->host == "0.0.0.0" || parsed->host == "::" || parsed->host == "*";
    return "sip:" + (any ? std::string("*") : uri_host(parsed->host)) + ":" + std::to_string(*parsed->port);
}

std::optional<std::string> own_host_port(std::string_view host_port) {
    const auto parsed = config::parse_host_port(host_port);
    if (!parsed || !parsed->port) return std::nullopt;
    std::string host = parsed->host;
    if (host == "0.0.0.0" || host == "*") host = "127.0.0.1";
    if (host == "::") host = "::1";
    return uri_host(host) + ":" + std::to_string(*parsed->port);
}

std::optional<std::string> tls_listen_url(std::string_view host_port) {
    auto url = listen_url(host_port);
    if (url) url->insert(3, "s");  // "sip:" -> "sips:"
    return url;
}

std::string digest_credentials(std::string_view realm, const config::SipUser& user) {
    std::string quoted(realm);
    if (quoted.size() < 2 || quoted.front() != '"' || quoted.back() != '"') quoted = "\"" + quoted + "\"";
    return "Digest:" + quoted + ":" + user.username + ":" + user.password;
}

}  // namespace ff::sip
