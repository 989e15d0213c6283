// The "Настройки АТС" tab: PBX address, transport, RTP range, STUN. Saved to the database, applied live.
#include "api/fields.hpp"
#include "api/route_handlers.hpp"
#include "api/settings_json.hpp"
#include "config/live_settings.hpp"
#include "store/store_worker.hpp"

namespace ff::api {
namespace {

using http::beast_http::status;

// Fields absent from the body keep their current value, so the page may send only what changed.
ApiResult<config::PbxSettings> merged_pbx_settings(const nlohmann::json& body, config::PbxSettings pbx) {
    auto server = optional_string(body, "server", 0, 253);
    if (!server) return server.error();
    if (*server) pbx.server = **server;
    auto port = optional_integer(body, "port", 1, 65535);
    if (!port) return port.error();
    if (*port) pbx.port = static_cast<std::uint16_t>(**port);
    auto transport = optional_string(body, "transport", 1, 8);
    if (!transport) return transport.error();
    if (*transport) {
        const auto parsed = config::parse_sip_transport(**transport);
        if (!parsed)
            return validation_error("transport must be UDP, TCP or TLS (got \"" + **transport + "\")");
        pbx.transport = *parsed;
    }
    auto rtp_min = optional_integer(body, "rtpPortMin", 1024, 65535);
    if (!rtp_min) return rtp_min.error();
    if (*rtp_min) pbx.rtp_port_min = static_cast<std::uint16_t>(**rtp_min);
    auto rtp_max = optional_integer(body, "rtpPortMax", 1024, 65535);
    if (!rtp_max) return rtp_max.error();
    if (*rtp_max) pbx.rtp_port_max = static_cast<std::uint16_t>(**rtp_max);
    auto stun = optional_string(body, "stunServer", 0, 260);
    if (!stun) return stun.error();
    if (*stun) pbx.stun_server = **stun;
    if (const auto problems = config::validate_pbx_settings(pbx); !problems.empty())
        return settings_error(problems);
    return pbx;
}

}  // namespace

void handle_get_pbx_settings(ApiServices& services, const ApiRequestPtr& request) {
    reply_json(request, status::ok, {{"settings", to_json(services.settings.pbx())}});
}

void handle_put_pbx_settings(ApiServices& services, const ApiRequestPtr& request) {
    auto pbx = merged_pbx_settings(request->body, services.settings.pbx());
    if (!pbx) return reply_error(request, pbx.error());
    services.store.post([&services, request, pbx = pbx.value()](store::Storage& storage) {
        if (auto saved = storage.save_pbx_settings(pbx); !saved)
            return reply_error_later(services, request, from_error(saved.error()));
        // Applied only once stored: what runs is always what a restart would load.
        services.settings.replace_pbx(pbx);
        reply_json_later(services, request, status::ok, {{"success", true}, {"settings", to_json(pbx)}});
    });
}

void handle_test_connection(ApiServices&, const ApiRequestPtr& request) {
    reply_error(request,
                {status::service_unavailable, "SIP_UNAVAILABLE",
                 "cannot test the connection: the SIP engine is not part of this version of the service "
                 "yet, so nothing can register at the PBX"});
}

}  // namespace ff::api
