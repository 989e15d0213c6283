// The ng client against a real rtpengine, a port where nothing answers, and a peer that answers late.
#include "media/ng_client.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>

#include "support/media_rtpengine.hpp"

using namespace ff::media;
using nlohmann::json;
using std::chrono::milliseconds;
namespace asio = boost::asio;

namespace {

const std::string phone_sdp =
    "v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\n"
    "m=audio 4000 RTP/AVP 0 8\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\n";
const std::string pbx_sdp =
    "v=0\r\no=- 2 2 IN IP4 10.0.0.2\r\ns=-\r\nc=IN IP4 10.0.0.2\r\nt=0 0\r\n"
    "m=audio 5000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";

// Sends one request and runs the context until its answer (or fails the test).
MediaResult<json> ask(asio::io_context& io, NgClient& client, const json& dictionary,
                      milliseconds limit = milliseconds(5000)) {
    std::optional<MediaResult<json>> answer;
    client.request(dictionary, [&](MediaResult<json> result) { answer.emplace(std::move(result)); });
    EXPECT_TRUE(ff::testing::run_until(io, [&] { return answer.has_value(); }, limit)) << "no completion";
    return answer ? std::move(*answer) : MediaResult<json>(MediaError{MediaErrorKind::unavailable, "no completion"});
}

// The connection address and audio port of an SDP.
std::pair<std::string, int> media_address(const std::string& sdp) {
    std::smatch connection, audio;
    std::regex_search(sdp, connection, std::regex("c=IN IP4 ([0-9.]+)"));
    std::regex_search(sdp, audio, std::regex("m=audio ([0-9]+) "));
    return {connection.size() > 1 ? connection[1].str() : "", audio.size() > 1 ? std::stoi(audio[1].str()) : 0};
}

// A UDP socket on 127.0.0.1 that nobody reads: requests to it go unanswered.
struct SilentPort {
    explicit SilentPort(asio::io_context& io) : socket(io, asio::ip::udp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {}
    NgAddress address() const { return NgAddress{"127.0.0.1", socket.local_endpoint().port()}; }
    asio::ip::udp::socket socket;
};

}  // namespace

TEST(MediaNgClient, ping_is_answered_pong) {
    auto rtpengine = ff::testing::start_test_rtpengine();
    ASSERT_TRUE(rtpengine);
    asio::io_context io;
    NgClient client(io, rtpengine->ng_address());
    const auto answer = ask(io, client, json{{"command", "ping"}});
    ASSERT_TRUE(answer.ok()) << answer.error().message;
    EXPECT_EQ(answer.value().at("result"), "pong");
    EXPECT_EQ(client.pending(), 0u);
}

TEST(MediaNgClient, offer_and_answer_point_both_sdps_at_rtpengine_ports_in_the_range) {
    const auto settings = ff::testing::test_rtpengine_settings();
    auto rtpengine = ff::testing::start_test_rtpengine(settings);
    ASSERT_TRUE(rtpengine);
    asio::io_context io;
    NgClient client(io, rtpengine->ng_address());

    const auto offer = ask(io, client,
                           json{{"command", "offer"}, {"call-id", "call-1"}, {"from-tag", "phone"},
                                {"sdp", phone_sdp}, {"replace", {"origin", "session-connection"}}, {"ICE", "remove"}});
    ASSERT_TRUE(offer.ok()) << offer.error().message;
    const auto [offer_host, offer_port] = media_address(offer.value().at("sdp").get<std::string>());
    EXPECT_EQ(offer_host, "127.0.0.1");
    EXPECT_GE(offer_port, settings.port_min);
    EXPECT_LE(offer_port, settings.port_max);

    const auto answer = ask(io, client,
                            json{{"command", "answer"}, {"call-id", "call-1"}, {"from-tag", "phone"},
                                 {"to-tag", "pbx"}, {"sdp", pbx_sdp}, {"replace", {"origin", "session-connection"}}});
    ASSERT_TRUE(answer.ok()) << answer.error().message;
    const auto [answer_host, answer_port] = media_address(answer.value().at("sdp").get<std::string>());
    EXPECT_EQ(answer_host, "127.0.0.1");
    EXPECT_GE(answer_port, settings.port_min);
    EXPECT_LE(answer_port, settings.port_max);
    EXPECT_NE(answer_port, offer_port);
}

TEST(MediaNgClient, query_reports_both_tags_and_delete_releases_the_call) {
    auto rtpengine = ff::testing::start_test_rtpengine();
    ASSERT_TRUE(rtpengine);
    asio::io_context io;
    NgClient client(io, rtpengine->ng_address());
    ASSERT_TRUE(ask(io, client, json{{"command", "offer"}, {"call-id", "call-2"}, {"from-tag", "phone"}, {"sdp", phone_sdp}}));
    ASSERT_TRUE(ask(io, client, json{{"command", "answer"}, {"call-id", "call-2"}, {"from-tag", "phone"},
                                     {"to-tag", "pbx"}, {"sdp", pbx_sdp}}));

    const auto query = ask(io, client, json{{"command", "query"}, {"call-id", "call-2"}});
    ASSERT_TRUE(query.ok()) << query.error().message;
    EXPECT_TRUE(query.value().at("tags").contains("phone"));
    EXPECT_TRUE(query.value().at("tags").contains("pbx"));

    const auto removed = ask(io, client, json{{"command", "delete"}, {"call-id", "call-2"}});
    EXPECT_TRUE(removed.ok()) << removed.error().message;
}

TEST(MediaNgClient, an_error_result_is_an_error_with_rtpengines_reason) {
    auto rtpengine = ff::testing::start_test_rtpengine();
    ASSERT_TRUE(rtpengine);
    asio::io_context io;
    NgClient client(io, rtpengine->ng_address());
    const auto answer = ask(io, client, json{{"command", "query"}, {"call-id", "no-such-call"}});
    ASSERT_FALSE(answer.ok());
    EXPECT_EQ(answer.error().kind, MediaErrorKind::rejected);
    EXPECT_NE(answer.error().message.find("Unknown call-id"), std::string::npos) << answer.error().message;
    EXPECT_NE(answer.error().message.find(rtpengine->ng_address().text()), std::string::npos) << answer.error().message;
    EXPECT_NE(answer.error().message.find("'query'"), std::string::npos) << answer.error().message;
}

TEST(MediaNgClient, a_silent_port_times_out_naming_the_address_after_retransmissions) {
    asio::io_context io;
    SilentPort silent(io);
    NgClient client(io, silent.address(), NgTiming{milliseconds(100), milliseconds(450)});
    const auto started = std::chrono::steady_clock::now();
    const auto answer = ask(io, client, json{{"command", "ping"}});
    const auto took = std::chrono::steady_clock::now() - started;
    ASSERT_FALSE(answer.ok());
    EXPECT_EQ(answer.error().kind, MediaErrorKind::timeout);
    EXPECT_NE(answer.error().message.find(silent.address().text()), std::string::npos) << answer.error().message;
    EXPECT_NE(answer.error().message.find(" datagrams sent"), std::string::npos) << answer.error().message;
    EXPECT_GE(took, milliseconds(450));
    EXPECT_LT(took, milliseconds(2000));
    EXPECT_EQ(client.pending(), 0u);
}

TEST(MediaNgClient, a_lost_first_datagram_is_retransmitted_with_the_same_cookie) {
    asio::io_context io;
    SilentPort peer(io);
    std::vector<std::string> received;
    std::array<char, 2048> buffer{};
    asio::ip::udp::endpoint sender;
    // Drops the first datagram, answers the second with its cookie.
    std::function<void()> receive = [&] {
        peer.socket.async_receive_from(asio::buffer(buffer), sender, [&](const boost::system::error_code& error, std::size_t size) {
            if (error) return;
            received.emplace_back(buffer.data(), size);
            if (received.size() == 2) {
                const std::string cookie = received.back().substr(0, received.back().find(' '));
                peer.socket.send_to(asio::buffer(cookie + " {\"result\":\"pong\"}"), sender);
            }
            receive();
        });
    };
    receive();
    NgClient client(io, peer.address(), NgTiming{milliseconds(100), milliseconds(3000)});
    const auto answer = ask(io, client, json{{"command", "ping"}});
    ASSERT_TRUE(answer.ok()) << answer.error().message;
    ASSERT_EQ(received.size(), 2u);
    EXPECT_EQ(received[0], received[1]);
}

TEST(MediaNgClient, an_answer_that_is_not_json_is_a_bad_answer) {
    asio::io_context io;
    SilentPort peer(io);
    std::array<char, 2048> buffer{};
    asio::ip::udp::endpoint sender;
    peer.socket.async_receive_from(asio::buffer(buffer), sender, [&](const boost::system::error_code& error, std::size_t size) {
        if (error) return;
        const std::string datagram(buffer.data(), size);
        peer.socket.send_to(asio::buffer(datagram.substr(0, datagram.find(' ')) + " d6:result4:ponge"), sender);
    });
    NgClient client(io, peer.address());
    const auto answer = ask(io, client, json{{"command", "ping"}});
    ASSERT_FALSE(answer.ok());
    EXPECT_EQ(answer.error().kind, MediaErrorKind::bad_answer);
    EXPECT_NE(answer.error().message.find("not a JSON object"), std::string::npos) << answer.error().message;
}

TEST(MediaNgClient, an_answer_with_another_cookie_is_ignored_and_named_in_the_timeout) {
    asio::io_context io;
    SilentPort peer(io);
    std::array<char, 2048> buffer{};
    asio::ip::udp::endpoint sender;
    peer.socket.async_receive_from(asio::buffer(buffer), sender, [&](const boost::system::error_code& error, std::size_t) {
        if (!error) peer.socket.send_to(asio::buffer(std::string("not-the-cookie {\"result\":\"pong\"}")), sender);
    });
    NgClient client(io, peer.address(), NgTiming{milliseconds(100), milliseconds(300)});
    const auto answer = ask(io, client, json{{"command", "ping"}});
    ASSERT_FALSE(answer.ok());
    EXPECT_EQ(answer.error().kind, MediaErrorKind::timeout);
    EXPECT_NE(answer.error().message.find("unknown cookie"), std::string::npos) << answer.error().message;
}
