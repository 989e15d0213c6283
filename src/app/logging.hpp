// Log set-up: spdlog to stderr as text or JSON lines, with secrets scrubbed from every message.
#pragma once

#include <string>
#include <string_view>

#include "config/service_config.hpp"

namespace ff::app {

void setup_logging(const std::string& level, config::LogFormat format);

// Removes bearer tokens, API tokens and URL passwords from a text before it is logged.
std::string redact_secrets(std::string_view text);

}  // namespace ff::app
