// With TLS on, each line registers the Contact of the listener for its own transport.
#include <gtest/gtest.h>

#include "sip/stack/tls_contact.hpp"

using ff::config::SipTransport;
using ff::sip::line_contact;
using ff::sip::LineConfig;

namespace {

LineConfig line(SipTransport transport) {
    LineConfig config;
    config.user.username = "operator1";
    config.user.extension = "1001";
    config.server = "127.0.0.1";
    config.port = 5061;
    config.transport = transport;
    return config;
}

}  // namespace

TEST(SipLineContact, each_transport_names_its_own_listener) {
    EXPECT_EQ(line_contact(line(SipTransport::tls), "10.0.0.7:5060", "10.0.0.7:5071"),
              "<sip:operator1@10.0.0.7:5071;transport=tls>");
    EXPECT_EQ(line_contact(line(SipTransport::udp), "10.0.0.7:5060", "10.0.0.7:5071"),
              "<sip:operator1@10.0.0.7:5060>");
    EXPECT_EQ(line_contact(line(SipTransport::tcp), "10.0.0.7:5060", "10.0.0.7:5071"),
              "<sip:operator1@10.0.0.7:5060;transport=tcp>");
    EXPECT_EQ(line_contact(line(SipTransport::tls), "[::1]:5060", "[::1]:5061"),
              "<sip:operator1@[::1]:5061;transport=tls>");
}

TEST(SipLineContact, a_wildcard_listener_is_named_by_the_address_towards_the_pbx) {
    EXPECT_EQ(line_contact(line(SipTransport::tls), "0.0.0.0:5060", "0.0.0.0:5061"),
              "<sip:operator1@127.0.0.1:5061;transport=tls>");
    auto unresolvable = line(SipTransport::udp);
    unresolvable.server = "pbx.invalid";
    EXPECT_EQ(line_contact(unresolvable, "0.0.0.0:5060", "0.0.0.0:5061"), std::nullopt);
    EXPECT_EQ(line_contact(line(SipTransport::udp), "not an address", "0.0.0.0:5061"), std::nullopt);
}
