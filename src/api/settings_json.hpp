// JSON form of the settings page's data; PBX passwords are never part of it.
#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "api/api_error.hpp"
#include "calls/telephony_status.hpp"
#include "config/settings_validation.hpp"

namespace ff::api {

nlohmann::json to_json(const config::PbxSettings& pbx);
// The account as the page shows it: passwordSet instead of the password, plus the line's state.
nlohmann::json to_json(const config::SipUser& user, const calls::TelephonyStatus& telephony);

// 400 naming the first wrong field, with every problem listed under "fields".
ApiError settings_error(const std::vector<config::FieldError>& errors);

}  // namespace ff::api
