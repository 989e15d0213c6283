// The "Пользователи АТС" tab: operators' PBX accounts. Passwords go in, never come out. The first change
// copies the environment's list (SIP_USERS) into the database; from then on the database list is the list.
#include <algorithm>

#include "api/fields.hpp"
#include "api/route_handlers.hpp"
#include "api/settings_json.hpp"
#include "calls/call_control.hpp"
#include "calls/queue_list.hpp"
#include "config/live_settings.hpp"
#include "store/store_worker.hpp"

namespace ff::api {
namespace {

using http::beast_http::status;
using UserList = std::vector<config::SipUser>;
// Changes the list; returns the user to show, or the error to answer.
using UserChange = std::function<ApiResult<config::SipUser>(UserList&)>;

UserList::iterator find_user(UserList& users, const std::string& extension) {
    return std::find_if(users.begin(), users.end(),
                        [&extension](const config::SipUser& user) { return user.extension == extension; });
}

// Read, change, store and apply all on the storage thread: concurrent edits cannot lose each other.
void change_users(ApiServices& services, const ApiRequestPtr& request, status success, UserChange change) {
    services.store.post([&services, request, success, change = std::move(change)](store::Storage& storage) {
        // Changing a list that cannot be read would save a list built on a guess: refuse until it can.
        auto stored = storage.load_sip_users();
        if (!stored) return reply_error_later(services, request, database_unavailable(stored.error()));
        UserList users = stored.value().value_or(services.settings.users());
        auto shown = change(users);
        if (!shown) return reply_error_later(services, request, shown.error());
        if (auto saved = storage.save_sip_users(users); !saved)
            return reply_error_later(services, request, from_error(saved.error()));
        services.settings.replace_users(users);
        reply_json_later(services, request, success,
                         {{"success", true}, {"user", to_json(shown.value(), services.control.status())}});
    });
}

ApiResult<std::optional<std::string>> password_field(const nlohmann::json& body) {
    // Passwords are taken as typed: blanks may be part of them.
    const auto found = body.find("password");
    if (found == body.end() || found->is_null()) return std::optional<std::string>{};
    if (!found->is_string()) return validation_error("password must be a string");
    const auto& text = found->get_ref<const std::string&>();
    if (text.empty() || text.size() > 128)
        return validation_error("password must be 1 to 128 characters long");
    return std::optional<std::string>{text};
}

}  // namespace

void handle_list_sip_users(ApiServices& services, const ApiRequestPtr& request) {
    const auto telephony = services.control.status();
    nlohmann::json users = nlohmann::json::array();
    for (const auto& user : services.settings.users()) users.push_back(to_json(user, telephony));
    reply_json(request, status::ok, {{"users", std::move(users)}});
}

void handle_create_sip_user(ApiServices& services, const ApiRequestPtr& request) {
    const auto& body = request->body;
    auto extension = required_string(body, "extension", 16);
    if (!extension) return reply_error(request, extension.error());
    auto username = required_string(body, "username", 64);
    if (!username) return reply_error(request, username.error());
    auto password = password_field(body);
    if (!password) return reply_error(request, password.error());
    if (!password->has_value()) return reply_error(request, validation_error("password is required"));
    auto display_name = optional_string(body, "displayName", 0, 100);
    if (!display_name) return reply_error(request, display_name.error());
    config::SipUser user{*username, **password, *extension, display_name->value_or("")};
    if (const auto problems = config::validate_sip_user(user); !problems.empty())
        return reply_error(request, settings_error(problems));
    change_users(services, request, status::created, [user](UserList& users) -> ApiResult<config::SipUser> {
        if (find_user(users, user.extension) != users.end())
            return ApiError{status::conflict, "CONFLICT", "extension " + user.extension + " already exists"};
        users.push_back(user);
        return user;
    });
}

void handle_update_sip_user(ApiServices& services, const ApiRequestPtr& request) {
    const auto& body = request->body;
    const std::string extension = request->param("extension");
    auto new_extension = optional_string(body, "extension", 0, 16);
    if (!new_extension) return reply_error(request, new_extension.error());
    if (new_extension->has_value() && **new_extension != extension)
        return reply_error(
            request, validation_error("extension cannot be changed; delete the user and create it again"));
    auto username = optional_string(body, "username", 1, 64);
    if (!username) return reply_error(request, username.error());
    auto password = password_field(body);
    if (!password) return reply_error(request, password.error());
    auto display_name = optional_string(body, "displayName", 0, 100);
    if (!display_name) return reply_error(request, display_name.error());
    change_users(services, request, status::ok,
                 [extension, username = *username, password = *password,
                  display_name = *display_name](UserList& users) -> ApiResult<config::SipUser> {
                     auto found = find_user(users, extension);
                     if (found == users.end()) return not_found("no PBX user with extension " + extension);
                     config::SipUser changed = *found;
                     if (username) changed.username = *username;
                     if (password) changed.password = *password;  // omitted: the old password stays
                     if (display_name) changed.display_name = *display_name;
                     if (const auto problems = config::validate_sip_user(changed); !problems.empty())
                         return settings_error(problems);
                     *found = changed;
                     return changed;
                 });
}

void handle_delete_sip_user(ApiServices& services, const ApiRequestPtr& request) {
    const std::string extension = request->param("extension");
    change_users(services, request, status::ok, [&services, extension](UserList& users) -> ApiResult<config::SipUser> {
        auto found = find_user(users, extension);
        if (found == users.end()) return not_found("no PBX user with extension " + extension);
        // A queue would be left with a line or a member that is not there.
        for (const auto& queue : services.queues->all()) {
            const bool member = std::any_of(queue.members.begin(), queue.members.end(),
                                            [&](const calls::QueueMember& one) { return one.extension == extension; });
            if (queue.extension == extension || member)
                return validation_error("extension " + extension + (member ? " is a member of" : " is the line of") +
                                        " queue \"" + queue.name + "\"; change the queue first (/api/queues)");
        }
        config::SipUser removed = *found;
        users.erase(found);
        return removed;
    });
}

}  // namespace ff::api
