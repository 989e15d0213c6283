// Each variable is read by one small function; errors are collected so one start-up shows them all.
#include "config/config_loader.hpp"

#include "config/address_allow_list.hpp"
#include "config/media_settings.hpp"
#include "config/redis_url.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>

namespace ff::config {
namespace {

constexpr std::string_view zoneinfo_dir = "/usr/share/zoneinfo";

class Loader {
  public:
    explicit Loader(const std::map<std::string, std::string>& env) : env_(env) {}

    // The trimmed value, or nullopt when the variable is unset or blank (then the default applies).
    std::optional<std::string_view> get(const std::string& name) const {
        const auto found = env_.find(name);
        if (found == env_.end()) return std::nullopt;
        const std::string_view value = trim_blanks(found->second);
        if (value.empty()) return std::nullopt;
        return value;
    }

    void fail(std::string variable, std::string_view shown, std::string expected) {
        errors_.push_back({std::move(variable), printable(shown), std::move(expected)});
    }

    template <class Int>
    void integer(const std::string& name, std::int64_t min, std::int64_t max, Int& target) {
        const auto value = get(name);
        if (!value) return;
        if (const auto number = parse_integer(*value, min, max)) {
            target = static_cast<Int>(*number);
        } else {
            fail(name, *value, "an integer from " + std::to_string(min) + " to " + std::to_string(max));
        }
    }

    // One of `choices` (compared lower-case); stored lower-case.
    std::optional<std::string> choice(const std::string& name,
                                      std::initializer_list<std::string_view> choices, std::string expected) {
        const auto value = get(name);
        if (!value) return std::nullopt;
        const std::string lower = to_lower_ascii(*value);
        for (const auto candidate : choices) {
            if (lower == candidate) return lower;
        }
        fail(name, *value, std::move(expected));
        return std::nullopt;
    }

    // Comma-separated items, each trimmed; empty items are dropped. Nothing when the variable is unset.
    std::optional<std::vector<std::string>> list(const std::string& name) const {
        const auto value = get(name);
        if (!value) return std::nullopt;
        std::vector<std::string> items;
        std::size_t start = 0;
        while (start <= value->size()) {
            const auto comma = value->find(',', start);
            const auto item = trim_blanks(value->substr(start, comma == std::string_view::npos ? comma : comma - start));
            if (!item.empty()) items.emplace_back(item);
            start = comma == std::string_view::npos ? value->size() + 1 : comma + 1;
        }
        return items;
    }

    std::vector<ConfigError> take_errors() { return std::move(errors_); }

  private:
    const std::map<std::string, std::string>& env_;
    std::vector<ConfigError> errors_;
};

bool is_url_scheme(std::string_view scheme) {
    if (scheme.empty()) return false;
    const auto letter = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
    if (!letter(scheme.front())) return false;
    for (const char c : scheme) {
        if (!letter(c) && !(c >= '0' && c <= '9') && c != '+' && c != '-' && c != '.') return false;
    }
    return true;
}

std::string host_port_text(const HostPort& address, std::uint16_t default_port) {
    const bool v6 = address.host.find(':') != std::string::npos;
    return (v6 ? "[" + address.host + "]" : address.host) + ":" +
           std::to_string(address.port.value_or(default_port));
}

// "http(s)://host[:port]" as a browser sends it in Origin; a trailing '/' is forgiven and dropped.
std::optional<std::string> normalize_origin(std::string_view text) {
    if (text.ends_with('/')) text.remove_suffix(1);
    const auto separator = text.find("://");
    if (separator == text.npos) return std::nullopt;
    const std::string scheme = to_lower_ascii(text.substr(0, separator));
    if (scheme != "http" && scheme != "https") return std::nullopt;
    const std::string_view authority = text.substr(separator + 3);
    if (authority.find_first_of("/?#@") != authority.npos) return std::nullopt;
    if (!parse_host_port(authority)) return std::nullopt;
    return scheme + "://" + to_lower_ascii(authority);
}

// A zone name must stay inside the zoneinfo tree and name a compiled zone file ("TZif" magic).
bool is_time_zone(std::string_view name) {
    if (name.starts_with('/') || name.find("..") != name.npos || name.find("//") != name.npos) return false;
    for (const char c : name) {
        const bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                             c == '/' || c == '_' || c == '-' || c == '+';
        if (!allowed) return false;
    }
    const std::filesystem::path file = std::filesystem::path(zoneinfo_dir) / std::string(name);
    std::error_code error;
    if (!std::filesystem::is_regular_file(file, error)) return false;
    std::ifstream stream(file, std::ios::binary);
    char magic[4] = {};
    stream.read(magic, sizeof magic);
    return stream.gcount() == 4 && std::string_view(magic, 4) == "TZif";
}

// Empty when `path` names a readable regular file, else what is wrong with it.
std::string file_problem(const std::string& path) {
    std::error_code error;
    const auto status = std::filesystem::status(path, error);
    if (error || !std::filesystem::exists(status)) return "an existing file (not found)";
    if (!std::filesystem::is_regular_file(status)) return "a regular file (this is not one)";
    std::ifstream stream(path, std::ios::binary);
    if (!stream) return "a file the service may read (permission denied?)";
    return {};
}

// SIP_TLS_CERT and SIP_TLS_KEY come together; SIP_TLS_CA and SIP_TLS_LISTEN only with them. The files'
// contents (PEM, key matching the certificate) are checked when the SIP stack starts.
void load_tls(Loader& loader, ServiceConfig& config) {
    const auto file = [&loader](const char* name, std::string& target) {
        const auto value = loader.get(name);
        if (!value) return;
        target = std::string(*value);
        if (auto problem = file_problem(target); !problem.empty()) loader.fail(name, *value, problem);
    };
    file("SIP_TLS_CERT", config.sip_tls_cert);
    file("SIP_TLS_KEY", config.sip_tls_key);
    file("SIP_TLS_CA", config.sip_tls_ca);
    const bool cert = !config.sip_tls_cert.empty();
    const bool key = !config.sip_tls_key.empty();
    if (cert && !key) loader.fail("SIP_TLS_KEY", "", "the private key of SIP_TLS_CERT (a PEM file)");
    if (key && !cert) loader.fail("SIP_TLS_CERT", "", "the certificate of SIP_TLS_KEY (a PEM file)");
    if (!cert && !config.sip_tls_ca.empty())
        loader.fail("SIP_TLS_CA", config.sip_tls_ca, "nothing unless SIP_TLS_CERT and SIP_TLS_KEY are set");
    const auto listen = loader.get("SIP_TLS_LISTEN");
    if (listen && !cert) {
        loader.fail("SIP_TLS_LISTEN", *listen, "nothing unless SIP_TLS_CERT and SIP_TLS_KEY are set");
        return;
    }
    if (!cert) return;
    if (listen) {
        if (const auto port = parse_integer(*listen, 1, 65535)) {
            const auto host = parse_host_port(config.sip_listen);
            config.sip_tls_listen = host_port_text({host ? host->host : "0.0.0.0", std::nullopt},
                                                   static_cast<std::uint16_t>(*port));
        } else if (const auto parsed = parse_host_port(*listen); parsed && parsed->port) {
            config.sip_tls_listen = host_port_text(*parsed, 5061);
        } else {
            loader.fail("SIP_TLS_LISTEN", *listen, "host:port or a port, e.g. 0.0.0.0:5061");
        }
        return;
    }
    // The custom of SIP: TLS one port above the plain listener (5060 -> 5061).
    const auto plain = parse_host_port(config.sip_listen);
    if (!plain || !plain->port || *plain->port == 65535) {
        loader.fail("SIP_TLS_LISTEN", "", "host:port, since SIP_LISTEN's port + 1 is no port");
        return;
    }
    config.sip_tls_listen =
        host_port_text({plain->host, std::nullopt}, static_cast<std::uint16_t>(*plain->port + 1));
}

void load_network(Loader& loader, ServiceConfig& config) {
    loader.integer("PORT", 1, 65535, config.port);
    if (const auto host = loader.get("HOST")) {
        if (const auto parsed = parse_host_port(*host); parsed && !parsed->port) {
            config.host = parsed->host;
        } else {
            loader.fail("HOST", *host, "an IP address or host name to listen on, e.g. 0.0.0.0");
        }
    }
    if (const auto listen = loader.get("SIP_LISTEN")) {
        if (const auto port = parse_integer(*listen, 1, 65535)) {
            config.sip_listen = "0.0.0.0:" + std::to_string(*port);
        } else if (const auto parsed = parse_host_port(*listen)) {
            config.sip_listen = host_port_text(*parsed, 5060);
        } else {
            loader.fail("SIP_LISTEN", *listen, "host:port or a port, e.g. 0.0.0.0:5060");
        }
    }
    load_tls(loader, config);
    loader.integer("HTTP_THREADS", 1, 16, config.http_threads);
    loader.integer("DATABASE_POOL_SIZE", 1, 32, config.database_pool_size);
    loader.integer("MAX_BODY_BYTES", 1024, 10'485'760, config.max_body_bytes);
    if (const auto origins = loader.get("CORS_ORIGIN")) {
        std::vector<std::string> list;
        std::size_t start = 0;
        bool ok = true;
        while (start <= origins->size()) {
            const auto comma = origins->find(',', start);
            const std::string_view item =
                trim_blanks(origins->substr(start, comma == std::string_view::npos ? comma : comma - start));
            start = comma == std::string_view::npos ? origins->size() + 1 : comma + 1;
            if (item == "*") {
                list.emplace_back("*");
            } else if (auto origin = normalize_origin(item)) {
                list.push_back(std::move(*origin));
            } else {
                ok = false;
            }
        }
        if (ok && list.size() > 1 && std::find(list.begin(), list.end(), "*") != list.end()) ok = false;
        if (ok) {
            config.cors_origins = std::move(list);
        } else {
            loader.fail("CORS_ORIGIN", *origins,
                        "* alone, or a comma-separated list of origins like https://crm.example.com[:port]");
        }
    }
    loader.integer("WEBHOOK_TIMEOUT_SECONDS", 1, 120, config.webhook_timeout_seconds);
    loader.integer("WEBHOOK_RETRY_MAX_SECONDS", 1, 86400, config.webhook_retry_max_seconds);
    loader.integer("WEBHOOK_RETRY_HOURS", 1, 720, config.webhook_retry_hours);
    if (auto allowed = loader.list("METRICS_ALLOW")) {
        std::string bad;
        if (!AddressAllowList::parse(*allowed, bad))
            return loader.fail("METRICS_ALLOW", bad, "addresses or networks, e.g. 127.0.0.1,10.0.0.0/8,::1");
        config.metrics_allow = std::move(*allowed);
    }
}

// SMS_*: the gateway as a URL template, a method, a body template and headers; the texts; the interval.
void load_sms(Loader& loader, ServiceConfig& config) {
    if (const auto url = loader.get("SMS_GATEWAY_URL")) {
        config.sms_gateway_url = std::string(*url);
        const bool http = url->starts_with("http://") || url->starts_with("https://");
        if (!http || url->find_first_of(" \t\r\n") != std::string_view::npos)
            loader.fail("SMS_GATEWAY_URL", "(not shown: it may hold the gateway's key)",
                        "an http:// or https:// URL with {phone} and {text}, e.g. https://sms.ru/sms/send?api_id=KEY&to={phone}&msg={text}");
    }
    if (const auto method = loader.get("SMS_GATEWAY_METHOD")) {
        config.sms_gateway_method = std::string(*method);
        if (*method != "GET" && *method != "POST") loader.fail("SMS_GATEWAY_METHOD", *method, "GET or POST");
    }
    if (const auto body = loader.get("SMS_GATEWAY_BODY")) config.sms_gateway_body = std::string(*body);
    if (const auto type = loader.get("SMS_GATEWAY_CONTENT_TYPE")) config.sms_gateway_content_type = std::string(*type);
    if (const auto headers = loader.get("SMS_GATEWAY_HEADERS")) {
        if (auto parsed = parse_header_list(*headers)) {
            config.sms_gateway_headers = std::move(*parsed);
        } else {
            loader.fail("SMS_GATEWAY_HEADERS", "(not shown: it may hold the gateway's key)",
                        "Name: value pairs separated by ';', e.g. Authorization: Bearer KEY; X-Sender: FoodFlow");
        }
    }
    if (const auto text = loader.get("SMS_MISSED_TEXT")) config.sms_missed_text = std::string(*text);
    if (const auto text = loader.get("SMS_ORDER_TEXT")) config.sms_order_text = std::string(*text);
    loader.integer("SMS_MIN_INTERVAL_MINUTES", 0, 100000, config.sms_min_interval_minutes);
}

void load_pbx(Loader& loader, ServiceConfig& config) {
    PbxSettings& pbx = config.pbx;
    if (const auto server = loader.get("SIP_SERVER")) {
        pbx.server = std::string(*server);
        if (!is_host(*server))
            loader.fail("SIP_SERVER", *server, "a host name or an IP address without a port");
    }
    loader.integer("SIP_PORT", 1, 65535, pbx.port);
    loader.integer("SIP_REGISTER_EXPIRES", 30, 3600, config.sip_register_expires);
    loader.integer("SIP_PBX_PROBE_INTERVAL", 0, 60, config.sip_pbx_probe_interval);
    if (const auto agent = loader.get("SIP_USER_AGENT")) {
        config.sip_user_agent = std::string(*agent);
        // It goes into every SIP message as it is: a line break would start a header of its own.
        if (std::any_of(agent->begin(), agent->end(), [](unsigned char c) { return c < 0x20 || c == 0x7f; }))
            loader.fail("SIP_USER_AGENT", *agent, "one line of printable text");
    }
    loader.integer("SIP_RING_TIMEOUT", 5, 600, config.sip_ring_timeout);
    loader.integer("MAX_CONCURRENT_CALLS", 0, 100000, config.max_concurrent_calls);
    loader.integer("MAX_CALLS_PER_SECOND", 0, 100000, config.max_calls_per_second);
    loader.integer("SIP_MAX_DELAY_MS", 0, 10000, config.sip_max_delay_ms);
    if (auto order = loader.list("CALLER_ID_ORDER")) {
        for (auto& source : *order)
            std::transform(source.begin(), source.end(), source.begin(), [](unsigned char c) { return std::tolower(c); });
        const bool known = !order->empty() && std::all_of(order->begin(), order->end(), [](const std::string& source) {
            return source == "pai" || source == "rpid" || source == "from";
        });
        if (known) {
            config.caller_id_order = std::move(*order);
        } else {
            loader.fail("CALLER_ID_ORDER", *loader.get("CALLER_ID_ORDER"),
                        "a comma-separated order of pai, rpid and from, e.g. pai,rpid,from");
        }
    }
    if (auto order = loader.list("DIALLED_NUMBER_ORDER")) {
        for (auto& source : *order)
            std::transform(source.begin(), source.end(), source.begin(), [](unsigned char c) { return std::tolower(c); });
        const bool known = !order->empty() && std::all_of(order->begin(), order->end(), [](const std::string& source) {
            return source == "pcpid" || source == "diversion" || source == "history" || source == "to" || source == "ruri";
        });
        if (known) {
            config.dialled_number_order = std::move(*order);
        } else {
            loader.fail("DIALLED_NUMBER_ORDER", *loader.get("DIALLED_NUMBER_ORDER"),
                        "a comma-separated order of pcpid, diversion, history, to and ruri, e.g. pcpid,diversion,to");
        }
    }
    if (const auto names = loader.get("DIALLED_NAMES")) {
        if (auto parsed = parse_dialled_names(*names)) {
            config.dialled_names = std::move(*parsed);
        } else {
            loader.fail("DIALLED_NAMES", *names, "number=name pairs separated by ';', e.g. +74951234567=Пицца на Ленина");
        }
    }
    if (const auto header = loader.get("IVR_HEADER")) {
        config.ivr_header = std::string(*header);
        if (!is_header_name(*header)) loader.fail("IVR_HEADER", *header, "a SIP header name, e.g. X-IVR-Choice");
    }
    loader.integer("SIP_DIALOG_PROBE_INTERVAL", 0, 3600, config.sip_dialog_probe_interval);
    loader.integer("SIP_DEVICE_MIN_EXPIRES", 1, 3600, config.sip_device_min_expires);
    loader.integer("SIP_DEVICE_MAX_EXPIRES", 1, 86400, config.sip_device_max_expires);
    if (config.sip_device_min_expires > config.sip_device_max_expires) {
        loader.fail("SIP_DEVICE_MIN_EXPIRES", std::to_string(config.sip_device_min_expires),
                    "seconds not above SIP_DEVICE_MAX_EXPIRES (" +
                        std::to_string(config.sip_device_max_expires) + ")");
    }
    loader.integer("SIP_AUTH_MAX_FAILURES", 0, 1000, config.sip_auth_max_failures);
    loader.integer("SIP_AUTH_LOCKOUT", 1, 86400, config.sip_auth_lockout);
    loader.integer("SIP_RATE_LIMIT_PER_SOURCE", 0, 10000, config.sip_rate_limit_per_source);
    loader.integer("SIP_RATE_LIMIT_BURST", 1, 100000, config.sip_rate_limit_burst);
    if (const auto format = loader.get("DIAL_FORMAT")) {
        if (*format == "e164") {
            config.dial_format = DialFormat::e164;
        } else if (*format == "national") {
            config.dial_format = DialFormat::national;
        } else if (*format == "as_typed") {
            config.dial_format = DialFormat::as_typed;
        } else {
            loader.fail("DIAL_FORMAT", *format, "e164, national or as_typed");
        }
    }
    if (const auto transport = loader.get("SIP_TRANSPORT")) {
        if (const auto parsed = parse_sip_transport(*transport)) {
            pbx.transport = *parsed;
        } else {
            loader.fail("SIP_TRANSPORT", *transport, "UDP, TCP or TLS");
        }
    }
    loader.integer("RTP_PORT_MIN", 1024, 65535, pbx.rtp_port_min);
    loader.integer("RTP_PORT_MAX", 1024, 65535, pbx.rtp_port_max);
    if (pbx.rtp_port_min > pbx.rtp_port_max) {
        loader.fail("RTP_PORT_MIN", std::to_string(pbx.rtp_port_min),
                    "a port not above RTP_PORT_MAX (" + std::to_string(pbx.rtp_port_max) + ")");
    }
    if (const auto stun = loader.get("STUN_SERVER")) {
        pbx.stun_server = std::string(*stun);
        if (!parse_host_port(*stun))
            loader.fail("STUN_SERVER", *stun, "host or host:port, e.g. stun.l.google.com:19302");
    }
    if (const auto users = loader.get("SIP_USERS")) {
        SipUsersParse parsed = parse_sip_users(*users);
        for (const auto& error : parsed.errors) {
            loader.fail("SIP_USERS", error.shown_entry,
                        "entry " + std::to_string(error.entry) +
                            " as username:password:extension:displayName; " + error.expected);
        }
        config.users = std::move(parsed.users);
    }
}

// MEDIA and what only it uses; RTP_PORT_MIN/MAX and STUN_SERVER are the PBX settings' (load_pbx).
void load_media(Loader& loader, ServiceConfig& config) {
    if (const auto mode = loader.choice("MEDIA", {"passthrough", "rtpengine"}, "passthrough or rtpengine")) {
        config.media = *mode == "rtpengine" ? MediaMode::rtpengine : MediaMode::passthrough;
    }
    if (const auto urls = loader.get("RTPENGINE_URL")) {
        std::string error;
        if (auto parsed = parse_rtpengine_urls(*urls, error)) {
            config.rtpengine_urls = std::move(*parsed);
        } else {
            loader.fail("RTPENGINE_URL", *urls, "udp:host:port[,udp:host:port...]; " + error);
        }
        // Unless MEDIA itself is wrong (one error is enough), rtpengines without MEDIA=rtpengine are a mistake.
        const auto mode = loader.get("MEDIA");
        if (config.media == MediaMode::passthrough && (!mode || to_lower_ascii(*mode) == "passthrough")) {
            loader.fail("RTPENGINE_URL", *urls, "no value while MEDIA is passthrough (set MEDIA=rtpengine to use it)");
        }
    }
    if (const auto listen = loader.get("RTPENGINE_DTMF_LISTEN")) {
        const auto parsed = parse_host_port(*listen);
        if (parsed && parsed->port && (is_ipv4_address(parsed->host) || is_ipv6_address(parsed->host))) {
            config.rtpengine_dtmf_host = parsed->host;
            config.rtpengine_dtmf_port = *parsed->port;
        } else {
            loader.fail("RTPENGINE_DTMF_LISTEN", *listen, "an address and port, e.g. 127.0.0.1:22223 (rtpengine's dtmf-log-dest)");
        }
    }
    for (const auto& [name, target] : {std::pair{"MEDIA_ADDRESS", &config.media_address},
                                       std::pair{"MEDIA_PUBLIC_ADDRESS", &config.media_public_address}}) {
        if (const auto address = loader.get(name)) {
            if (is_ipv4_address(*address) || is_ipv6_address(*address)) {
                *target = std::string(*address);
            } else {
                loader.fail(name, *address, "an IPv4 or IPv6 address, e.g. 203.0.113.10");
            }
        }
    }
    if (const auto music = loader.get("MOH_FILE")) {
        const std::string path(*music);
        if (path == "none") {
            config.moh_file = path;  // silence, said on purpose (app/ then leaves the shipped music out)
        } else if (const std::string problem = file_problem(path); !problem.empty()) {
            loader.fail("MOH_FILE", *music, "an audio file rtpengine can play (WAV, MP3, Ogg): " + problem);
        } else {
            config.moh_file = std::filesystem::absolute(path).string();  // rtpengine runs in another directory
        }
    }
    if (const auto mode = loader.choice("RECORDING", {"off", "all", "on-demand"}, "off, all or on-demand")) {
        config.recording = *mode == "all"         ? RecordingMode::all
                           : *mode == "on-demand" ? RecordingMode::on_demand
                                                  : RecordingMode::off;
        if (config.recording != RecordingMode::off && config.media != MediaMode::rtpengine)
            loader.fail("RECORDING", *mode, "off while MEDIA is passthrough (rtpengine records: set MEDIA=rtpengine)");
    }
    if (const auto dir = loader.get("RECORDING_DIR")) config.recording_dir = std::string(*dir);
    loader.integer("RECORDING_RETENTION_DAYS", 0, 36500, config.recording_retention_days);
    if (const auto binary = loader.get("RTPENGINE_BINARY")) {
        const std::string path(*binary);
        if (const std::string problem = file_problem(path); !problem.empty()) {
            loader.fail("RTPENGINE_BINARY", *binary, "the path of the rtpengine program: " + problem);
        } else {
            config.rtpengine_binary = path;
        }
    }
}

// Operators' states: wrap-up, which states make a line busy, the pause reasons; how far back the callback
// list looks; the queues' figures.
void load_operators(Loader& loader, ServiceConfig& config) {
    loader.integer("WRAPUP_SECONDS", 0, 3600, config.wrapup_seconds);
    loader.integer("CALLBACK_DAYS", 1, 365, config.callback_days);
    loader.integer("QUEUE_SHORT_ABANDON_SECONDS", 0, 600, config.queue_short_abandon_seconds);
    loader.integer("QUEUE_SERVICE_LEVEL_SECONDS", 1, 3600, config.queue_service_level_seconds);
    if (auto states = loader.list("BUSY_WHEN")) {
        if (states->size() == 1 && to_lower_ascii((*states)[0]) == "none") states->clear();
        for (auto& state : *states) {
            state = to_lower_ascii(state);
            if (state != "paused" && state != "wrapup" && state != "oncall" && state != "offline") {
                loader.fail("BUSY_WHEN", state, "a comma-separated list of paused, wrapup, oncall, offline (or none)");
                return;
            }
        }
        config.busy_when = std::move(*states);
    }
    if (auto reasons = loader.list("PAUSE_REASONS")) {
        if (reasons->empty()) return loader.fail("PAUSE_REASONS", ",", "at least one reason, e.g. обед,обучение");
        for (const auto& reason : *reasons) {
            if (reason.size() > 64) return loader.fail("PAUSE_REASONS", reason, "reasons of at most 64 bytes");
        }
        config.pause_reasons = std::move(*reasons);
    }
}

void load_storage(Loader& loader, ServiceConfig& config) {
    if (const auto url = loader.get("DATABASE_URL")) {
        const auto colon = url->find(':');
        if (colon != std::string_view::npos && is_url_scheme(url->substr(0, colon)) &&
            colon + 1 < url->size()) {
            config.database_url = std::string(*url);
        } else {
            loader.fail(
                "DATABASE_URL", mask_url_password(*url),
                "scheme:location, e.g. sqlite:./data/calls.db or postgresql://user:pass@host:5432/db");
        }
    }
    if (const auto url = loader.get("REDIS_URL"); url && !url->empty()) {
        std::string error;
        if (parse_redis_url(*url, error)) {
            config.redis_url = std::string(*url);
        } else {
            loader.fail("REDIS_URL", mask_url_password(*url), error);
        }
    }
    if (const auto id = loader.get("INSTANCE_ID")) {
        if (is_instance_id(*id)) {
            config.instance_id = std::string(*id);
        } else {
            loader.fail("INSTANCE_ID", *id, "1 to 64 letters, digits, '.', '_' or '-'");
        }
    }
    if (const auto dir = loader.get("DATA_DIR")) config.data_dir = std::string(*dir);
    if (const auto dir = loader.get("SPOOL_DIR")) config.spool_dir = std::string(*dir);
    if (const auto dir = loader.get("WEB_DIR")) config.web_dir = std::string(*dir);
}

void load_service(Loader& loader, ServiceConfig& config) {
    if (const auto region = loader.get("DEFAULT_REGION")) {
        const std::string upper = to_upper_ascii(*region);
        if (is_supported_region(upper)) {
            config.default_region = upper;
        } else {
            loader.fail("DEFAULT_REGION", *region,
                        "a two-letter region code known to libphonenumber, e.g. RU");
        }
    }
    if (auto zone = loader.get("TZ")) {
        if (zone->starts_with(':')) zone->remove_prefix(1);  // POSIX allows ":Europe/Moscow"
        if (is_time_zone(*zone)) {
            config.timezone = std::string(*zone);
        } else {
            loader.fail("TZ", *zone,
                        "a time zone name such as Europe/Moscow (a file under /usr/share/zoneinfo)");
        }
    }
    if (const auto token = loader.get("ADMIN_TOKEN")) {
        bool ok = token->size() >= 24 && token->size() <= 256;
        for (const char c : *token) ok = ok && c > 0x20 && c < 0x7F;
        if (ok) {
            config.admin_token = std::string(*token);
        } else {
            loader.fail("ADMIN_TOKEN", "***", "at least 24 printable characters without spaces");
        }
    }
    if (const auto url = loader.get("CUSTOMER_LOOKUP_URL")) {
        const auto parsed = parse_http_url(*url);
        if (parsed && parsed->target.find("{phone}") != std::string::npos) {
            config.customer_lookup_url = std::string(*url);
        } else {
            loader.fail("CUSTOMER_LOOKUP_URL", mask_url_password(*url),
                        "empty or an http:// URL with {phone} in its path or query "
                        "(https is not supported), e.g. http://crm.local/api/customers?phone={phone}");
        }
    }
    loader.integer("CUSTOMER_LOOKUP_TIMEOUT_MS", 50, 10'000, config.customer_lookup_timeout_ms);
    if (auto level = loader.choice("LOG_LEVEL", {"trace", "debug", "info", "warn", "error"},
                                   "trace, debug, info, warn or error")) {
        config.log_level = std::move(*level);
    }
    if (const auto format = loader.choice("LOG_FORMAT", {"text", "json"}, "text or json")) {
        config.log_format = *format == "json" ? LogFormat::json : LogFormat::text;
    }
    // NODE_ENV is accepted for compatibility with the seed's .env and has no effect.
}

}  // namespace

LoadResult load_config(const std::map<std::string, std::string>& env) {
    Loader loader(env);
    LoadResult result;
    load_network(loader, result.config);
    load_pbx(loader, result.config);
    load_sms(loader, result.config);
    load_media(loader, result.config);
    load_operators(loader, result.config);
    load_storage(loader, result.config);
    load_service(loader, result.config);
    result.errors = loader.take_errors();
    return result;
}

std::string format_errors(const std::vector<ConfigError>& errors) {
    std::string text;
    for (const auto& error : errors) {
        text +=
            error.variable + "=\"" + error.shown_value + "\" is invalid: expected " + error.expected + "\n";
    }
    return text;
}

}  // namespace ff::config
