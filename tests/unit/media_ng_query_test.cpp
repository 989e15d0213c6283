// rtpengine's query answer read into counters per party: what each party sent (RTP, not RTCP), where, and
// how its audio fared at the other end according to the receiver reports keyed by its SSRC.
#include "media/ng_query.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace ff::media {
namespace {

// The shape rtpengine 10.5 answers "query" with: tags -> medias -> streams (RTP and RTCP), each stream with
// its stats and the SSRC it receives; receiver reports per SSRC at the top.
nlohmann::json answer_with_reports() {
    return nlohmann::json::parse(R"json({
      "result": "ok",
      "SSRC": {
        "1111": {"cumulative loss": 7, "average MOS": {"MOS": 43, "jitter": 4, "packet loss": 1, "samples": 3}},
        "2222": {}
      },
      "tags": {
        "customer": {"tag": "customer", "medias": [{"streams": [
          {"local port": 16004, "endpoint": {"family": "IPv4", "address": "127.0.0.1", "port": 40000},
           "flags": ["RTP"], "SSRC": 1111, "stats": {"packets": 500, "bytes": 86000, "errors": 0}},
          {"local port": 16005, "flags": ["RTCP"], "stats": {"packets": 3, "bytes": 300, "errors": 0}}
        ]}]},
        "operator": {"tag": "operator", "medias": [{"streams": [
          {"local port": 16008, "endpoint": {"family": "IPv6", "address": "::1", "port": 41000},
           "flags": ["RTP"], "SSRC": 2222, "stats": {"packets": 480, "bytes": 82560, "errors": 2}}
        ]}]}
      },
      "totals": {"RTP": {"packets": 980, "bytes": 168560, "errors": 2}, "RTCP": {"packets": 3}}
    })json");
}

TEST(NgQueryAnswer, counts_rtp_per_party_apart_from_rtcp) {
    const CallStats stats = parse_query_answer(answer_with_reports());
    ASSERT_EQ(stats.parties.size(), 2u);
    const PartyStats* customer = stats.party("customer");
    ASSERT_NE(customer, nullptr);
    EXPECT_EQ(customer->rtp_packets, 500u);
    EXPECT_EQ(customer->rtp_bytes, 86000u);
    EXPECT_EQ(customer->rtcp_packets, 3u);
    EXPECT_EQ(customer->local_port, 16004);
    EXPECT_EQ(customer->endpoint, "127.0.0.1:40000");
    EXPECT_EQ(customer->ssrc, 1111u);
    const PartyStats* operator_side = stats.party("operator");
    ASSERT_NE(operator_side, nullptr);
    EXPECT_EQ(operator_side->rtp_errors, 2u);
    EXPECT_EQ(operator_side->endpoint, "[::1]:41000");
    EXPECT_EQ(stats.total_rtp_packets, 980u);
    EXPECT_EQ(stats.total_rtp_errors, 2u);
}

TEST(NgQueryAnswer, loss_and_jitter_come_from_the_reports_about_the_partys_source) {
    const CallStats stats = parse_query_answer(answer_with_reports());
    const PartyStats* customer = stats.party("customer");
    ASSERT_NE(customer, nullptr);
    EXPECT_EQ(customer->lost, std::optional<std::uint64_t>(7));
    EXPECT_EQ(customer->jitter_ms, std::optional<double>(4));
    // No report about the operator's source yet: unknown, not zero.
    const PartyStats* operator_side = stats.party("operator");
    ASSERT_NE(operator_side, nullptr);
    EXPECT_FALSE(operator_side->lost.has_value());
    EXPECT_FALSE(operator_side->jitter_ms.has_value());
}

TEST(NgQueryAnswer, a_party_that_sent_nothing_has_zero_packets_and_no_source) {
    auto answer = answer_with_reports();
    answer["tags"]["operator"]["medias"][0]["streams"][0].erase("SSRC");
    answer["tags"]["operator"]["medias"][0]["streams"][0]["stats"] = {{"packets", 0}, {"bytes", 0}, {"errors", 0}};
    const CallStats stats = parse_query_answer(answer);
    const PartyStats* operator_side = stats.party("operator");
    ASSERT_NE(operator_side, nullptr);
    EXPECT_EQ(operator_side->rtp_packets, 0u);
    EXPECT_EQ(operator_side->ssrc, 0u);
    EXPECT_FALSE(operator_side->lost.has_value());
}

TEST(NgQueryAnswer, odd_fields_read_as_unknown_never_as_failure) {
    const auto answer = nlohmann::json::parse(R"json({
      "SSRC": {"1111": {"cumulative loss": "many", "average MOS": []}},
      "tags": {"customer": {"medias": [{"streams": [{"flags": "RTP", "SSRC": 1111, "stats": {"packets": -4}}]}]},
               "operator": 5}
    })json");
    const CallStats stats = parse_query_answer(answer);
    ASSERT_EQ(stats.parties.size(), 1u);
    EXPECT_EQ(stats.parties[0].rtp_packets, 0u);
    EXPECT_FALSE(stats.parties[0].lost.has_value());
    EXPECT_FALSE(stats.parties[0].jitter_ms.has_value());
    EXPECT_TRUE(parse_query_answer(nlohmann::json::array()).parties.empty());
}

}  // namespace
}  // namespace ff::media
