// Errors name the entry ("users[1].password ..."), so the page can point at the row that is wrong.
#include "api/connection_check_json.hpp"

#include <algorithm>

#include "api/fields.hpp"
#include "config/settings_validation.hpp"

namespace ff::api {
namespace {

constexpr std::size_t most_accounts = 100;

const char* to_string(calls::StepStatus status) {
    switch (status) {
        case calls::StepStatus::ok:
            return "ok";
        case calls::StepStatus::failed:
            return "failed";
        case calls::StepStatus::skipped:
            break;
    }
    return "skipped";
}

ApiResult<calls::CheckAccount> account_to_check(const nlohmann::json& entry, const std::string& name,
                                                const std::vector<config::SipUser>& saved) {
    if (!entry.is_object()) return validation_error(name + " must be an object");
    auto extension = required_string(entry, "extension", 16);
    if (!extension) return validation_error(name + "." + extension.error().message);
    auto username = required_string(entry, "username", 64);
    if (!username) return validation_error(name + "." + username.error().message);
    config::SipUser user{*username, {}, *extension, {}};
    const auto password = entry.find("password");
    if (password != entry.end() && !password->is_null()) {
        if (!password->is_string() || password->get_ref<const std::string&>().empty())
            return validation_error(name + ".password must be a non-empty string");
        user.password = password->get<std::string>();
    } else {
        const auto found = std::find_if(saved.begin(), saved.end(), [&](const config::SipUser& known) {
            return known.extension == *extension;
        });
        if (found == saved.end())
            return validation_error(name + ".password is required: extension " + *extension +
                                    " has no saved password");
        user.password = found->password;
    }
    if (const auto problems = config::validate_sip_user(user); !problems.empty())
        return validation_error(name + "." + problems.front().message);
    return calls::CheckAccount{user.extension, user.username, user.password};
}

}  // namespace

ApiResult<std::vector<calls::CheckAccount>> accounts_to_check(const nlohmann::json& body,
                                                              const std::vector<config::SipUser>& saved) {
    std::vector<calls::CheckAccount> accounts;
    const auto users = body.find("users");
    if (users == body.end() || users->is_null()) {
        for (const auto& user : saved) accounts.push_back({user.extension, user.username, user.password});
        return accounts;
    }
    if (!users->is_array())
        return validation_error("users must be an array of {extension, username, password}");
    if (users->size() > most_accounts)
        return validation_error("users may list at most " + std::to_string(most_accounts) + " accounts");
    for (std::size_t index = 0; index < users->size(); ++index) {
        auto account = account_to_check((*users)[index], "users[" + std::to_string(index) + "]", saved);
        if (!account) return account.error();
        accounts.push_back(std::move(account.value()));
    }
    return accounts;
}

nlohmann::json to_json(const calls::ConnectionReport& report) {
    nlohmann::json steps = nlohmann::json::array();
    for (const auto& step : report.steps) {
        nlohmann::json shown{{"step", step.step},
                             {"title", step.title},
                             {"status", to_string(step.status)},
                             {"outcome", step.outcome},
                             {"message", step.message}};
        if (!step.address.empty()) shown["address"] = step.address;
        if (step.rtt_ms) shown["rttMs"] = *step.rtt_ms;
        if (step.sip_status) shown["sipStatus"] = *step.sip_status;
        if (!step.extension.empty()) shown["extension"] = step.extension;
        if (!step.username.empty()) shown["username"] = step.username;
        steps.push_back(std::move(shown));
    }
    return {{"success", true}, {"ok", report.ok()}, {"steps", std::move(steps)}};
}

}  // namespace ff::api
