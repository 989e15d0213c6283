// GET /health: the seed's fields for monitoring, plus version, uptime, the number of active calls and the
// state of each dependency. A dependency away makes the status "degraded" (still 200: the service serves calls).
#include "api/route_handlers.hpp"
#include "calls/call_control.hpp"
#include "calls/call_view.hpp"
#include "wire/call_json.hpp"

namespace ff::api {

void handle_health(ApiServices& services, const ApiRequestPtr& request) {
    const auto telephony = services.control.status();
    const auto uptime = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() -
                                                                         services.started_at);
    auto dependencies = nlohmann::json::object();
    auto reasons = nlohmann::json::array();
    for (const auto& probe : services.dependencies) {
        const auto state = probe();
        dependencies[state.name] = {{"ok", state.ok}, {"detail", state.detail}};
        if (!state.ok) reasons.push_back(state.name + ": " + state.detail);
    }
    reply_json(request, http::beast_http::status::ok,
               {
                   {"status", reasons.empty() ? "ok" : "degraded"},
                   {"degraded", reasons},
                   {"dependencies", dependencies},
                   {"service", "pjsip-service"},
                   {"connected", telephony.connected},
                   {"registeredUsers", telephony.registered_users},
                   {"timestamp", wire::format_time(calls::now_ms())},
                   {"version", services.version},
                   {"uptimeSeconds", uptime.count()},
                   {"activeCalls", services.calls.size()},
                   {"instance", services.instance_id.empty() ? nlohmann::json(nullptr) : nlohmann::json(services.instance_id)},
               });
}

}  // namespace ff::api
