// Engine.IO request handling without sockets: handshake, the standard error answers, polling round trips.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>
#include <nlohmann/json.hpp>

#include "realtime/engine_server.hpp"

using namespace ff;
using namespace ff::realtime;
using nlohmann::json;
namespace beast_http = boost::beast::http;

namespace {

struct Upper final : EngineListener {
    std::vector<std::string> messages;
    std::vector<std::string> bearer_tokens;
    std::vector<std::string> closes;
    void on_open(const std::shared_ptr<EngineSession>&, const HandshakeInfo& handshake) override {
        bearer_tokens.push_back(handshake.bearer_token);
    }
    void on_message(EngineSession&, std::string_view data) override { messages.emplace_back(data); }
    void on_close(EngineSession&, std::string_view reason) override { closes.emplace_back(reason); }
};

struct EngineServerTest : ::testing::Test {
    boost::asio::io_context io;
    Upper upper;
    EngineServer server{boost::asio::make_strand(io), EngineOptions{{}, 64}, upper};

    // Sends one request; the answer, if given before returning (held polls are not).
    std::optional<http::Response> request(beast_http::verb method, const std::string& target,
                                          std::string body = {},
                                          std::shared_ptr<std::optional<http::Response>> slot = nullptr) {
        http::Request request{method, target, 11};
        request.body() = std::move(body);
        if (!slot) slot = std::make_shared<std::optional<http::Response>>();
        server.handle_http(request, http::PeerInfo{"127.0.0.1"},
                           [slot](http::Response response) { *slot = response; });
        return *slot;
    }
    std::string handshake() {
        const auto answer = request(beast_http::verb::get, "/socket.io/?EIO=4&transport=polling");
        EXPECT_TRUE(answer);
        EXPECT_EQ(answer->body().front(), '0');
        return json::parse(answer->body().substr(1))["sid"];
    }
    static int error_code(const std::optional<http::Response>& answer) {
        EXPECT_TRUE(answer);
        EXPECT_EQ(answer->result(), beast_http::status::bad_request);
        return json::parse(answer->body())["code"];
    }
};

}  // namespace

TEST_F(EngineServerTest, polling_handshake_answers_open_packet) {
    const auto answer = request(beast_http::verb::get, "/socket.io/?EIO=4&transport=polling&t=abc");
    ASSERT_TRUE(answer);
    EXPECT_EQ(answer->result(), beast_http::status::ok);
    EXPECT_EQ((*answer)[beast_http::field::content_type], "text/plain; charset=UTF-8");
    const auto open = json::parse(answer->body().substr(1));
    EXPECT_EQ(open["sid"].get<std::string>().size(), 20u);
    EXPECT_EQ(open["upgrades"], json::array({"websocket"}));
    EXPECT_EQ(open["pingInterval"], 25000);
    EXPECT_EQ(open["pingTimeout"], 20000);
    EXPECT_EQ(open["maxPayload"], 64);
    EXPECT_EQ(server.session_count(), 1u);
}

TEST_F(EngineServerTest, bearer_header_of_the_handshake_is_passed_up) {
    http::Request handshake{beast_http::verb::get, "/socket.io/?EIO=4&transport=polling", 11};
    handshake.set(beast_http::field::authorization, "Bearer fft_secret");
    server.handle_http(handshake, http::PeerInfo{"127.0.0.1"}, [](http::Response) {});
    EXPECT_EQ(upper.bearer_tokens, (std::vector<std::string>{"fft_secret"}));
}

TEST_F(EngineServerTest, bad_requests_get_the_standard_error_codes) {
    EXPECT_EQ(error_code(request(beast_http::verb::get, "/socket.io/?EIO=4")), 0);
    EXPECT_EQ(error_code(request(beast_http::verb::get, "/socket.io/?EIO=4&transport=carrier-pigeon")), 0);
    EXPECT_EQ(error_code(request(beast_http::verb::get, "/socket.io/?EIO=4&transport=polling&sid=nope")), 1);
    EXPECT_EQ(error_code(request(beast_http::verb::post, "/socket.io/?EIO=4&transport=polling", "40")), 2);
    EXPECT_EQ(error_code(request(beast_http::verb::get, "/socket.io/?EIO=4&transport=websocket")), 3);
    EXPECT_EQ(error_code(request(beast_http::verb::get, "/socket.io/?EIO=3&transport=polling")), 5);
    EXPECT_EQ(error_code(request(beast_http::verb::get, "/socket.io/?transport=polling")), 5);
    const auto answer = request(beast_http::verb::get, "/socket.io/?EIO=4");
    EXPECT_EQ(json::parse(answer->body())["message"], "Transport unknown");
    EXPECT_EQ(server.session_count(), 0u);
}

TEST_F(EngineServerTest, post_is_answered_ok_and_messages_reach_the_layer_above) {
    const auto sid = handshake();
    const auto answer = request(beast_http::verb::post, "/socket.io/?EIO=4&transport=polling&sid=" + sid,
                                "40\x1e"
                                "41");
    ASSERT_TRUE(answer);
    EXPECT_EQ(answer->body(), "ok");
    EXPECT_EQ(upper.messages, (std::vector<std::string>{"0", "1"}));
}

TEST_F(EngineServerTest, post_over_max_payload_is_refused_with_413) {
    const auto sid = handshake();
    const auto answer = request(beast_http::verb::post, "/socket.io/?EIO=4&transport=polling&sid=" + sid,
                                "4" + std::string(100, 'x'));
    ASSERT_TRUE(answer);
    EXPECT_EQ(answer->result(), beast_http::status::payload_too_large);
    EXPECT_TRUE(upper.messages.empty());
}

TEST_F(EngineServerTest, malformed_post_is_400_and_ends_that_session_only) {
    const auto first = handshake();
    const auto second = handshake();
    EXPECT_EQ(error_code(request(beast_http::verb::post, "/socket.io/?EIO=4&transport=polling&sid=" + first,
                                 "hello")),
              3);
    EXPECT_EQ(server.session_count(), 1u);
    EXPECT_FALSE(server.find(first));
    EXPECT_TRUE(server.find(second));
    EXPECT_EQ(error_code(request(beast_http::verb::get, "/socket.io/?EIO=4&transport=polling&sid=" + first)),
              1);
}

TEST_F(EngineServerTest, binary_packet_is_refused) {
    const auto sid = handshake();
    EXPECT_EQ(error_code(request(beast_http::verb::post, "/socket.io/?EIO=4&transport=polling&sid=" + sid,
                                 "bAQIDBA==")),
              3);
}

TEST_F(EngineServerTest, overlapping_polls_end_the_session) {
    const auto sid = handshake();
    const auto held = std::make_shared<std::optional<http::Response>>();
    EXPECT_FALSE(request(beast_http::verb::get, "/socket.io/?EIO=4&transport=polling&sid=" + sid, {}, held));
    EXPECT_EQ(error_code(request(beast_http::verb::get, "/socket.io/?EIO=4&transport=polling&sid=" + sid)),
              3);
    ASSERT_TRUE(*held);
    EXPECT_EQ((*held)->body(), "1");
    EXPECT_EQ(server.session_count(), 0u);
}

TEST_F(EngineServerTest, close_all_ends_held_polls_and_refuses_new_handshakes) {
    const auto sid = handshake();
    const auto held = std::make_shared<std::optional<http::Response>>();
    EXPECT_FALSE(request(beast_http::verb::get, "/socket.io/?EIO=4&transport=polling&sid=" + sid, {}, held));
    server.close_all("server shutting down", true);
    ASSERT_TRUE(*held);
    EXPECT_EQ((*held)->body(), "1");
    EXPECT_EQ(upper.closes, (std::vector<std::string>{"server shutting down"}));
    const auto refused = request(beast_http::verb::get, "/socket.io/?EIO=4&transport=polling");
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->result(), beast_http::status::service_unavailable);
}

TEST(BearerToken, only_the_bearer_scheme_counts) {
    http::Request request;
    request.set(beast_http::field::authorization, "bearer abc ");
    EXPECT_EQ(bearer_token_of(request), "abc");
    request.set(beast_http::field::authorization, "Basic abc");
    EXPECT_EQ(bearer_token_of(request), "");
    request.set(beast_http::field::authorization, "Bearer ");
    EXPECT_EQ(bearer_token_of(request), "");
}
