// The connection check's request (the form's values) and report in JSON.
#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "api/api_error.hpp"
#include "calls/connection_check.hpp"
#include "config/service_config.hpp"

namespace ff::api {

// "users": [{extension, username, password}] as the "Пользователи АТС" tab edits them; absent: every saved
// account. A password left out (write-only: the page never has it) is the saved one of that extension.
ApiResult<std::vector<calls::CheckAccount>> accounts_to_check(const nlohmann::json& body,
                                                              const std::vector<config::SipUser>& saved);

nlohmann::json to_json(const calls::ConnectionReport& report);

}  // namespace ff::api
