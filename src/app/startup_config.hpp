// Reads the configuration at start-up: the process environment over the .env file, all values checked.
#pragma once

#include <string>

#include "calls/result.hpp"
#include "config/service_config.hpp"

namespace ff::app {

// On error the message lists every wrong variable, one per line, passwords masked.
calls::Result<config::ServiceConfig> load_startup_config(const std::string& env_file);

// Fills config.web_dir when WEB_DIR is not set, with the pages found from the binary's own location
// (config/web_dir.hpp); WEB_DIR set is kept as it is. Returns the warning to log when there are no pages
// there (the service still starts: the API needs none), empty when they were found.
std::string settle_web_dir(config::ServiceConfig& config);

// MOH_FILE unset: the music that ships with the pages (web/media/music-on-hold.wav), when they were found.
// MOH_FILE=none: silence. Call after settle_web_dir().
void settle_music_on_hold(config::ServiceConfig& config);

// Human summary for --check-config, secrets masked.
std::string describe_config(const config::ServiceConfig& config);

}  // namespace ff::app
