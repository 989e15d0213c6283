// Reads the configuration at start-up: the process environment over the .env file, all values checked.
#pragma once

#include <string>

#include "calls/result.hpp"
#include "config/service_config.hpp"

namespace ff::app {

// On error the message lists every wrong variable, one per line, passwords masked.
calls::Result<config::ServiceConfig> load_startup_config(const std::string& env_file);

// Human summary for --check-config, secrets masked.
std::string describe_config(const config::ServiceConfig& config);

}  // namespace ff::app
