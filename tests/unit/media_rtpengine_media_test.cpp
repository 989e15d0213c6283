// The media operations over real rtpengines: one call from offer to removal, and a dead instance skipped.
#include "media/rtpengine_media.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>

#include "support/media_rtpengine.hpp"

using namespace ff::media;
using std::chrono::milliseconds;

namespace {

const std::string phone_sdp =
    "v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\n"
    "m=audio 4000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
const std::string pbx_sdp =
    "v=0\r\no=- 2 2 IN IP4 10.0.0.2\r\ns=-\r\nc=IN IP4 10.0.0.2\r\nt=0 0\r\n"
    "m=audio 5000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";

// Completions come on the media thread; the test thread waits for them here.
template <class T>
T wait_for(std::future<T>& future) {
    if (future.wait_for(std::chrono::seconds(10)) != std::future_status::ready) {
        ADD_FAILURE() << "no completion within 10 s";
        std::abort();
    }
    return future.get();
}

// What a browser offers (the shape of Chromium's offer): ICE, DTLS-SRTP, RTCP on the RTP port, Opus first.
const std::string browser_sdp =
    "v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\n"
    "a=msid-semantic: WMS\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111 0 8 126\r\nc=IN IP4 0.0.0.0\r\n"
    "a=rtcp:9 IN IP4 0.0.0.0\r\na=candidate:1 1 udp 2113937151 127.0.0.1 50000 typ host generation 0\r\n"
    "a=ice-ufrag:abcd\r\na=ice-pwd:abcdefghijklmnopqrstuvwx\r\na=ice-options:trickle\r\n"
    "a=fingerprint:sha-256 "
    "12:34:56:78:9A:BC:DE:F0:12:34:56:78:9A:BC:DE:F0:12:34:56:78:9A:BC:DE:F0:12:34:56:78:9A:BC:DE:F0\r\n"
    "a=setup:actpass\r\na=mid:0\r\na=sendrecv\r\na=rtcp-mux\r\na=rtpmap:111 opus/48000/2\r\n"
    "a=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:126 telephone-event/8000\r\n";

MediaResult<std::string> offer(RtpengineMedia& media, const std::string& call_id, const std::string& sdp,
                               OfferOptions options = {}) {
    std::promise<MediaResult<std::string>> promise;
    auto future = promise.get_future();
    media.offer(call_id, "phone", sdp, options, [&](MediaResult<std::string> result) { promise.set_value(std::move(result)); });
    return wait_for(future);
}

MediaResult<std::string> answer(RtpengineMedia& media, const std::string& call_id) {
    std::promise<MediaResult<std::string>> promise;
    auto future = promise.get_future();
    media.answer(call_id, "phone", "pbx", pbx_sdp, AnswerOptions{}, [&](MediaResult<std::string> result) { promise.set_value(std::move(result)); });
    return wait_for(future);
}

MediaResult<CallStats> query(RtpengineMedia& media, const std::string& call_id) {
    std::promise<MediaResult<CallStats>> promise;
    auto future = promise.get_future();
    media.query(call_id, [&](MediaResult<CallStats> result) { promise.set_value(std::move(result)); });
    return wait_for(future);
}

MediaStatus remove(RtpengineMedia& media, const std::string& call_id) {
    std::promise<MediaStatus> promise;
    auto future = promise.get_future();
    media.remove(call_id, [&](MediaStatus result) { promise.set_value(std::move(result)); });
    return wait_for(future);
}

RtpengineMediaSettings settings_for(std::vector<NgAddress> instances) {
    RtpengineMediaSettings settings;
    settings.instances = std::move(instances);
    return settings;
}

}  // namespace

TEST(MediaRtpengineMedia, a_call_from_offer_to_removal) {
    auto rtpengine = ff::testing::start_test_rtpengine();
    ASSERT_TRUE(rtpengine);
    RtpengineMedia media(settings_for({rtpengine->ng_address()}));

    const auto offered = offer(media, "call-1", phone_sdp);
    ASSERT_TRUE(offered.ok()) << offered.error().message;
    EXPECT_NE(offered.value().find("c=IN IP4 127.0.0.1"), std::string::npos) << offered.value();
    EXPECT_NE(offered.value().find("o=- 1 1 IN IP4 127.0.0.1"), std::string::npos) << offered.value();
    const auto answered = answer(media, "call-1");
    ASSERT_TRUE(answered.ok()) << answered.error().message;
    EXPECT_NE(answered.value().find("c=IN IP4 127.0.0.1"), std::string::npos) << answered.value();

    const auto stats = query(media, "call-1");
    ASSERT_TRUE(stats.ok()) << stats.error().message;
    ASSERT_EQ(stats.value().parties.size(), 2u);
    const PartyStats* phone = stats.value().party("phone");
    ASSERT_NE(phone, nullptr);
    EXPECT_EQ(phone->endpoint, "10.0.0.1:4000");
    EXPECT_EQ(phone->rtp_packets, 0u);
    EXPECT_GT(phone->local_port, 0);
    ASSERT_NE(stats.value().party("pbx"), nullptr);
    EXPECT_EQ(stats.value().party("pbx")->endpoint, "10.0.0.2:5000");

    EXPECT_TRUE(remove(media, "call-1").ok());
    const auto after = query(media, "call-1");
    ASSERT_FALSE(after.ok());
    EXPECT_EQ(after.error().kind, MediaErrorKind::unavailable);
    EXPECT_NE(after.error().message.find("no offer was made"), std::string::npos) << after.error().message;
}

TEST(MediaRtpengineMedia, rtp_sent_to_rtpengine_is_counted_for_the_party_that_sent_it) {
    auto rtpengine = ff::testing::start_test_rtpengine();
    ASSERT_TRUE(rtpengine);
    RtpengineMedia media(settings_for({rtpengine->ng_address()}));
    ASSERT_TRUE(offer(media, "call-rtp", phone_sdp).ok());
    const auto answered = answer(media, "call-rtp");
    ASSERT_TRUE(answered.ok()) << answered.error().message;
    // The phone gets the answer: it sends its RTP to the port written there.
    const auto at = answered.value().find("m=audio ");
    ASSERT_NE(at, std::string::npos);
    const auto port = static_cast<unsigned short>(std::stoi(answered.value().substr(at + 8)));

    boost::asio::io_context io;
    boost::asio::ip::udp::socket phone(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
    for (unsigned sequence = 0; sequence < 5; ++sequence) {
        std::array<unsigned char, 172> packet{};
        packet[0] = 0x80;  // RTP version 2, payload type 0 (PCMU)
        packet[3] = static_cast<unsigned char>(sequence);
        packet[11] = 1;  // SSRC
        phone.send_to(boost::asio::buffer(packet), {boost::asio::ip::make_address("127.0.0.1"), port});
    }
    // rtpengine counts on its own threads: ask until the five are there.
    std::uint64_t counted = 0;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
    while (counted < 5 && std::chrono::steady_clock::now() < deadline) {
        const auto stats = query(media, "call-rtp");
        ASSERT_TRUE(stats.ok()) << stats.error().message;
        ASSERT_NE(stats.value().party("phone"), nullptr);
        counted = stats.value().party("phone")->rtp_packets;
        if (counted < 5) std::this_thread::yield();
    }
    EXPECT_EQ(counted, 5u);
}

TEST(MediaRtpengineMedia, the_public_address_is_written_into_the_sdp) {
    auto rtpengine = ff::testing::start_test_rtpengine();
    ASSERT_TRUE(rtpengine);
    auto settings = settings_for({rtpengine->ng_address()});
    settings.advertised_address = "203.0.113.9";
    RtpengineMedia media(settings);
    const auto offered = offer(media, "call-public", phone_sdp);
    ASSERT_TRUE(offered.ok()) << offered.error().message;
    EXPECT_NE(offered.value().find("c=IN IP4 203.0.113.9"), std::string::npos) << offered.value();
}

TEST(MediaRtpengineMedia, a_new_call_whose_instance_does_not_answer_goes_to_the_next_one) {
    auto rtpengine = ff::testing::start_test_rtpengine();
    ASSERT_TRUE(rtpengine);
    boost::asio::io_context io;
    boost::asio::ip::udp::socket silent(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
    auto settings = settings_for({NgAddress{"127.0.0.1", silent.local_endpoint().port()}, rtpengine->ng_address()});
    settings.timing = NgTiming{milliseconds(50), milliseconds(300)};
    settings.probe_every = milliseconds(60'000);
    RtpengineMedia media(settings);

    // The first call is offered to the first instance (no calls yet), which does not answer: after its timeout
    // the offer goes to the living one, and so do the calls after it, without waiting again.
    const auto started = std::chrono::steady_clock::now();
    const auto first = offer(media, "call-a", phone_sdp);
    ASSERT_TRUE(first.ok()) << first.error().message;
    EXPECT_GE(std::chrono::steady_clock::now() - started, milliseconds(300));
    const auto next_started = std::chrono::steady_clock::now();
    const auto next = offer(media, "call-b", phone_sdp);
    ASSERT_TRUE(next.ok()) << next.error().message;
    EXPECT_LT(std::chrono::steady_clock::now() - next_started, milliseconds(300));
}

TEST(MediaRtpengineMedia, with_no_instance_answering_a_new_call_fails_at_once) {
    boost::asio::io_context io;
    boost::asio::ip::udp::socket silent(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
    auto settings = settings_for({NgAddress{"127.0.0.1", silent.local_endpoint().port()}});
    settings.timing = NgTiming{milliseconds(50), milliseconds(200)};
    settings.probe_every = milliseconds(60'000);
    RtpengineMedia media(settings);
    std::promise<std::size_t> probed;
    auto alive = probed.get_future();
    media.probe([&](std::size_t count) { probed.set_value(count); });
    EXPECT_EQ(wait_for(alive), 0u);
    const auto refused = offer(media, "call-x", phone_sdp);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().kind, MediaErrorKind::unavailable);
    EXPECT_NE(refused.error().message.find("no rtpengine answers"), std::string::npos) << refused.error().message;
}

TEST(MediaRtpengineMedia, a_probe_finds_a_living_instance) {
    auto rtpengine = ff::testing::start_test_rtpengine();
    ASSERT_TRUE(rtpengine);
    RtpengineMedia media(settings_for({rtpengine->ng_address()}));
    std::promise<std::size_t> probed;
    auto alive = probed.get_future();
    media.probe([&](std::size_t count) { probed.set_value(count); });
    EXPECT_EQ(wait_for(alive), 1u);
}

TEST(MediaRtpengineMedia, an_offer_to_a_browser_is_webrtc_and_a_browsers_offer_reaches_the_pbx_as_plain_g711) {
    auto rtpengine = ff::testing::start_test_rtpengine();
    ASSERT_TRUE(rtpengine);
    RtpengineMedia media(settings_for({rtpengine->ng_address()}));

    OfferOptions to_browser;
    to_browser.to = MediaPeer::webrtc;
    const auto webrtc = offer(media, "call-to-page", phone_sdp, to_browser);
    ASSERT_TRUE(webrtc.ok()) << webrtc.error().message;
    for (const char* wanted : {"UDP/TLS/RTP/SAVPF", "a=ice-ufrag:", "a=fingerprint:", "a=rtcp-mux", "a=candidate:"})
        EXPECT_NE(webrtc.value().find(wanted), std::string::npos) << wanted << " in\n" << webrtc.value();
    EXPECT_EQ(webrtc.value().find("a=crypto:"), std::string::npos) << "SDES keys go nowhere near a browser";

    OfferOptions from_browser;
    from_browser.from = MediaPeer::webrtc;
    const auto plain = offer(media, "call-from-page", browser_sdp, from_browser);
    ASSERT_TRUE(plain.ok()) << plain.error().message;
    EXPECT_NE(plain.value().find("m=audio "), std::string::npos);
    EXPECT_NE(plain.value().find(" RTP/AVP 0 8 126"), std::string::npos) << plain.value();
    for (const char* unwanted : {"opus", "a=ice-ufrag:", "a=fingerprint:", "SAVPF", "a=candidate:"})
        EXPECT_EQ(plain.value().find(unwanted), std::string::npos) << unwanted << " in\n" << plain.value();
    EXPECT_TRUE(remove(media, "call-to-page").ok());
    EXPECT_TRUE(remove(media, "call-from-page").ok());
}
