// The PBX settings document: a stable JSON spelling that never depends on how the API spells things.
#include "store/pbx_settings_document.hpp"

#include <nlohmann/json.hpp>
#include <optional>

namespace ff::store {
namespace {

// The store spells transports itself so that the stored form never depends on how the API spells them.
std::string_view transport_name(config::SipTransport transport) {
    switch (transport) {
        case config::SipTransport::udp:
            return "UDP";
        case config::SipTransport::tcp:
            return "TCP";
        case config::SipTransport::tls:
            return "TLS";
    }
    return "UDP";
}

std::optional<config::SipTransport> parse_transport(const std::string& name) {
    if (name == "UDP") return config::SipTransport::udp;
    if (name == "TCP") return config::SipTransport::tcp;
    if (name == "TLS") return config::SipTransport::tls;
    return std::nullopt;
}

std::optional<std::uint16_t> port_field(const nlohmann::json& document, const char* name) {
    const auto found = document.find(name);
    if (found == document.end() || !found->is_number_unsigned()) return std::nullopt;
    const auto value = found->get<std::uint64_t>();
    if (value > 65535) return std::nullopt;
    return static_cast<std::uint16_t>(value);
}

std::optional<std::string> text_field(const nlohmann::json& document, const char* name) {
    const auto found = document.find(name);
    if (found == document.end() || !found->is_string()) return std::nullopt;
    return found->get<std::string>();
}

}  // namespace

calls::Result<config::PbxSettings> parse_pbx_settings_document(const std::string& text) {
    const auto invalid =
        calls::make_error(calls::ErrorCode::internal, "the stored PBX settings are not valid");
    const auto document = nlohmann::json::parse(text, nullptr, false);
    if (document.is_discarded() || !document.is_object()) return invalid;
    const auto server = text_field(document, "server");
    const auto port = port_field(document, "port");
    const auto transport_text = text_field(document, "transport");
    const auto transport = transport_text ? parse_transport(*transport_text) : std::nullopt;
    const auto rtp_min = port_field(document, "rtpPortMin");
    const auto rtp_max = port_field(document, "rtpPortMax");
    const auto stun = text_field(document, "stunServer");
    if (!server || !port || !transport || !rtp_min || !rtp_max || !stun) return invalid;
    return config::PbxSettings{*server, *port, *transport, *rtp_min, *rtp_max, *stun};
}

std::string pbx_settings_document(const config::PbxSettings& settings) {
    const nlohmann::json document = {
        {"server", settings.server},
        {"port", settings.port},
        {"transport", transport_name(settings.transport)},
        {"rtpPortMin", settings.rtp_port_min},
        {"rtpPortMax", settings.rtp_port_max},
        {"stunServer", settings.stun_server},
    };
    return document.dump();
}

}  // namespace ff::store
