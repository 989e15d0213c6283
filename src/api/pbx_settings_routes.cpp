// The "Настройки АТС" tab: PBX address, transport, RTP range, STUN. Saved to the database, applied live;
// "Проверить подключение" tries the form's values first.
#include "api/connection_check_json.hpp"
#include "api/fields.hpp"
#include "api/route_handlers.hpp"
#include "api/settings_json.hpp"
#include "calls/call_control.hpp"
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

// The form's values, before they are saved: same fields as the PUT (absent ones are the saved values), plus
// the accounts to try. The answer waits for the SIP engine's diagnosis, which bounds itself to seconds.
void handle_test_connection(ApiServices& services, const ApiRequestPtr& request) {
    auto pbx = merged_pbx_settings(request->body, services.settings.pbx());
    if (!pbx) return reply_error(request, pbx.error());
    if (pbx->server.empty())
        return reply_error(request, validation_error("server is required to test the connection"));
    auto accounts = accounts_to_check(request->body, services.settings.users());
    if (!accounts) return reply_error(request, accounts.error());
    calls::ConnectionCheckRequest check{pbx->server, pbx->port, config::to_string(pbx->transport),
                                        std::move(accounts.value())};
    services.control.check_connection(
        std::move(check), [&services, request](calls::Result<calls::ConnectionReport> report) {
            if (!report) return reply_error_later(services, request, from_error(report.error()));
            reply_json_later(services, request, status::ok, to_json(report.value()));
        });
}

}  // namespace ff::api
