// Field names follow the settings page's form (camelCase) so that errors can point at an input.
#include "api/settings_json.hpp"

namespace ff::api {

nlohmann::json to_json(const config::PbxSettings& pbx) {
    return {
        {"server", pbx.server},
        {"port", pbx.port},
        {"transport", config::to_string(pbx.transport)},
        {"rtpPortMin", pbx.rtp_port_min},
        {"rtpPortMax", pbx.rtp_port_max},
        {"stunServer", pbx.stun_server},
    };
}

nlohmann::json to_json(const config::SipUser& user, const calls::TelephonyStatus& telephony) {
    nlohmann::json shown{
        {"extension", user.extension},
        {"username", user.username},
        {"displayName", user.display_name},
        {"passwordSet", !user.password.empty()},
        {"registered", false},
        {"deviceRegistered", false},
        {"detail", ""},
    };
    for (const auto& line : telephony.lines) {
        if (line.extension != user.extension) continue;
        shown["registered"] = line.registered;
        shown["deviceRegistered"] = line.device_registered;
        shown["detail"] = line.detail;
    }
    return shown;
}

ApiError settings_error(const std::vector<config::FieldError>& errors) {
    std::string message;
    for (const auto& error : errors) message += (message.empty() ? "" : "; ") + error.message;
    return validation_error(message);
}

}  // namespace ff::api
