// Engine.IO session logic without sockets: polling hold, heartbeat, upgrade and closing.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>

#include "realtime/engine_session.hpp"

using namespace ff::realtime;
using namespace std::chrono_literals;

namespace {

struct Recorder final : SessionListener {
    std::vector<std::string> messages;
    std::vector<std::string> closes;
    void on_message(EngineSession&, std::string_view data) override { messages.emplace_back(data); }
    void on_closed(EngineSession&, std::string_view reason) override { closes.emplace_back(reason); }
};

struct FakeChannel final : WebSocketChannel {
    std::vector<std::string> sent;
    bool closed = false;
    std::string failure;
    void send(Frame frame) override { sent.push_back(*frame); }
    void close() override { closed = true; }
    void fail(std::string_view reason) override { failure = std::string(reason); }
};

// Collects what held polls were answered with.
struct Polls {
    std::vector<std::string> answers;
    PollAnswer next() {
        return [this](std::string payload) { answers.push_back(std::move(payload)); };
    }
};

struct SessionTest : ::testing::Test {
    boost::asio::io_context io;
    Recorder recorder;
    Polls polls;

    std::shared_ptr<EngineSession> make(SessionOptions options = {}) {
        return std::make_shared<EngineSession>(boost::asio::make_strand(io), "sid1", options, recorder);
    }
    std::shared_ptr<EngineSession> open_polling(SessionOptions options = {}) {
        auto session = make(options);
        session->start(make_frame(EnginePacketType::open, "{}"));
        EXPECT_TRUE(session->on_poll(polls.next()));  // the handshake request carries the open packet
        return session;
    }
};

}  // namespace

TEST_F(SessionTest, handshake_poll_carries_open_packet) {
    auto session = open_polling();
    ASSERT_EQ(polls.answers.size(), 1u);
    EXPECT_EQ(polls.answers[0], "0{}");
}

TEST_F(SessionTest, poll_is_held_until_a_frame_is_sent) {
    auto session = open_polling();
    ASSERT_TRUE(session->on_poll(polls.next()));
    EXPECT_EQ(polls.answers.size(), 1u);
    session->send(make_frame(EnginePacketType::message, "2[\"a\"]"));
    ASSERT_EQ(polls.answers.size(), 2u);
    EXPECT_EQ(polls.answers[1], "42[\"a\"]");
}

TEST_F(SessionTest, frames_queued_between_polls_are_joined_with_record_separator) {
    auto session = open_polling();
    session->send(make_frame(EnginePacketType::message, "a"));
    session->send(make_frame(EnginePacketType::message, "b"));
    ASSERT_TRUE(session->on_poll(polls.next()));
    ASSERT_EQ(polls.answers.size(), 2u);
    EXPECT_EQ(polls.answers[1],
              "4a\x1e"
              "4b");
    EXPECT_EQ(session->queued_frames(), 0u);
}

TEST_F(SessionTest, overlapping_polls_close_the_session_and_end_the_held_poll) {
    auto session = open_polling();
    ASSERT_TRUE(session->on_poll(polls.next()));
    EXPECT_FALSE(session->on_poll(polls.next()));
    EXPECT_TRUE(session->is_closed());
    ASSERT_EQ(polls.answers.size(), 2u);
    EXPECT_EQ(polls.answers[1], "1");  // the held poll learns of the close
    ASSERT_EQ(recorder.closes.size(), 1u);
}

TEST_F(SessionTest, post_with_several_packets_delivers_messages_in_order) {
    auto session = open_polling();
    ASSERT_TRUE(
        session->on_post("40\x1e"
                         "42[\"x\"]"));
    EXPECT_EQ(recorder.messages, (std::vector<std::string>{"0", "2[\"x\"]"}));
}

TEST_F(SessionTest, malformed_post_closes_the_session) {
    auto session = open_polling();
    EXPECT_FALSE(
        session->on_post("4ok\x1e"
                         "zz"));
    EXPECT_TRUE(session->is_closed());
    EXPECT_TRUE(recorder.messages.empty());
    EXPECT_EQ(recorder.closes.size(), 1u);
}

TEST_F(SessionTest, client_close_packet_closes_the_session) {
    auto session = open_polling();
    ASSERT_TRUE(session->on_post("1"));
    EXPECT_TRUE(session->is_closed());
    EXPECT_EQ(recorder.closes, (std::vector<std::string>{"transport close"}));
}

TEST_F(SessionTest, ping_from_client_is_a_protocol_error) {
    auto session = open_polling();
    ASSERT_TRUE(session->on_post("2"));
    EXPECT_TRUE(session->is_closed());
}

TEST_F(SessionTest, server_pings_and_closes_when_no_pong_comes) {
    auto session = open_polling({.ping_interval = 20ms, .ping_timeout = 30ms});
    ASSERT_TRUE(session->on_poll(polls.next()));
    while (polls.answers.size() < 2) ASSERT_NE(io.run_one_for(1s), 0u);
    EXPECT_EQ(polls.answers[1], "2");
    EXPECT_FALSE(session->is_closed());
    while (!session->is_closed()) ASSERT_NE(io.run_one_for(1s), 0u);
    EXPECT_EQ(recorder.closes, (std::vector<std::string>{"ping timeout"}));
}

TEST_F(SessionTest, pong_keeps_the_session_open_and_pinging) {
    auto session = open_polling({.ping_interval = 20ms, .ping_timeout = 40ms});
    for (int round = 0; round < 4; ++round) {
        ASSERT_TRUE(session->on_poll(polls.next()));
        const auto answered = polls.answers.size();
        while (polls.answers.size() == answered && !session->is_closed()) io.run_one_for(200ms);
        ASSERT_EQ(polls.answers.back(), "2");
        ASSERT_TRUE(session->on_post("3"));
    }
    EXPECT_FALSE(session->is_closed());
    EXPECT_TRUE(recorder.closes.empty());
}

TEST_F(SessionTest, upgrade_probe_ends_held_poll_with_noop_and_switches_after_upgrade_packet) {
    auto session = open_polling();
    ASSERT_TRUE(session->on_poll(polls.next()));
    auto channel = std::make_shared<FakeChannel>();
    ASSERT_TRUE(session->begin_upgrade(channel));
    EXPECT_FALSE(session->begin_upgrade(std::make_shared<FakeChannel>()));  // one probe at a time

    session->on_websocket_text(channel.get(), "2probe");
    EXPECT_EQ(channel->sent, (std::vector<std::string>{"3probe"}));
    ASSERT_EQ(polls.answers.size(), 2u);
    EXPECT_EQ(polls.answers[1], "6");

    // Sent while the client pauses polling: held back, then delivered over the WebSocket.
    session->send(make_frame(EnginePacketType::message, "2[\"late\"]"));
    EXPECT_EQ(polls.answers.size(), 2u);
    session->on_websocket_text(channel.get(), "5");
    EXPECT_EQ(session->transport(), TransportKind::websocket);
    EXPECT_EQ(channel->sent, (std::vector<std::string>{"3probe", "42[\"late\"]"}));

    session->on_websocket_text(channel.get(), "42[\"hi\"]");
    EXPECT_EQ(recorder.messages, (std::vector<std::string>{"2[\"hi\"]"}));
    EXPECT_FALSE(session->on_poll(polls.next()));  // polling is over for this session
}

TEST_F(SessionTest, upgrade_packet_without_probe_drops_the_websocket_only) {
    auto session = open_polling();
    auto channel = std::make_shared<FakeChannel>();
    ASSERT_TRUE(session->begin_upgrade(channel));
    session->on_websocket_text(channel.get(), "5");
    EXPECT_TRUE(channel->closed);
    EXPECT_FALSE(session->is_closed());
    EXPECT_EQ(session->transport(), TransportKind::polling);
    EXPECT_FALSE(session->is_upgrading());
}

TEST_F(SessionTest, upgrade_times_out_without_upgrade_packet) {
    auto session = open_polling({.upgrade_timeout = 20ms});
    auto channel = std::make_shared<FakeChannel>();
    ASSERT_TRUE(session->begin_upgrade(channel));
    session->on_websocket_text(channel.get(), "2probe");
    io.run_for(50ms);
    EXPECT_TRUE(channel->closed);
    EXPECT_FALSE(session->is_upgrading());
    EXPECT_FALSE(session->is_closed());
}

TEST_F(SessionTest, websocket_session_sends_open_and_closes_with_its_socket) {
    auto session = make();
    auto channel = std::make_shared<FakeChannel>();
    session->start(make_frame(EnginePacketType::open, "{}"), channel);
    EXPECT_EQ(channel->sent, (std::vector<std::string>{"0{}"}));
    session->on_websocket_closed(channel.get());
    EXPECT_TRUE(session->is_closed());
    EXPECT_EQ(recorder.closes, (std::vector<std::string>{"transport close"}));
}

TEST_F(SessionTest, malformed_websocket_text_fails_that_socket_and_closes_the_session) {
    auto session = make();
    auto channel = std::make_shared<FakeChannel>();
    session->start(make_frame(EnginePacketType::open, "{}"), channel);
    session->on_websocket_text(channel.get(), "hello");
    EXPECT_FALSE(channel->failure.empty());
    EXPECT_TRUE(session->is_closed());
}

TEST_F(SessionTest, server_close_ends_held_poll_with_close_packet) {
    auto session = open_polling();
    ASSERT_TRUE(session->on_poll(polls.next()));
    session->close("server shutting down");
    EXPECT_EQ(polls.answers.back(), "1");
    EXPECT_EQ(recorder.closes, (std::vector<std::string>{"server shutting down"}));
    session->close("again");  // once only
    EXPECT_EQ(recorder.closes.size(), 1u);
}

TEST_F(SessionTest, client_that_never_polls_is_dropped_when_its_queue_overflows) {
    auto session = open_polling({.max_queued_frames = 3});
    for (int index = 0; index < 4; ++index) session->send(make_frame(EnginePacketType::message, "x"));
    EXPECT_TRUE(session->is_closed());
    EXPECT_EQ(recorder.closes, (std::vector<std::string>{"send buffer overflow"}));
}

// A WebSocket whose own queue overflows on the first frame handed to it: like the real connection, it tells
// the session at once that it is gone, from inside send().
struct OverflowingChannel final : WebSocketChannel {
    std::weak_ptr<EngineSession> session;
    std::vector<std::string> sent;
    void send(Frame frame) override {
        sent.push_back(*frame);
        if (sent.size() == 2)  // the probe's answer, then the first frame held back during the upgrade
            if (auto owner = session.lock()) owner->on_websocket_closed(this);
    }
    void close() override {}
    void fail(std::string_view) override {}
};

TEST_F(SessionTest, websocket_that_closes_while_the_held_back_frames_are_handed_over_ends_the_session_cleanly) {
    auto session = open_polling();
    auto channel = std::make_shared<OverflowingChannel>();
    channel->session = session;
    ASSERT_TRUE(session->begin_upgrade(channel));
    session->on_websocket_text(channel.get(), "2probe");
    for (const char* text : {"a", "b", "c"}) session->send(make_frame(EnginePacketType::message, text));
    session->on_websocket_text(channel.get(), "5");  // hands the three over; the socket goes on the first
    EXPECT_TRUE(session->is_closed());
    EXPECT_EQ(channel->sent, (std::vector<std::string>{"3probe", "4a"}));
    EXPECT_EQ(recorder.closes, (std::vector<std::string>{"transport close"}));
}
