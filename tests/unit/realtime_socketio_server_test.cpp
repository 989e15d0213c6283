// The Socket.IO layer over real engine sessions (polling, no sockets): auth, rooms, snapshot, acks, errors.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>

#include "calls/events.hpp"
#include "realtime/event_fanout.hpp"
#include "realtime/socketio_server.hpp"

using namespace ff;
using namespace ff::realtime;
using nlohmann::json;

namespace {

// Stands in for the engine server: owns the sessions and forwards their callbacks.
struct Engine final : SessionListener {
    SocketIoServer* socketio = nullptr;
    void on_message(EngineSession& session, std::string_view data) override {
        socketio->on_message(session, data);
    }
    void on_closed(EngineSession& session, std::string_view reason) override {
        socketio->on_close(session, reason);
    }
};

calls::Call make_call(std::string id, std::string extension) {
    calls::Call call;
    call.id = std::move(id);
    call.from = "+79991234567";
    call.to = extension;
    call.extension = std::move(extension);
    call.start_time = calls::now_ms();
    return call;
}

struct Client {
    std::shared_ptr<EngineSession> session;
    std::vector<std::string> received;  // engine.io packets, one per element

    void poll() {
        (void)session->on_poll([this](std::string payload) {
            std::size_t start = 0;
            while (true) {
                const auto end = payload.find('\x1e', start);
                received.push_back(
                    payload.substr(start, end == std::string::npos ? std::string::npos : end - start));
                if (end == std::string::npos) break;
                start = end + 1;
            }
            if (!session->is_closed()) poll();
        });
    }
    std::vector<std::string> events_named(const std::string& name) const {
        std::vector<std::string> found;
        for (const auto& packet : received) {
            if (packet.rfind("42[\"" + name + "\"", 0) == 0) found.push_back(packet);
        }
        return found;
    }
};

struct SocketIoTest : ::testing::Test {
    boost::asio::io_context io;
    Engine engine;
    std::vector<calls::Call> active = {make_call("c1", "1001"), make_call("c2", "1002")};
    SocketIoServer socketio{boost::asio::make_strand(io),
                            SocketIoSources{
                                [](std::string_view token) -> std::optional<auth::Principal> {
                                    if (token == "op1001")
                                        return auth::Principal{"t1", "Ivanov", auth::Role::operator_, "1001"};
                                    if (token == "op1002")
                                        return auth::Principal{"t2", "Petrov", auth::Role::operator_, "1002"};
                                    if (token == "super")
                                        return auth::Principal{"t3", "Boss", auth::Role::supervisor, ""};
                                    return std::nullopt;
                                },
                                [this] { return active; },
                                [] {
                                    return calls::TelephonyStatus{true, 2, {}};
                                },
                            }};
    std::vector<std::unique_ptr<Client>> clients;

    SocketIoTest() { engine.socketio = &socketio; }

    Client& open(std::string bearer = {}) {
        auto client = std::make_unique<Client>();
        client->session = std::make_shared<EngineSession>(
            boost::asio::make_strand(io), "sid" + std::to_string(clients.size()), SessionOptions{}, engine);
        client->session->start(make_frame(EnginePacketType::open, "{}"));
        socketio.on_open(client->session,
                         HandshakeInfo{std::move(bearer), "127.0.0.1", TransportKind::polling});
        client->poll();
        clients.push_back(std::move(client));
        return *clients.back();
    }
    Client& connect(const std::string& token) {
        Client& client = open();
        EXPECT_TRUE(client.session->on_post(R"(40{"token":")" + token + R"("})"));
        return client;
    }
};

}  // namespace

TEST_F(SocketIoTest, connect_with_token_answers_sid_then_snapshot_of_visible_calls) {
    Client& client = connect("op1001");
    ASSERT_GE(client.received.size(), 3u);
    EXPECT_EQ(client.received[0], "0{}");
    EXPECT_EQ(client.received[1].rfind("40{\"sid\":\"", 0), 0u);
    const auto snapshot = client.events_named("calls:snapshot");
    ASSERT_EQ(snapshot.size(), 1u);
    const auto payload = json::parse(snapshot[0].substr(2))[1];
    ASSERT_EQ(payload["calls"].size(), 1u);
    EXPECT_EQ(payload["calls"][0]["id"], "c1");
    EXPECT_EQ(payload["sip"]["connected"], true);
    EXPECT_EQ(socketio.connected_count(), 1u);
}

TEST_F(SocketIoTest, supervisor_snapshot_has_every_call) {
    Client& client = connect("super");
    const auto payload = json::parse(client.events_named("calls:snapshot").at(0).substr(2))[1];
    EXPECT_EQ(payload["calls"].size(), 2u);
}

TEST_F(SocketIoTest, bearer_header_of_the_handshake_authenticates_connect_without_auth) {
    Client& client = open("super");
    ASSERT_TRUE(client.session->on_post("40"));
    EXPECT_EQ(client.received.at(1).rfind("40{\"sid\"", 0), 0u);
}

TEST_F(SocketIoTest, unknown_token_gets_connect_error_and_joins_nothing) {
    Client& client = connect("nope");
    ASSERT_EQ(client.received.size(), 2u);
    EXPECT_EQ(client.received[1].rfind("44{\"message\":\"Unauthorized", 0), 0u);
    EXPECT_NE(client.received[1].find("unknown or revoked"), std::string::npos);
    EXPECT_EQ(socketio.connected_count(), 0u);
    socketio.broadcast(
        make_broadcast(calls::CallEvent{calls::CallEventKind::created, make_call("c3", "1001"), ""}));
    socketio.broadcast(make_broadcast(calls::TelephonyEvent{calls::TelephonyEvent::Kind::connected, {}, {}}));
    EXPECT_EQ(client.received.size(), 2u);
    EXPECT_FALSE(client.session->is_closed());  // the client may retry with another token
}

TEST_F(SocketIoTest, missing_token_gets_connect_error_naming_the_token) {
    Client& client = open();
    ASSERT_TRUE(client.session->on_post("40"));
    ASSERT_EQ(client.received.size(), 2u);
    EXPECT_NE(client.received[1].find("token is required"), std::string::npos);
}

TEST_F(SocketIoTest, other_namespace_is_refused_as_invalid) {
    Client& client = open();
    ASSERT_TRUE(client.session->on_post(R"(40/admin,{"token":"super"})"));
    EXPECT_EQ(client.received.at(1), R"(44/admin,{"message":"Invalid namespace"})");
}

// Found by fuzz/socketio_session: refused CONNECTs that the client never reads fill its session's queue; the
// accepted CONNECT's answer overflows it and closes the session, which forgets the client while the server is
// still answering it. The server must not touch the forgotten client (ASan saw a use after free).
TEST_F(SocketIoTest, connect_whose_answer_overflows_an_unread_queue_closes_the_session_cleanly) {
    SessionOptions options;
    options.max_queued_frames = 2;
    auto session = std::make_shared<EngineSession>(boost::asio::make_strand(io), "deaf", options, engine);
    session->start(make_frame(EnginePacketType::open, "{}"));  // queued: 1
    socketio.on_open(session, HandshakeInfo{"", "127.0.0.1", TransportKind::polling});
    ASSERT_TRUE(session->on_post("40"));  // refused for want of a token; queued: 2
    (void)session->on_post(R"(40{"token":"op1001"})");
    EXPECT_TRUE(session->is_closed());
    EXPECT_EQ(socketio.connected_count(), 0u);
    Client& other = connect("op1002");  // the server goes on serving the others
    EXPECT_EQ(other.events_named("calls:snapshot").size(), 1u);
}

TEST_F(SocketIoTest, event_before_connect_closes_that_session) {
    Client& client = open();
    ASSERT_TRUE(client.session->on_post(R"(42["ping"])"));
    EXPECT_TRUE(client.session->is_closed());
}

TEST_F(SocketIoTest, operator_receives_only_own_calls_and_supervisor_all) {
    Client& first = connect("op1001");
    Client& second = connect("op1002");
    Client& boss = connect("super");
    socketio.broadcast(
        make_broadcast(calls::CallEvent{calls::CallEventKind::created, make_call("c9", "1001"), ""}));
    EXPECT_EQ(first.events_named("call:new").size(), 1u);
    EXPECT_EQ(second.events_named("call:new").size(), 0u);
    EXPECT_EQ(boss.events_named("call:new").size(), 1u);
    const auto payload = json::parse(first.events_named("call:new")[0].substr(2));
    EXPECT_EQ(payload[1]["id"], "c9");
}

TEST_F(SocketIoTest, transfer_reaches_previous_and_new_operator) {
    Client& first = connect("op1001");
    Client& second = connect("op1002");
    socketio.broadcast(
        make_broadcast(calls::CallEvent{calls::CallEventKind::transferred, make_call("c9", "1002"), "1001"}));
    EXPECT_EQ(first.events_named("call:transferred").size(), 1u);
    EXPECT_EQ(second.events_named("call:transferred").size(), 1u);
}

TEST_F(SocketIoTest, telephony_events_reach_every_connected_client) {
    Client& first = connect("op1001");
    Client& boss = connect("super");
    calls::LineState line;
    line.extension = "1002";
    line.registered = true;
    socketio.broadcast(
        make_broadcast(calls::TelephonyEvent{calls::TelephonyEvent::Kind::line_changed, {}, line}));
    socketio.broadcast(
        make_broadcast(calls::TelephonyEvent{calls::TelephonyEvent::Kind::disconnected, {}, {}}));
    for (Client* client : {&first, &boss}) {
        EXPECT_EQ(client->events_named("line:state").size(), 1u);
        EXPECT_EQ(client->events_named("sip:disconnected").size(), 1u);
    }
}

TEST_F(SocketIoTest, ping_event_with_ack_is_answered_and_other_acks_get_an_error) {
    Client& client = connect("op1001");
    ASSERT_TRUE(client.session->on_post(R"(427["ping"])"));
    ASSERT_FALSE(client.received.empty());
    EXPECT_EQ(client.received.back().rfind("437[{\"pong\":true", 0), 0u);
    ASSERT_TRUE(client.session->on_post(R"(428["dance"])"));
    EXPECT_EQ(client.received.back(), R"(438[{"error":"unknown event"}])");
    const auto before = client.received.size();
    ASSERT_TRUE(client.session->on_post(R"(42["hello"])"));  // no ack asked: nothing answered
    EXPECT_EQ(client.received.size(), before);
}

TEST_F(SocketIoTest, malformed_packet_closes_only_that_client) {
    Client& bad = connect("op1001");
    Client& good = connect("op1001");
    ASSERT_TRUE(bad.session->on_post(R"(42["call:new")"));
    EXPECT_TRUE(bad.session->is_closed());
    EXPECT_FALSE(good.session->is_closed());
    EXPECT_EQ(socketio.connected_count(), 1u);
    socketio.broadcast(
        make_broadcast(calls::CallEvent{calls::CallEventKind::ended, make_call("c1", "1001"), ""}));
    EXPECT_EQ(good.events_named("call:ended").size(), 1u);
}

TEST_F(SocketIoTest, disconnect_leaves_rooms) {
    Client& client = connect("op1001");
    ASSERT_TRUE(client.session->on_post("41"));
    EXPECT_EQ(socketio.connected_count(), 0u);
    socketio.broadcast(
        make_broadcast(calls::CallEvent{calls::CallEventKind::created, make_call("c9", "1001"), ""}));
    EXPECT_TRUE(client.events_named("call:new").empty());
}

TEST_F(SocketIoTest, session_without_connect_is_closed_after_connect_timeout) {
    SocketIoServer quick{
        boost::asio::make_strand(io),
        SocketIoSources{[](std::string_view) { return std::optional<auth::Principal>{}; },
                        [] { return std::vector<calls::Call>{}; }, [] { return calls::TelephonyStatus{}; }},
        std::chrono::milliseconds(10)};
    engine.socketio = &quick;
    auto session =
        std::make_shared<EngineSession>(boost::asio::make_strand(io), "late", SessionOptions{}, engine);
    session->start(make_frame(EnginePacketType::open, "{}"));
    quick.on_open(session, HandshakeInfo{});
    while (!session->is_closed()) ASSERT_NE(io.run_one_for(std::chrono::seconds(1)), 0u);
}
