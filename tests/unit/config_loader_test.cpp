// Environment to ServiceConfig: every variable with a good and a bad value; all errors reported at once.
#include "config/config_loader.hpp"
#include "config/redis_url.hpp"

#include <gtest/gtest.h>

using namespace ff::config;

namespace {

using Env = std::map<std::string, std::string>;

// The one error reported for `variable`, or a failure when there is none or several.
ConfigError only_error(const Env& env, const std::string& variable) {
    const auto result = load_config(env);
    std::vector<ConfigError> matching;
    for (const auto& error : result.errors) {
        if (error.variable == variable) matching.push_back(error);
    }
    EXPECT_EQ(matching.size(), 1u) << format_errors(result.errors);
    EXPECT_EQ(result.errors.size(), matching.size()) << format_errors(result.errors);
    return matching.empty() ? ConfigError{} : matching.front();
}

ServiceConfig good(const Env& env) {
    const auto result = load_config(env);
    EXPECT_TRUE(result.ok()) << format_errors(result.errors);
    return result.config;
}

}  // namespace

TEST(Config, defaults_when_nothing_is_set) {
    const auto config = good({{"PATH", "/usr/bin"}, {"HOME", "/root"}});
    EXPECT_EQ(config.port, 3009);
    EXPECT_EQ(config.host, "0.0.0.0");
    EXPECT_EQ(config.pbx.server, "");
    EXPECT_EQ(config.pbx.port, 5060);
    EXPECT_EQ(config.pbx.transport, SipTransport::udp);
    EXPECT_EQ(config.pbx.rtp_port_min, 5700);
    EXPECT_EQ(config.pbx.rtp_port_max, 5750);
    EXPECT_TRUE(config.users.empty());
    EXPECT_EQ(config.sip_listen, "0.0.0.0:5060");
    EXPECT_EQ(config.database_url, "sqlite:./data/calls.db");
    EXPECT_TRUE(config.cors_origins.empty());
    EXPECT_EQ(config.default_region, "RU");
    EXPECT_EQ(config.customer_lookup_timeout_ms, 800);
    EXPECT_EQ(config.log_level, "info");
    EXPECT_EQ(config.http_threads, 1);
}

TEST(Config, seed_env_file_values_are_accepted) {
    const auto config =
        good({{"PORT", "3009"},
              {"NODE_ENV", "production"},
              {"SIP_SERVER", "sip.example.com"},
              {"SIP_PORT", "5060"},
              {"SIP_TRANSPORT", "UDP"},
              {"SIP_USERS", "operator1:pass123:1001:Иванов И.И.,operator2:pass456:1002:Петров П.П."},
              {"RTP_PORT_MIN", "5700"},
              {"RTP_PORT_MAX", "5750"},
              {"DATABASE_URL", "postgresql://foodflow:foodflow_secret@postgres:5432/foodflow"},
              {"REDIS_URL", "redis://redis:6379"},
              {"CORS_ORIGIN", "*"},
              {"STUN_SERVER", "stun.l.google.com:19302"}});
    EXPECT_EQ(config.pbx.server, "sip.example.com");
    ASSERT_EQ(config.users.size(), 2u);
    EXPECT_EQ(config.users[0].username, "operator1");
    EXPECT_EQ(config.users[0].password, "pass123");
    EXPECT_EQ(config.users[0].extension, "1001");
    EXPECT_EQ(config.users[0].display_name, "Иванов И.И.");
    EXPECT_EQ(config.users[1].display_name, "Петров П.П.");
    EXPECT_EQ(config.cors_origins, std::vector<std::string>{"*"});
    EXPECT_EQ(config.pbx.stun_server, "stun.l.google.com:19302");
    EXPECT_EQ(config.redis_url, "redis://redis:6379");
}

TEST(Config, every_error_is_collected_not_just_the_first) {
    const auto result = load_config({{"PORT", "0"},
                                     {"SIP_TRANSPORT", "SCTP"},
                                     {"SIP_PORT", "abc"},
                                     {"LOG_LEVEL", "verbose"},
                                     {"HTTP_THREADS", "64"},
                                     {"TZ", "Mars/Olympus"}});
    ASSERT_EQ(result.errors.size(), 6u) << format_errors(result.errors);
    const std::string text = format_errors(result.errors);
    EXPECT_NE(text.find("PORT=\"0\" is invalid: expected an integer from 1 to 65535\n"), std::string::npos);
    EXPECT_NE(text.find("SIP_TRANSPORT=\"SCTP\" is invalid: expected UDP, TCP or TLS\n"), std::string::npos);
    EXPECT_NE(text.find("SIP_PORT=\"abc\""), std::string::npos);
    EXPECT_NE(text.find("LOG_LEVEL=\"verbose\""), std::string::npos);
    EXPECT_NE(text.find("HTTP_THREADS=\"64\""), std::string::npos);
    EXPECT_NE(text.find("TZ=\"Mars/Olympus\""), std::string::npos);
}

TEST(Config, empty_value_means_default) {
    const auto config = good({{"PORT", ""}, {"SIP_TRANSPORT", "  "}, {"DATABASE_URL", ""}});
    EXPECT_EQ(config.port, 3009);
    EXPECT_EQ(config.database_url, "sqlite:./data/calls.db");
}

TEST(Config, port_and_sip_port) {
    EXPECT_EQ(good({{"PORT", "8080"}, {"SIP_PORT", "5080"}}).port, 8080);
    EXPECT_EQ(good({{"SIP_PORT", "5080"}}).pbx.port, 5080);
    EXPECT_EQ(good({{"PORT", " 65535 "}}).port, 65535);
    only_error({{"PORT", "65536"}}, "PORT");
    only_error({{"PORT", "-1"}}, "PORT");
    only_error({{"PORT", "30 09"}}, "PORT");
    only_error({{"SIP_PORT", "0"}}, "SIP_PORT");
}

TEST(Config, host) {
    EXPECT_EQ(good({{"HOST", "127.0.0.1"}}).host, "127.0.0.1");
    EXPECT_EQ(good({{"HOST", "::"}}).host, "::");
    EXPECT_EQ(good({{"HOST", "localhost"}}).host, "localhost");
    only_error({{"HOST", "0.0.0.0:3009"}}, "HOST");
    only_error({{"HOST", "bad host"}}, "HOST");
}

TEST(Config, sip_server_host_name_ip_or_empty) {
    EXPECT_EQ(good({{"SIP_SERVER", "192.168.1.100"}}).pbx.server, "192.168.1.100");
    EXPECT_EQ(good({{"SIP_SERVER", "pbx-1.office.example.com"}}).pbx.server, "pbx-1.office.example.com");
    EXPECT_EQ(good({{"SIP_SERVER", ""}}).pbx.server, "");
    only_error({{"SIP_SERVER", "sip.example.com:5060"}}, "SIP_SERVER");
    only_error({{"SIP_SERVER", "-bad-.example"}}, "SIP_SERVER");
    only_error({{"SIP_SERVER", "300.1.1.1"}}, "SIP_SERVER");
}

TEST(Config, sip_transport_is_case_insensitive) {
    EXPECT_EQ(good({{"SIP_TRANSPORT", "tcp"}}).pbx.transport, SipTransport::tcp);
    EXPECT_EQ(good({{"SIP_TRANSPORT", "Tls"}}).pbx.transport, SipTransport::tls);
    EXPECT_EQ(to_string(SipTransport::tls), "TLS");
    const auto error = only_error({{"SIP_TRANSPORT", "SCTP"}}, "SIP_TRANSPORT");
    EXPECT_EQ(format_errors({error}), "SIP_TRANSPORT=\"SCTP\" is invalid: expected UDP, TCP or TLS\n");
}

TEST(Config, sip_users_empty_list_and_optional_display_name) {
    EXPECT_TRUE(good({{"SIP_USERS", ""}}).users.empty());
    const auto config = good({{"SIP_USERS", " op1:secret:101 , op2:secret2:102:Оператор: смена 2 "}});
    ASSERT_EQ(config.users.size(), 2u);
    EXPECT_EQ(config.users[0].extension, "101");
    EXPECT_EQ(config.users[0].display_name, "");
    EXPECT_EQ(config.users[1].display_name, "Оператор: смена 2");
}

TEST(Config, sip_users_errors_mask_the_password) {
    const auto result =
        load_config({{"SIP_USERS",
                      "op1:topsecret1:10a1:Иванов И.И.,op2::1002:Петров,op3:topsecret3,op4:topsecret4:1001:A,"
                      "op5:topsecret5:1001:Повтор"}});
    const std::string text = format_errors(result.errors);
    EXPECT_EQ(result.errors.size(), 4u) << text;
    EXPECT_EQ(text.find("topsecret"), std::string::npos) << text;
    EXPECT_NE(text.find("SIP_USERS=\"op1:***:10a1:Иванов И.И.\" is invalid: expected entry 1"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("extension must be 2 to 8 digits"), std::string::npos);
    EXPECT_NE(text.find("password must not be empty"), std::string::npos);
    EXPECT_NE(text.find("SIP_USERS=\"op3:***\""), std::string::npos);
    EXPECT_NE(text.find("1001 is repeated"), std::string::npos);
    ASSERT_EQ(result.config.users.size(), 1u);
    EXPECT_EQ(result.config.users[0].username, "op4");
}

TEST(Config, sip_users_entry_without_colons_is_hidden_entirely) {
    const auto error = only_error({{"SIP_USERS", "op1;secret;1001"}}, "SIP_USERS");
    EXPECT_EQ(error.shown_value, "***");
}

TEST(Config, sip_users_extension_length_and_username_characters) {
    good({{"SIP_USERS", "a:p:12:X,b:p:12345678:Y"}});
    only_error({{"SIP_USERS", "a:p:1:X"}}, "SIP_USERS");
    only_error({{"SIP_USERS", "a:p:123456789:X"}}, "SIP_USERS");
    only_error({{"SIP_USERS", "bad user:p:1001:X"}}, "SIP_USERS");
}

TEST(Config, sip_listen) {
    EXPECT_EQ(good({{"SIP_LISTEN", "5080"}}).sip_listen, "0.0.0.0:5080");
    EXPECT_EQ(good({{"SIP_LISTEN", "127.0.0.1:5070"}}).sip_listen, "127.0.0.1:5070");
    EXPECT_EQ(good({{"SIP_LISTEN", "[::1]:5070"}}).sip_listen, "[::1]:5070");
    only_error({{"SIP_LISTEN", "127.0.0.1:99999"}}, "SIP_LISTEN");
    only_error({{"SIP_LISTEN", "127.0.0.1:"}}, "SIP_LISTEN");
}

TEST(Config, rtp_port_range) {
    const auto config = good({{"RTP_PORT_MIN", "10000"}, {"RTP_PORT_MAX", "10000"}});
    EXPECT_EQ(config.pbx.rtp_port_min, 10000);
    EXPECT_EQ(config.pbx.rtp_port_max, 10000);
    only_error({{"RTP_PORT_MIN", "80"}}, "RTP_PORT_MIN");
    only_error({{"RTP_PORT_MAX", "70000"}}, "RTP_PORT_MAX");
    const auto error = only_error({{"RTP_PORT_MIN", "6000"}, {"RTP_PORT_MAX", "5999"}}, "RTP_PORT_MIN");
    EXPECT_NE(error.expected.find("RTP_PORT_MAX (5999)"), std::string::npos);
}

TEST(Config, stun_server) {
    EXPECT_EQ(good({{"STUN_SERVER", "stun.example.org"}}).pbx.stun_server, "stun.example.org");
    only_error({{"STUN_SERVER", "stun.example.org:0"}}, "STUN_SERVER");
    only_error({{"STUN_SERVER", "stun server:3478"}}, "STUN_SERVER");
    only_error({{"STUN_SERVER", "stun.example.org:3478:1"}}, "STUN_SERVER");
    // inet_pton reads up to a NUL: "::" followed by one and anything else is no IPv6 address.
    only_error({{"STUN_SERVER", std::string("[::\0evil]:3478", 14)}}, "STUN_SERVER");
    only_error({{"SIP_SERVER", std::string("::\0\x0e//1", 8)}}, "SIP_SERVER");
}

TEST(Config, database_url_shape_and_masked_password) {
    EXPECT_EQ(good({{"DATABASE_URL", "sqlite:///var/lib/ff/calls.db"}}).database_url,
              "sqlite:///var/lib/ff/calls.db");
    EXPECT_EQ(good({{"DATABASE_URL", "sqlite::memory:"}}).database_url, "sqlite::memory:");
    only_error({{"DATABASE_URL", "./calls.db"}}, "DATABASE_URL");
    const auto error = only_error({{"DATABASE_URL", "1postgres://u:hunter2@db/x"}}, "DATABASE_URL");
    EXPECT_EQ(error.shown_value, "1postgres://u:***@db/x");
}

TEST(Config, redis_url) {
    EXPECT_EQ(good({{"REDIS_URL", "redis://:pw@127.0.0.1:6379/0"}}).redis_url,
              "redis://:pw@127.0.0.1:6379/0");
    only_error({{"REDIS_URL", "http://redis:6379"}}, "REDIS_URL");
    const auto error = only_error({{"REDIS_URL", "redis://user:hunter2@bad host:6379"}}, "REDIS_URL");
    EXPECT_EQ(error.shown_value, "redis://user:***@bad host:6379");
    EXPECT_NE(only_error({{"REDIS_URL", "rediss://127.0.0.1"}}, "REDIS_URL").expected.find("TLS"), std::string::npos);
    only_error({{"REDIS_URL", "redis://127.0.0.1/x"}}, "REDIS_URL");
}

TEST(Config, instance_id) {
    EXPECT_EQ(good({}).instance_id, "");
    EXPECT_EQ(good({{"INSTANCE_ID", "ff-1.dc_a"}}).instance_id, "ff-1.dc_a");
    only_error({{"INSTANCE_ID", "two words"}}, "INSTANCE_ID");
    only_error({{"INSTANCE_ID", "ff:1"}}, "INSTANCE_ID");
}

TEST(Config, redis_url_parts) {
    std::string error;
    auto endpoint = parse_redis_url("redis://app:p%40ss%3Aw@[::1]:6380/2", error);
    ASSERT_TRUE(endpoint) << error;
    EXPECT_EQ(endpoint->host, "::1");
    EXPECT_EQ(endpoint->port, 6380);
    EXPECT_EQ(endpoint->username, "app");
    EXPECT_EQ(endpoint->password, "p@ss:w");
    EXPECT_EQ(endpoint->database, 2);
    endpoint = parse_redis_url("redis://secret@redis", error);
    ASSERT_TRUE(endpoint) << error;
    EXPECT_EQ(endpoint->username, "");
    EXPECT_EQ(endpoint->password, "secret");
    EXPECT_EQ(endpoint->port, 6379);
    EXPECT_EQ(endpoint->database, 0);
    EXPECT_FALSE(parse_redis_url("redis://u:bad%4@host", error));
    EXPECT_EQ(error.find("bad%4"), std::string::npos);
    EXPECT_FALSE(parse_redis_url("redis://host:99999", error));
    EXPECT_FALSE(parse_redis_url("redis://host?timeout=1", error));
}

TEST(Config, cors_origin_list) {
    const auto config = good({{"CORS_ORIGIN", "https://CRM.example.com, http://localhost:8080/"}});
    EXPECT_EQ(config.cors_origins,
              (std::vector<std::string>{"https://crm.example.com", "http://localhost:8080"}));
    only_error({{"CORS_ORIGIN", "*,https://crm.example.com"}}, "CORS_ORIGIN");
    only_error({{"CORS_ORIGIN", "crm.example.com"}}, "CORS_ORIGIN");
    only_error({{"CORS_ORIGIN", "https://crm.example.com/app"}}, "CORS_ORIGIN");
    only_error({{"CORS_ORIGIN", "ftp://crm.example.com"}}, "CORS_ORIGIN");
    only_error({{"CORS_ORIGIN", "https://a.example.com,,https://b.example.com"}}, "CORS_ORIGIN");
}

TEST(Config, default_region_is_upper_cased_and_checked) {
    EXPECT_EQ(good({{"DEFAULT_REGION", "by"}}).default_region, "BY");
    EXPECT_EQ(good({{"DEFAULT_REGION", "KZ"}}).default_region, "KZ");
    only_error({{"DEFAULT_REGION", "XX"}}, "DEFAULT_REGION");
    only_error({{"DEFAULT_REGION", "RUS"}}, "DEFAULT_REGION");
}

TEST(Config, time_zone) {
    EXPECT_EQ(good({{"TZ", "Europe/Moscow"}}).timezone, "Europe/Moscow");
    EXPECT_EQ(good({{"TZ", ":Asia/Almaty"}}).timezone, "Asia/Almaty");
    EXPECT_EQ(good({{"TZ", "UTC"}}).timezone, "UTC");
    EXPECT_EQ(good({{"TZ", ""}}).timezone, "");
    only_error({{"TZ", "../../etc/passwd"}}, "TZ");
    only_error({{"TZ", "/etc/localtime"}}, "TZ");
    only_error({{"TZ", "Europe"}}, "TZ");    // a directory
    only_error({{"TZ", "zone.tab"}}, "TZ");  // a file, but not a zone
}

TEST(Config, data_and_web_dirs) {
    const auto config = good({{"DATA_DIR", "/var/lib/ff"}, {"WEB_DIR", "/usr/share/ff/web"}});
    EXPECT_EQ(config.data_dir, "/var/lib/ff");
    EXPECT_EQ(config.web_dir, "/usr/share/ff/web");
}

TEST(Config, admin_token_is_never_shown) {
    const std::string token = "abcdefghijklmnopqrstuvwxyz0123";
    EXPECT_EQ(good({{"ADMIN_TOKEN", token}}).admin_token, token);
    const auto error = only_error({{"ADMIN_TOKEN", "short-secret"}}, "ADMIN_TOKEN");
    EXPECT_EQ(error.shown_value, "***");
    EXPECT_EQ(format_errors({error}).find("short-secret"), std::string::npos);
    only_error({{"ADMIN_TOKEN", "has a space inside of it, long enough"}}, "ADMIN_TOKEN");
}

TEST(Config, customer_lookup_url_and_timeout) {
    const auto config = good({{"CUSTOMER_LOOKUP_URL", "http://crm.local:8080/api/customers?phone={phone}"},
                              {"CUSTOMER_LOOKUP_TIMEOUT_MS", "300"}});
    EXPECT_EQ(config.customer_lookup_url, "http://crm.local:8080/api/customers?phone={phone}");
    EXPECT_EQ(config.customer_lookup_timeout_ms, 300);
    only_error({{"CUSTOMER_LOOKUP_URL", "http://crm.local/api/customers"}}, "CUSTOMER_LOOKUP_URL");
    only_error({{"CUSTOMER_LOOKUP_URL", "https://crm.local/c/{phone}"}}, "CUSTOMER_LOOKUP_URL");
    only_error({{"CUSTOMER_LOOKUP_URL", "http://{phone}/"}}, "CUSTOMER_LOOKUP_URL");
    const auto error =
        only_error({{"CUSTOMER_LOOKUP_URL", "http://u:hunter2@crm/{phone}"}}, "CUSTOMER_LOOKUP_URL");
    EXPECT_EQ(error.shown_value, "http://u:***@crm/{phone}");
    only_error({{"CUSTOMER_LOOKUP_TIMEOUT_MS", "49"}}, "CUSTOMER_LOOKUP_TIMEOUT_MS");
    only_error({{"CUSTOMER_LOOKUP_TIMEOUT_MS", "10001"}}, "CUSTOMER_LOOKUP_TIMEOUT_MS");
}

TEST(Config, log_level_and_format) {
    const auto config = good({{"LOG_LEVEL", "WARN"}, {"LOG_FORMAT", "json"}});
    EXPECT_EQ(config.log_level, "warn");
    EXPECT_EQ(config.log_format, LogFormat::json);
    only_error({{"LOG_LEVEL", "warning"}}, "LOG_LEVEL");
    only_error({{"LOG_FORMAT", "xml"}}, "LOG_FORMAT");
}

TEST(Config, body_limit_and_http_threads) {
    const auto config = good({{"MAX_BODY_BYTES", "1048576"}, {"HTTP_THREADS", "4"}});
    EXPECT_EQ(config.max_body_bytes, 1048576u);
    EXPECT_EQ(config.http_threads, 4);
    only_error({{"MAX_BODY_BYTES", "1023"}}, "MAX_BODY_BYTES");
    only_error({{"MAX_BODY_BYTES", "10485761"}}, "MAX_BODY_BYTES");
    only_error({{"HTTP_THREADS", "0"}}, "HTTP_THREADS");
}

TEST(Config, database_pool_size) {
    EXPECT_EQ(good({}).database_pool_size, 3);
    EXPECT_EQ(good({{"DATABASE_POOL_SIZE", "1"}}).database_pool_size, 1);
    EXPECT_EQ(good({{"DATABASE_POOL_SIZE", "8"}}).database_pool_size, 8);
    only_error({{"DATABASE_POOL_SIZE", "0"}}, "DATABASE_POOL_SIZE");
    only_error({{"DATABASE_POOL_SIZE", "33"}}, "DATABASE_POOL_SIZE");
    only_error({{"DATABASE_POOL_SIZE", "three"}}, "DATABASE_POOL_SIZE");
}

TEST(Config, node_env_is_accepted_and_ignored) {
    good({{"NODE_ENV", "anything-at-all"}});
}

TEST(Config, shown_values_are_escaped_to_stay_on_one_line) {
    const auto error = only_error({{"SIP_TRANSPORT", "U\"D\nP"}}, "SIP_TRANSPORT");
    EXPECT_EQ(error.shown_value, "U\\\"D\\x0aP");
}

TEST(Config, mask_url_password_cases) {
    EXPECT_EQ(mask_url_password("postgresql://foodflow:foodflow_secret@postgres:5432/foodflow"),
              "postgresql://foodflow:***@postgres:5432/foodflow");
    EXPECT_EQ(mask_url_password("redis://:p@ss@redis:6379"), "redis://:***@redis:6379");
    EXPECT_EQ(mask_url_password("redis://redis:6379"), "redis://redis:6379");
    EXPECT_EQ(mask_url_password("postgresql://user@db/x"), "postgresql://user@db/x");
    EXPECT_EQ(mask_url_password("sqlite:./data/calls.db"), "sqlite:./data/calls.db");
    EXPECT_EQ(mask_url_password("http://crm/x?next=a:b@c"), "http://crm/x?next=a:b@c");
}

TEST(Config, sip_user_agent_is_none_by_default_and_one_line_when_set) {
    EXPECT_EQ(good({}).sip_user_agent, "");
    EXPECT_EQ(good({{"SIP_USER_AGENT", "Centre gateway/2"}}).sip_user_agent, "Centre gateway/2");
    const auto error = only_error({{"SIP_USER_AGENT", "gateway\r\nX-Injected: 1"}}, "SIP_USER_AGENT");
    EXPECT_NE(error.expected.find("one line"), std::string::npos);
}

TEST(Config, sip_pbx_probe_interval) {
    EXPECT_EQ(good({}).sip_pbx_probe_interval, 2);
    EXPECT_EQ(good({{"SIP_PBX_PROBE_INTERVAL", "0"}}).sip_pbx_probe_interval, 0);
    only_error({{"SIP_PBX_PROBE_INTERVAL", "61"}}, "SIP_PBX_PROBE_INTERVAL");
}
