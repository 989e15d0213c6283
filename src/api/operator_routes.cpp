// The operators' states: GET /api/operators for the board, POST /api/operators/:extension/status for the
// operator's own choice (available or paused with a reason). An operator's token sets only its own
// extension; supervisors and admins any.
#include "api/api_error.hpp"
#include "api/fields.hpp"
#include "api/route_handlers.hpp"
#include "calls/operator_board.hpp"
#include "config/live_settings.hpp"
#include "wire/operator_json.hpp"

namespace ff::api {

using http::beast_http::status;
using nlohmann::json;

namespace {

json operator_json(const calls::OperatorStatus& state, const config::SipUser& user) {
    json shown = wire::to_json(state);
    shown["name"] = user.display_name;
    return shown;
}

}  // namespace

void handle_list_operators(ApiServices& services, const ApiRequestPtr& request) {
    if (services.operators == nullptr)
        return reply_error(request, from_error(calls::make_error(calls::ErrorCode::unavailable, "no operator board")));
    const auto& principal = request->principal;
    json listed = json::array();
    for (const auto& user : services.settings.users()) {
        if (!principal.may_see_extension(user.extension)) continue;
        listed.push_back(operator_json(services.operators->of(user.extension), user));
    }
    const auto& options = services.operators->options();
    json busy = json::array();
    for (const auto state : options.busy_when) busy.push_back(calls::to_string(state));
    reply_json(request, status::ok,
               {{"operators", listed},
                {"pauseReasons", options.pause_reasons},
                {"wrapupSeconds", options.wrapup.count()},
                {"busyWhen", busy}});
}

void handle_set_operator_status(ApiServices& services, const ApiRequestPtr& request) {
    if (services.operators == nullptr)
        return reply_error(request, from_error(calls::make_error(calls::ErrorCode::unavailable, "no operator board")));
    const std::string& extension = request->param("extension");
    const auto user = services.settings.find_user(extension);
    if (!user) return reply_error(request, not_found("no operator with extension " + extension + " (see /api/settings/users)"));
    if (!request->principal.may_see_extension(extension))
        return reply_error(request, forbidden("an operator token may set only its own status, extension " +
                                              request->principal.extension));
    auto wanted = required_string(request->body, "status", 16);
    if (!wanted) return reply_error(request, wanted.error());
    const auto state = calls::parse_operator_state(*wanted);
    if (!state) return reply_error(request, validation_error("status must be available or paused (got \"" + *wanted + "\")"));
    auto reason = optional_string(request->body, "reason", 1, 64);
    if (!reason) return reply_error(request, reason.error());
    if (*state == calls::OperatorState::paused && !reason->has_value())
        return reply_error(request, validation_error("reason is required with status paused: one of the pause reasons"));
    auto chosen = services.operators->choose(extension, *state, reason->value_or(""), calls::now_ms());
    if (!chosen) return reply_error(request, from_error(chosen.error()));
    reply_json(request, status::ok, {{"success", true}, {"operator", operator_json(chosen.value(), *user)}});
}

}  // namespace ff::api
