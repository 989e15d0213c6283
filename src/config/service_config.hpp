// Every setting of the service, as read from the environment / .env and then from the database.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ff::config {

enum class SipTransport { udp, tcp, tls };

struct SipUser {
    std::string username;  // PBX login
    std::string password;  // PBX password: never logged, never returned by the API
    std::string extension;
    std::string display_name;

    bool operator==(const SipUser&) const = default;
};

// How a number the service calls is written in the INVITE to the PBX.
enum class DialFormat {
    e164,      // +79991234567
    national,  // 89991234567: the national prefix of DEFAULT_REGION, no country code
    as_typed,  // the digits the operator typed (and a leading +), nothing added
};

// What the settings page edits (tab "Настройки АТС"); stored in the database once saved there.
struct PbxSettings {
    std::string server;  // SIP_SERVER, empty: no PBX configured yet
    std::uint16_t port = 5060;
    SipTransport transport = SipTransport::udp;
    std::uint16_t rtp_port_min = 5700;
    std::uint16_t rtp_port_max = 5750;
    std::string stun_server;  // host:port or empty

    bool operator==(const PbxSettings&) const = default;
};

enum class LogFormat { text, json };

// Where a call's RTP flows: straight between phone and PBX, or through rtpengine (README "Configuration").
enum class MediaMode { passthrough, rtpengine };
// RECORDING: no call is recorded, every answered call is, or the operators start and stop it per call.
enum class RecordingMode { off, all, on_demand };

struct ServiceConfig {
    std::string host = "0.0.0.0";  // HOST
    std::uint16_t port = 3009;     // PORT
    PbxSettings pbx;               // SIP_SERVER, SIP_PORT, SIP_TRANSPORT, RTP_PORT_MIN/MAX, STUN_SERVER
    std::vector<SipUser> users;    // SIP_USERS
    std::string sip_listen = "0.0.0.0:5060";  // SIP_LISTEN: where operators' phones register
    // SIP over TLS (lines to the PBX and the phones' listener); all empty when no certificate is set.
    std::string sip_tls_cert;    // SIP_TLS_CERT: PEM certificate (and chain) of the service
    std::string sip_tls_key;     // SIP_TLS_KEY: PEM private key of that certificate, not encrypted
    std::string sip_tls_ca;      // SIP_TLS_CA: PEM CA certificates the PBX's certificate must chain to
    std::string sip_tls_listen;  // SIP_TLS_LISTEN: TLS listener; default SIP_LISTEN's host, its port + 1
    int sip_register_expires = 300;           // SIP_REGISTER_EXPIRES: seconds each line's REGISTER asks for
    std::string sip_user_agent;  // SIP_USER_AGENT: User-Agent of our SIP messages; empty: none
    int sip_pbx_probe_interval = 2;           // SIP_PBX_PROBE_INTERVAL: seconds between OPTIONS to the PBX; 0 off
    // CALLER_ID_ORDER: where an inbound call's customer number is read, first found first: "pai"
    // (P-Asserted-Identity), "rpid" (Remote-Party-ID), "from".
    std::vector<std::string> caller_id_order{"pai", "rpid", "from"};
    // DIALLED_NUMBER_ORDER: where the number an inbound customer dialled is read, first found first: "pcpid"
    // (P-Called-Party-ID), "diversion", "history" (History-Info), "to", "ruri" (the request URI).
    std::vector<std::string> dialled_number_order{"pcpid", "diversion", "history", "to", "ruri"};
    // DIALLED_NAMES: "number=name;number=name": the centre's numbers and what the popup calls each.
    std::vector<std::pair<std::string, std::string>> dialled_names;
    std::string ivr_header;  // IVR_HEADER: the header the PBX puts the caller's IVR choice in (X-IVR-Choice)
    int max_concurrent_calls = 0;  // MAX_CONCURRENT_CALLS: new calls past it get 503 (0: no limit)
    int max_calls_per_second = 0;  // MAX_CALLS_PER_SECOND: new calls past it in one second get 503 (0: no limit)
    int sip_max_delay_ms = 0;      // SIP_MAX_DELAY_MS: new calls get 503 while the SIP thread is this late (0: never)
    int sip_ring_timeout = 45;  // SIP_RING_TIMEOUT: seconds a customer or an operator's phone rings
    // SIP_DIALOG_PROBE_INTERVAL: seconds between the in-dialog OPTIONS that find a vanished far end, 0 off
    int sip_dialog_probe_interval = 30;
    // The registrar of the operators' phones: bounds of their expiry, the lock-out of a guessing address.
    int sip_device_min_expires = 60;    // SIP_DEVICE_MIN_EXPIRES: a shorter REGISTER gets 423 Interval Too Brief
    int sip_device_max_expires = 3600;  // SIP_DEVICE_MAX_EXPIRES: a longer one is granted this many seconds
    int sip_auth_max_failures = 10;     // SIP_AUTH_MAX_FAILURES: failed logins per address in 60 s, 0 off
    int sip_auth_lockout = 300;         // SIP_AUTH_LOCKOUT: seconds an address past that limit is refused
    // New SIP requests (INVITE, REGISTER, OPTIONS ...) per source address, the PBX's excepted.
    int sip_rate_limit_per_source = 20;  // SIP_RATE_LIMIT_PER_SOURCE: a second past the burst; 0 off
    int sip_rate_limit_burst = 100;      // SIP_RATE_LIMIT_BURST: at once, after a quiet while
    DialFormat dial_format = DialFormat::e164;            // DIAL_FORMAT: how numbers are sent to the PBX
    MediaMode media = MediaMode::passthrough;  // MEDIA: passthrough or rtpengine
    // RTPENGINE_URL: "udp:host:port" of each rtpengine to use; empty with MEDIA=rtpengine: the service starts one
    std::vector<std::string> rtpengine_urls;
    std::string rtpengine_binary;      // RTPENGINE_BINARY: the rtpengine it starts; empty: found on PATH
    // RTPENGINE_DTMF_LISTEN: where the service hears the keys callers press, as rtpengine's dtmf-log-dest sends
    // them ("host:port"); empty: 127.0.0.1 on a free port for the rtpengine it starts, none for RTPENGINE_URL's.
    std::string rtpengine_dtmf_host;
    std::uint16_t rtpengine_dtmf_port = 0;
    std::string moh_file;              // MOH_FILE: what a held customer hears (MEDIA=rtpengine); empty: silence
    std::string media_address;         // MEDIA_ADDRESS: local address of the RTP ports; empty: the SIP side decides
    std::string media_public_address;  // MEDIA_PUBLIC_ADDRESS: the address written into SDP instead (NAT)
    RecordingMode recording = RecordingMode::off;  // RECORDING: off, all or on-demand (needs MEDIA=rtpengine)
    std::string recording_dir;         // RECORDING_DIR: the recordings' files; empty: DATA_DIR/recordings
    int recording_retention_days = 0;  // RECORDING_RETENTION_DAYS: older files are deleted; 0 keeps them all
    int wrapup_seconds = 0;  // WRAPUP_SECONDS: after-call work before an operator is available again
    // BUSY_WHEN: the operator states (paused, wrapup, oncall, offline) in which a call to the line gets 486
    std::vector<std::string> busy_when{"paused", "wrapup", "oncall"};
    // PAUSE_REASONS: what an operator's pause may give as its reason
    std::vector<std::string> pause_reasons{"обед", "перерыв", "обучение", "совещание"};
    int callback_days = 7;  // CALLBACK_DAYS: a customer missed longer ago than this leaves the callback list
    int queue_short_abandon_seconds = 5;   // QUEUE_SHORT_ABANDON_SECONDS: quicker abandons are counted apart
    int queue_service_level_seconds = 20;  // QUEUE_SERVICE_LEVEL_SECONDS: answered within it counts as served
    std::string database_url = "sqlite:./data/calls.db";  // DATABASE_URL
    int database_pool_size = 3;  // DATABASE_POOL_SIZE: connections; one writes, the others serve reads
    std::string redis_url;                                // REDIS_URL: several instances share calls and events
    std::string instance_id;                              // INSTANCE_ID: this instance's name; empty: generated
    std::vector<std::string> metrics_allow;  // METRICS_ALLOW: addresses and networks that read /metrics without a token
    std::vector<std::string> cors_origins;                // CORS_ORIGIN, comma-separated; "*" only explicitly
    std::string default_region = "RU";                    // DEFAULT_REGION for phone numbers
    std::string timezone;                                 // TZ for statistics dates; empty: the system's
    std::string data_dir = "./data";                      // DATA_DIR: database, first admin token
    std::string spool_dir;  // SPOOL_DIR: call records waiting for the database; empty: DATA_DIR/spool
    std::string admin_token;                              // ADMIN_TOKEN: optional bootstrap admin token
    int webhook_timeout_seconds = 10;        // WEBHOOK_TIMEOUT_SECONDS: a receiver's answer later than this is a failure
    int webhook_retry_max_seconds = 600;     // WEBHOOK_RETRY_MAX_SECONDS: the longest wait between two attempts
    int webhook_retry_hours = 24;            // WEBHOOK_RETRY_HOURS: an event not delivered by then is given up
    // An SMS to the customer after a missed call (SMS_MISSED_TEXT) or a call that produced an order
    // (SMS_ORDER_TEXT), through the gateway SMS_GATEWAY_URL describes; no URL or no text: none of that kind.
    std::string sms_gateway_url;              // SMS_GATEWAY_URL: http(s)://…{phone}…{text}
    std::string sms_gateway_method = "GET";   // SMS_GATEWAY_METHOD: GET or POST
    std::string sms_gateway_body;             // SMS_GATEWAY_BODY: POST's body with {phone} and {text}
    std::string sms_gateway_content_type = "application/x-www-form-urlencoded";  // SMS_GATEWAY_CONTENT_TYPE
    std::vector<std::pair<std::string, std::string>> sms_gateway_headers;  // SMS_GATEWAY_HEADERS: "Name: value; …"
    std::string sms_missed_text;              // SMS_MISSED_TEXT
    std::string sms_order_text;               // SMS_ORDER_TEXT
    int sms_min_interval_minutes = 60;        // SMS_MIN_INTERVAL_MINUTES: at most one SMS per number this often
    std::string customer_lookup_url;         // CUSTOMER_LOOKUP_URL: http://host/path?phone={phone}
    int customer_lookup_timeout_ms = 800;    // CUSTOMER_LOOKUP_TIMEOUT_MS
    std::string log_level = "info";          // LOG_LEVEL: trace, debug, info, warn, error
    LogFormat log_format = LogFormat::text;  // LOG_FORMAT: text or json
    std::size_t max_body_bytes = 64 * 1024;  // MAX_BODY_BYTES for REST request bodies
    // WEB_DIR: pages and the socket.io client bundle; empty: found from the binary's location (web_dir.hpp)
    std::string web_dir;
    int http_threads = 1;                    // HTTP_THREADS
};

std::string to_string(SipTransport transport);

}  // namespace ff::config
