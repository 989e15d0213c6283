// rtpengine's DTMF log datagrams (--dtmf-log-dest) read into keys; anything else is refused.
#include <gtest/gtest.h>

#include "media/key_report.hpp"

using ff::media::parse_key_report;

TEST(MediaKeyReport, a_report_names_the_call_the_party_and_the_key) {
    const auto report = parse_key_report(
        R"({"callid":"c-1","source_tag":"customer","tags":["customer","operator"],"type":"DTMF",)"
        R"("timestamp":1764921600,"source_ip":"127.0.0.1","event":11,"duration":120,"volume":10})");
    ASSERT_TRUE(report);
    EXPECT_EQ(report->call_id, "c-1");
    EXPECT_EQ(report->source_tag, "customer");
    EXPECT_EQ(report->key, '#');
    EXPECT_EQ(parse_key_report(R"({"callid":"c","source_tag":"t","type":"DTMF","event":0})")->key, '0');
    EXPECT_EQ(parse_key_report(R"({"callid":"c","source_tag":"t","type":"DTMF","event":15})")->key, 'D');
}

TEST(MediaKeyReport, anything_but_a_key_report_is_refused) {
    for (const char* wrong : {
             "", "not json", "[]", R"({"callid":"c","source_tag":"t","type":"DTMF","event":16})",
             R"({"callid":"c","source_tag":"t","type":"DTMF","event":-1})",
             R"({"callid":"c","source_tag":"t","type":"DTMF","event":"5"})",
             R"({"callid":"c","source_tag":"t","type":"tone","event":5})",
             R"({"callid":"","source_tag":"t","type":"DTMF","event":5})",
             R"({"source_tag":"t","type":"DTMF","event":5})", R"({"callid":"c","type":"DTMF","event":5})",
             R"({"callid":7,"source_tag":"t","type":"DTMF","event":5})"}) {
        EXPECT_FALSE(parse_key_report(wrong)) << wrong;
    }
}
