// The running service picks up tokens created or revoked here within seconds (it reloads them).
#include "app/token_commands.hpp"

#include <algorithm>
#include <cstdio>
#include <iostream>

#include "auth/principal.hpp"
#include "auth/token_registry.hpp"
#include "calls/call_registry.hpp"
#include "wire/call_json.hpp"

namespace ff::app {
namespace {

int create(const TokenCommand& command, store::Storage& storage) {
    const auto role = auth::parse_role(command.role);
    if (!role) {
        std::cerr << "--role \"" << command.role << "\" is invalid: expected operator, supervisor, admin or metrics\n";
        return 2;
    }
    const bool digits = !command.extension.empty() &&
                        std::all_of(command.extension.begin(), command.extension.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (*role == auth::Role::operator_ && !digits) {
        std::cerr << "--extension is required for an operator token and must be digits, e.g. 1001\n";
        return 2;
    }
    if (command.name.empty()) {
        std::cerr << "--name is required: who the token is for\n";
        return 2;
    }
    const std::string token = auth::generate_token();
    store::TokenRecord record;
    record.id = calls::new_uuid();
    record.name = command.name;
    record.role = std::string(auth::to_string(*role));
    record.extension = *role == auth::Role::operator_ ? command.extension : std::string{};
    record.hash = auth::hash_token(token);
    record.created_at = calls::now_ms();
    if (auto status = storage.insert_token(record); !status) {
        std::cerr << "cannot store the token: " << status.error().message << "\n";
        return 1;
    }
    std::cerr << "token " << record.id << " created for " << record.name << " (" << record.role << "); it is shown only once:\n";
    std::cout << token << std::endl;
    return 0;
}

int list(store::Storage& storage) {
    const auto tokens = storage.list_tokens();
    if (!tokens) {
        std::cerr << tokens.error().message << "\n";
        return 1;
    }
    for (const auto& token : tokens.value()) {
        std::cout << token.id << "  " << token.role << "  " << (token.extension.empty() ? "-" : token.extension) << "  "
                  << token.name << "  created " << wire::format_time(token.created_at)
                  << (token.revoked_at ? "  revoked " + wire::format_time(*token.revoked_at) : std::string{}) << "\n";
    }
    return 0;
}

int revoke(const TokenCommand& command, store::Storage& storage) {
    if (auto status = storage.revoke_token(command.id, calls::now_ms()); !status) {
        std::cerr << status.error().message << "\n";
        return 1;
    }
    std::cerr << "token " << command.id << " revoked\n";
    return 0;
}

}  // namespace

int run_token_command(const TokenCommand& command, store::Storage& storage) {
    if (command.action == "create") return create(command, storage);
    if (command.action == "list") return list(storage);
    if (command.action == "revoke") return revoke(command, storage);
    std::cerr << "unknown token command \"" << command.action << "\": expected create, list or revoke\n";
    return 2;
}

}  // namespace ff::app
