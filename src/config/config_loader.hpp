// Turning the environment (process + .env) into a ServiceConfig, reporting every wrong value at once.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "config/service_config.hpp"
#include "config/settings_validation.hpp"
#include "config/value_checks.hpp"

namespace ff::config {

struct ConfigError {
    std::string variable;     // SIP_TRANSPORT
    std::string shown_value;  // the value as it may be shown: passwords and tokens replaced by ***
    std::string expected;     // "UDP, TCP or TLS"
};

struct LoadResult {
    ServiceConfig config;  // defaults where a value was missing or wrong
    std::vector<ConfigError> errors;

    bool ok() const { return errors.empty(); }
};

// Reads the variables the service knows (see service_config.hpp) and ignores all others. An empty
// value counts as unset: the default applies. Every wrong value is reported, not just the first.
LoadResult load_config(const std::map<std::string, std::string>& env);

// One line per error: SIP_TRANSPORT="SCTP" is invalid: expected UDP, TCP or TLS
std::string format_errors(const std::vector<ConfigError>& errors);

}  // namespace ff::config
