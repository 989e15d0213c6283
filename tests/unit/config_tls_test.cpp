// SIP_TLS_*: the certificate and key come together, the files must exist, the TLS listener defaults to one
// port above SIP_LISTEN (what admins expect: 5060 -> 5061). File contents are checked by the SIP engine.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "config/config_loader.hpp"

using namespace ff::config;

namespace {

using Env = std::map<std::string, std::string>;

class ConfigTls : public ::testing::Test {
  protected:
    void SetUp() override {
        dir_ = std::filesystem::temp_directory_path() /
               ("ff-config-tls-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::create_directories(dir_);
        for (const char* name : {"cert.pem", "key.pem", "ca.pem"}) std::ofstream(dir_ / name) << "pem\n";
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }

    std::string file(const char* name) const { return (dir_ / name).string(); }
    Env tls(Env extra = {}) const {
        Env env{{"SIP_TLS_CERT", file("cert.pem")}, {"SIP_TLS_KEY", file("key.pem")}};
        for (auto& [name, value] : extra) env[name] = value;
        return env;
    }

    std::filesystem::path dir_;
};

std::string errors_of(const Env& env) {
    return format_errors(load_config(env).errors);
}

}  // namespace

TEST_F(ConfigTls, no_certificate_means_no_tls) {
    const auto result = load_config({});
    ASSERT_TRUE(result.ok());
    EXPECT_EQ(result.config.sip_tls_cert, "");
    EXPECT_EQ(result.config.sip_tls_listen, "");
}

TEST_F(ConfigTls, listener_defaults_to_one_port_above_sip_listen) {
    auto result = load_config(tls());
    ASSERT_TRUE(result.ok()) << format_errors(result.errors);
    EXPECT_EQ(result.config.sip_tls_listen, "0.0.0.0:5061");
    EXPECT_EQ(result.config.sip_tls_cert, file("cert.pem"));
    EXPECT_EQ(result.config.sip_tls_key, file("key.pem"));

    result = load_config(tls({{"SIP_LISTEN", "10.0.0.5:5070"}}));
    ASSERT_TRUE(result.ok()) << format_errors(result.errors);
    EXPECT_EQ(result.config.sip_tls_listen, "10.0.0.5:5071");
}

TEST_F(ConfigTls, listener_as_port_or_host_port) {
    auto result = load_config(tls({{"SIP_LISTEN", "10.0.0.5:5060"}, {"SIP_TLS_LISTEN", "5443"}}));
    ASSERT_TRUE(result.ok()) << format_errors(result.errors);
    EXPECT_EQ(result.config.sip_tls_listen, "10.0.0.5:5443");
    result = load_config(tls({{"SIP_TLS_LISTEN", "127.0.0.1:6061"}, {"SIP_TLS_CA", file("ca.pem")}}));
    ASSERT_TRUE(result.ok()) << format_errors(result.errors);
    EXPECT_EQ(result.config.sip_tls_listen, "127.0.0.1:6061");
    EXPECT_EQ(result.config.sip_tls_ca, file("ca.pem"));
}

TEST_F(ConfigTls, errors_name_the_variable_and_the_file_problem) {
    EXPECT_EQ(
        errors_of(tls({{"SIP_TLS_CERT", file("missing.pem")}})),
        "SIP_TLS_CERT=\"" + file("missing.pem") + "\" is invalid: expected an existing file (not found)\n");
    EXPECT_EQ(
        errors_of(tls({{"SIP_TLS_KEY", dir_.string()}})),
        "SIP_TLS_KEY=\"" + dir_.string() + "\" is invalid: expected a regular file (this is not one)\n");
    EXPECT_EQ(errors_of({{"SIP_TLS_CERT", file("cert.pem")}}),
              "SIP_TLS_KEY=\"\" is invalid: expected the private key of SIP_TLS_CERT (a PEM file)\n");
    EXPECT_EQ(errors_of({{"SIP_TLS_KEY", file("key.pem")}}),
              "SIP_TLS_CERT=\"\" is invalid: expected the certificate of SIP_TLS_KEY (a PEM file)\n");
    EXPECT_EQ(
        errors_of({{"SIP_TLS_LISTEN", "5061"}}),
        "SIP_TLS_LISTEN=\"5061\" is invalid: expected nothing unless SIP_TLS_CERT and SIP_TLS_KEY are set\n");
    EXPECT_EQ(errors_of({{"SIP_TLS_CA", file("ca.pem")}}),
              "SIP_TLS_CA=\"" + file("ca.pem") +
                  "\" is invalid: expected nothing unless SIP_TLS_CERT and SIP_TLS_KEY are set\n");
    EXPECT_EQ(errors_of(tls({{"SIP_TLS_LISTEN", "tls://x"}})),
              "SIP_TLS_LISTEN=\"tls://x\" is invalid: expected host:port or a port, e.g. 0.0.0.0:5061\n");
    EXPECT_EQ(errors_of(tls({{"SIP_LISTEN", "0.0.0.0:65535"}})),
              "SIP_TLS_LISTEN=\"\" is invalid: expected host:port, since SIP_LISTEN's port + 1 is no port\n");
}
