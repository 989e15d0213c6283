// `pjsip-service token create|list|revoke`: API tokens managed from the server's shell.
#pragma once

#include <string>

#include "store/storage.hpp"

namespace ff::app {

struct TokenCommand {
    std::string action;  // create | list | revoke
    std::string role = "operator";
    std::string extension;
    std::string name;
    std::string id;  // revoke
};

// Prints results on stdout (the new token only there, once) and errors on stderr; returns the exit code.
int run_token_command(const TokenCommand& command, store::Storage& storage);

}  // namespace ff::app
