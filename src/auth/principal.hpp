// Who is calling the API or holding a socket: the role and, for operators, their extension.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace ff::auth {

// metrics: a scraper's token, good for GET /metrics only.
enum class Role { operator_, supervisor, admin, metrics };

std::string_view to_string(Role role);
std::optional<Role> parse_role(std::string_view text);

struct Principal {
    std::string token_id;
    std::string name;
    Role role = Role::operator_;
    std::string extension;  // operators only

    bool sees_all_calls() const { return role == Role::supervisor || role == Role::admin; }
    bool may_see_extension(std::string_view other) const { return sees_all_calls() || other == extension; }
    bool is_admin() const { return role == Role::admin; }
};

}  // namespace ff::auth
