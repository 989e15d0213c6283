// The environment wins over .env; every wrong value is reported at once, so one start-up fixes them all.
#include "app/startup_config.hpp"

#include <filesystem>
#include <sstream>

#include "config/config_loader.hpp"
#include "config/dotenv.hpp"
#include "config/web_dir.hpp"

namespace ff::app {

calls::Result<config::ServiceConfig> load_startup_config(const std::string& env_file) {
    const auto dotenv = config::read_dotenv_file(env_file);
    if (!dotenv.errors.empty())
        return calls::make_error(calls::ErrorCode::invalid_argument, config::format_dotenv_errors(env_file, dotenv.errors));
    auto loaded = config::load_config(config::merge_environment(dotenv.values, config::process_environment()));
    if (!loaded.ok()) return calls::make_error(calls::ErrorCode::invalid_argument, config::format_errors(loaded.errors));
    return std::move(loaded.config);
}

std::string settle_web_dir(config::ServiceConfig& config) {
    const std::string marker(config::web_dir_marker);
    if (!config.web_dir.empty()) {
        std::error_code error;
        const auto page = std::filesystem::path(config.web_dir) / marker;
        if (std::filesystem::is_regular_file(page, error)) return "";
        return "WEB_DIR=" + config.web_dir + " holds no " + marker + ": / and /admin/settings.html answer 404";
    }
    const std::string consequence =
        "/, /admin/settings.html and /socket.io/socket.io.js answer 404 (the API works); "
        "set WEB_DIR to the folder of the pages";
    const auto executable = config::running_executable();
    if (!executable)
        return "no pages: WEB_DIR is not set and /proc/self/exe cannot be read to look beside the binary; " +
               consequence;
    const auto search = config::find_web_dir(*executable);
    if (search.found) {
        config.web_dir = search.found->string();
        return "";
    }
    std::string places;
    for (const auto& place : search.looked_in) places += (places.empty() ? "" : ", ") + place.string();
    return "no pages: WEB_DIR is not set and no folder with " + marker + " was found for " +
           executable->string() + " (looked in " + places + "); " + consequence;
}

void settle_music_on_hold(config::ServiceConfig& config) {
    if (config.moh_file == "none") {
        config.moh_file.clear();
        return;
    }
    if (!config.moh_file.empty() || config.web_dir.empty()) return;
    std::error_code error;
    const auto shipped = std::filesystem::path(config.web_dir) / "media" / "music-on-hold.wav";
    if (std::filesystem::is_regular_file(shipped, error)) config.moh_file = std::filesystem::absolute(shipped).string();
}

namespace {

// MEDIA and what goes with it, for --check-config.
std::string media_summary(const config::ServiceConfig& config) {
    if (config.media != config::MediaMode::rtpengine) return "passthrough (SDP untouched)";
    std::string text = "rtpengine ";
    if (config.rtpengine_urls.empty()) {
        text += "started by the service on " +
                (config.media_address.empty() ? std::string("the address towards the PBX") : config.media_address);
    } else {
        for (const auto& url : config.rtpengine_urls) text += url + " ";
    }
    if (!config.media_public_address.empty()) text += ", advertised as " + config.media_public_address;
    text += ", music on hold " + (config.moh_file.empty() ? std::string("(none)") : config.moh_file);
    return text;
}

}  // namespace

std::string describe_config(const config::ServiceConfig& config) {
    std::ostringstream out;
    out << "configuration is valid\n"
        << "  HTTP            " << config.host << ":" << config.port << " (" << config.http_threads << " thread(s))\n"
        << "  PBX             " << (config.pbx.server.empty() ? "(not set)" : config.pbx.server) << ":"
        << config.pbx.port << " " << config::to_string(config.pbx.transport) << ", registrations of "
        << config.sip_register_expires << " s, probed every " << config.sip_pbx_probe_interval << " s\n"
        << "  PBX users       " << config.users.size() << "\n";
    for (const auto& user : config.users)
        out << "    " << user.extension << "  " << user.username << "  " << user.display_name << "  password ***\n";
    out << "  SIP listen      " << config.sip_listen << "\n"
        << "  SIP over TLS    "
        << (config.sip_tls_cert.empty()
                ? "(no certificate)"
                : config.sip_tls_listen + ", certificate " + config.sip_tls_cert + ", key ***, PBX " +
                      (config.sip_tls_ca.empty() ? "not verified" : "verified by " + config.sip_tls_ca))
        << "\n"
        << "  RTP ports       " << config.pbx.rtp_port_min << "-" << config.pbx.rtp_port_max << "\n"
        << "  STUN            " << (config.pbx.stun_server.empty() ? "(none)" : config.pbx.stun_server) << "\n"
        << "  media           " << media_summary(config) << "\n"
        << "  call log        " << config::mask_url_password(config.database_url) << " ("
        << config.database_pool_size << " connections)\n"
        << "  Redis           " << (config.redis_url.empty() ? "(none)" : config::mask_url_password(config.redis_url)) << "\n"
        << "  CORS origins    " << (config.cors_origins.empty() ? "(none)" : "") ;
    for (const auto& origin : config.cors_origins) out << origin << " ";
    out << "\n"
        << "  region, TZ      " << config.default_region << ", " << (config.timezone.empty() ? "(system)" : config.timezone) << "\n"
        << "  data dir        " << config.data_dir << "\n"
        << "  pages           " << (config.web_dir.empty() ? "(none found)" : config.web_dir) << "\n"
        << "  admin token     " << (config.admin_token.empty() ? "(first start creates one)" : "set (***)") << "\n"
        << "  customer lookup " << (config.customer_lookup_url.empty() ? "(call log only)" : config.customer_lookup_url) << "\n"
        << "  logs            " << config.log_level << ", " << (config.log_format == config::LogFormat::json ? "json" : "text") << "\n";
    return out.str();
}

}  // namespace ff::app
