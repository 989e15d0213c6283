// Role names as tokens, the API and the CLI spell them.
#include "auth/principal.hpp"

namespace ff::auth {

std::string_view to_string(Role role) {
    switch (role) {
        case Role::operator_:
            return "operator";
        case Role::supervisor:
            return "supervisor";
        case Role::admin:
            return "admin";
        case Role::metrics:
            return "metrics";
    }
    return "operator";
}

std::optional<Role> parse_role(std::string_view text) {
    if (text == "operator") return Role::operator_;
    if (text == "supervisor") return Role::supervisor;
    if (text == "admin") return Role::admin;
    if (text == "metrics") return Role::metrics;
    return std::nullopt;
}

}  // namespace ff::auth
