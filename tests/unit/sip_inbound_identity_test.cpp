// Who an inbound call is from, what the customer dialled and what they chose in the IVR, read from INVITEs
// as PBXs send them (parsed by Sofia-SIP, with its extra headers as the service registers them).
#include <gtest/gtest.h>
#include <sofia-sip/msg.h>
#include <sofia-sip/sip.h>
#include <sofia-sip/sip_extra.h>

#include "sip/bridge/inbound_identity.hpp"

using namespace ff::sip;

namespace {

// An INVITE from the PBX to the line operator1 (extension 1001) with `headers` added.
class Invite {
  public:
    explicit Invite(const std::string& headers, const std::string& to = "<sip:1001@pbx.lab>") {
        static msg_mclass_t const* const mclass = sip_extend_mclass(nullptr);
        const std::string text = "INVITE sip:operator1@127.0.0.1:5080 SIP/2.0\r\n"
                                 "Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK1\r\n"
                                 "From: <sip:100@pbx.lab>;tag=a\r\n"
                                 "To: " + to + "\r\n"
                                 "Call-ID: call-1\r\n"
                                 "CSeq: 1 INVITE\r\n" +
                                 headers + "Content-Length: 0\r\n\r\n";
        msg_ = msg_make(mclass, 0, text.data(), static_cast<ssize_t>(text.size()));
    }
    ~Invite() { msg_destroy(msg_); }
    Invite(const Invite&) = delete;
    Invite& operator=(const Invite&) = delete;
    const sip_t* sip() const { return sip_object(msg_); }

  private:
    msg_t* msg_;
};

const std::vector<std::string> default_order{"pcpid", "diversion", "history", "to", "ruri"};
const std::vector<std::string> line{"1001", "operator1"};

}  // namespace

TEST(SipInboundIdentity, the_dialled_number_comes_from_the_first_header_in_the_order_that_names_one) {
    Invite all("P-Called-Party-ID: <sip:+74951234567@pbx.lab>\r\n"
               "Diversion: <sip:84957654321@pbx.lab>;reason=unconditional\r\n");
    ASSERT_NE(all.sip(), nullptr);
    EXPECT_EQ(dialled_number(all.sip(), default_order, line), "+74951234567");
    EXPECT_EQ(dialled_number(all.sip(), {"diversion", "pcpid"}, line), "84957654321");

    Invite diverted("Diversion: \"Пицца, центр\" <sip:74957654321@pbx.lab>;reason=unconditional, <sip:999@pbx.lab>\r\n");
    EXPECT_EQ(dialled_number(diverted.sip(), default_order, line), "74957654321") << "the first of the list";

    Invite history("History-Info: <sip:+74950000001@pbx.lab>;index=1, <sip:1001@pbx.lab>;index=1.1\r\n");
    EXPECT_EQ(dialled_number(history.sip(), default_order, line), "+74950000001");

    Invite to_the_did("", "<sip:+74951112233@pbx.lab>");
    EXPECT_EQ(dialled_number(to_the_did.sip(), default_order, line), "+74951112233");
}

TEST(SipInboundIdentity, the_operators_own_line_is_no_dialled_number) {
    Invite plain("");
    EXPECT_EQ(dialled_number(plain.sip(), default_order, line), "") << "To is 1001 and the request URI operator1";
    Invite garbled("P-Called-Party-ID: not an address at all <\r\n");
    EXPECT_EQ(dialled_number(garbled.sip(), {"pcpid"}, line), "");
}

TEST(SipInboundIdentity, the_ivr_choice_is_the_named_headers_value_when_it_is_short_printable_text) {
    Invite chose("X-IVR-Choice:  2 \r\n");
    EXPECT_EQ(ivr_choice(chose.sip(), "X-IVR-Choice"), "2");
    EXPECT_EQ(ivr_choice(chose.sip(), "x-ivr-choice"), "2") << "header names are case-insensitive";
    EXPECT_EQ(ivr_choice(chose.sip(), ""), "") << "no IVR_HEADER: nothing is read";
    Invite long_one("X-IVR-Choice: " + std::string(40, '1') + "\r\n");
    EXPECT_EQ(ivr_choice(long_one.sip(), "X-IVR-Choice"), "");
}

TEST(SipInboundIdentity, the_caller_is_read_from_pai_then_rpid_then_from) {
    Invite asserted("P-Asserted-Identity: <sip:+79991234567@pbx.lab>\r\n");
    EXPECT_EQ(caller_number(asserted.sip(), {"pai", "rpid", "from"}), "+79991234567");
    EXPECT_EQ(caller_number(asserted.sip(), {"from"}), "100");
}
