// The URIs a line registers with, the stack's listen URL, and the credentials string the stack parses.
#include "sip/stack/sip_addresses.hpp"

#include <gtest/gtest.h>

using namespace ff::sip;
using ff::config::SipTransport;

namespace {

LineConfig line(std::string server, std::uint16_t port, SipTransport transport) {
    return LineConfig{{"op1", "secret", "1001", "Ann"}, std::move(server), port, transport};
}

}  // namespace

TEST(SipAddresses, registrar_names_the_transport) {
    EXPECT_EQ(registrar_uri(line("10.0.0.5", 5060, SipTransport::udp)), "sip:10.0.0.5:5060;transport=udp");
    EXPECT_EQ(registrar_uri(line("pbx.example", 5080, SipTransport::tcp)),
              "sip:pbx.example:5080;transport=tcp");
    EXPECT_EQ(registrar_uri(line("pbx.example", 5061, SipTransport::tls)),
              "sip:pbx.example:5061;transport=tls");
}

TEST(SipAddresses, ipv6_servers_are_bracketed) {
    EXPECT_EQ(registrar_uri(line("2001:db8::5", 5060, SipTransport::udp)),
              "sip:[2001:db8::5]:5060;transport=udp");
    EXPECT_EQ(address_of_record(line("2001:db8::5", 5060, SipTransport::udp)), "sip:op1@[2001:db8::5]");
}

TEST(SipAddresses, address_of_record_is_the_login_at_the_pbx) {
    EXPECT_EQ(address_of_record(line("10.0.0.5", 5060, SipTransport::udp)), "sip:op1@10.0.0.5");
}

TEST(SipAddresses, contact_asks_for_the_same_transport_back) {
    EXPECT_EQ(contact_parameters(line("10.0.0.5", 5060, SipTransport::udp)), "");
    EXPECT_EQ(contact_parameters(line("10.0.0.5", 5060, SipTransport::tcp)), "transport=tcp");
    EXPECT_EQ(contact_parameters(line("10.0.0.5", 5061, SipTransport::tls)), "transport=tls");
}

TEST(SipAddresses, registrar_description_is_for_people) {
    EXPECT_EQ(describe_registrar(line("10.0.0.5", 5060, SipTransport::tcp)), "10.0.0.5:5060 over TCP");
}

TEST(SipAddresses, listen_url_from_sip_listen) {
    EXPECT_EQ(listen_url("0.0.0.0:5060"), "sip:*:5060");
    EXPECT_EQ(listen_url("127.0.0.1:15070"), "sip:127.0.0.1:15070");
    EXPECT_EQ(listen_url("[::1]:5060"), "sip:[::1]:5060");
    EXPECT_EQ(listen_url("[::]:5070"), "sip:*:5070");
    EXPECT_FALSE(listen_url("127.0.0.1"));
    EXPECT_FALSE(listen_url("not a host:port"));
}

TEST(SipAddresses, digest_credentials_quote_the_realm_once) {
    const ff::config::SipUser user{"op1", "s3cret!", "1001", "Ann"};
    EXPECT_EQ(digest_credentials("\"pbx.lab\"", user), "Digest:\"pbx.lab\":op1:s3cret!");
    EXPECT_EQ(digest_credentials("pbx.lab", user), "Digest:\"pbx.lab\":op1:s3cret!");
}
