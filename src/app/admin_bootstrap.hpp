// Makes sure an administrator can reach the API on a fresh install without any token ever being logged.
#pragma once

#include <string>

#include "auth/token_registry.hpp"
#include "store/token_store.hpp"

namespace ff::app {

// ADMIN_TOKEN set: that token is accepted as an admin token (only its hash is stored).
// Otherwise, when no admin token exists yet, one is created and written to <data_dir>/admin-token
// (mode 0600). Returns an error message, or empty on success. Runs at start-up, before serving.
std::string bootstrap_admin_token(store::TokenStore& store, auth::TokenRegistry& registry,
                                  const std::string& admin_token, const std::string& data_dir);

}  // namespace ff::app
