// The hiredis adapter against a real redis-server: commands, subscription, and errors that name the server.
#include <gtest/gtest.h>

#include "cluster/redis_client.hpp"
#include "support/redis_server.hpp"

namespace ff::cluster {
namespace {

using namespace std::chrono_literals;

TEST(ClusterRedisClient, RunsCommandsAndReadsTheirReplies) {
    testing::RedisServer server;
    ASSERT_TRUE(server.start()) << "redis-server must run for this test";
    auto client = RedisClient::connect(server.endpoint(), 1000ms);
    ASSERT_TRUE(client) << client.error().message;
    auto& redis = *client.value();
    ASSERT_TRUE(redis.command({"HSET", "h", "a", std::string("x\0y", 3)}));
    const auto all = redis.command({"HGETALL", "h"});
    ASSERT_TRUE(all);
    ASSERT_EQ(all->type, RedisReply::Type::array);
    ASSERT_EQ(all->elements.size(), 2u);
    EXPECT_EQ(all->elements[1].text, std::string("x\0y", 3));
    EXPECT_EQ(redis.command({"EXISTS", "nothing"})->integer, 0);
    EXPECT_EQ(redis.command({"GET", "nothing"})->type, RedisReply::Type::nil);
    const auto refused = redis.command({"HGETALL"});
    ASSERT_FALSE(refused);
    EXPECT_NE(refused.error().message.find("HGETALL"), std::string::npos);
    EXPECT_FALSE(redis.broken());  // an error reply leaves the connection usable
}

// A client, and a second connection subscribed to the channel "news".
class ClusterRedisSubscription : public ::testing::Test {
  protected:
    void SetUp() override {
        ASSERT_TRUE(server.start()) << "redis-server must run for this test";
        auto connected = RedisClient::connect(server.endpoint(), 1000ms);
        auto listening = RedisClient::connect(server.endpoint(), 1000ms);
        ASSERT_TRUE(connected && listening);
        client = std::move(connected).value();
        subscriber = std::move(listening).value();
        ASSERT_TRUE(subscriber->send({"SUBSCRIBE", "news"}));
        ASSERT_TRUE(subscriber->receive(2000ms));
    }
    // The next message on "news" (a big one takes several reads: receive() gives it once it is whole).
    std::string next_news() {
        for (int reads = 0; reads < 1000; ++reads) {
            auto received = subscriber->receive(2000ms);
            if (!received) return "(error: " + received.error().message + ")";
            if (received.value()) return received.value()->elements.at(2).text;
        }
        return "(nothing)";
    }

    testing::RedisServer server;
    std::unique_ptr<RedisClient> client;
    std::unique_ptr<RedisClient> subscriber;
};

TEST_F(ClusterRedisSubscription, APipelineRunsEveryCommandInOrderAndReportsARefusal) {
    auto& redis = *client;
    ASSERT_TRUE(redis.pipeline({{"HSET", "h", "a", "1"}, {"PUBLISH", "news", "a is 1"}}));
    EXPECT_EQ(next_news(), "a is 1");
    EXPECT_EQ(redis.command({"HGET", "h", "a"})->text, "1");  // written before the event went out

    // A refused command in the middle: the error names it, the others run, the connection stays in step.
    const auto refused = redis.pipeline({{"SET", "k", "v"}, {"HGETALL"}, {"SET", "l", "w"}});
    ASSERT_FALSE(refused);
    EXPECT_NE(refused.error().message.find("HGETALL"), std::string::npos) << refused.error().message;
    EXPECT_FALSE(redis.broken());
    EXPECT_EQ(redis.command({"GET", "l"})->text, "w");
    EXPECT_EQ(redis.command({"GET", "k"})->text, "v");
}

TEST(ClusterRedisClient, ReceivesPublishedMessagesOnASubscription) {
    testing::RedisServer server;
    ASSERT_TRUE(server.start());
    auto subscriber = RedisClient::connect(server.endpoint(), 1000ms);
    auto publisher = RedisClient::connect(server.endpoint(), 1000ms);
    ASSERT_TRUE(subscriber && publisher);
    ASSERT_TRUE(subscriber.value()->send({"SUBSCRIBE", "news"}));
    auto confirmed = subscriber.value()->receive(2000ms);
    ASSERT_TRUE(confirmed && confirmed.value());
    EXPECT_EQ(confirmed.value()->elements.at(0).text, "subscribe");
    auto nothing = subscriber.value()->receive(50ms);
    ASSERT_TRUE(nothing);
    EXPECT_FALSE(nothing.value());
    ASSERT_TRUE(publisher.value()->command({"PUBLISH", "news", "hello"}));
    auto message = subscriber.value()->receive(2000ms);
    ASSERT_TRUE(message && message.value());
    EXPECT_EQ(message.value()->elements.at(2).text, "hello");
}

TEST_F(ClusterRedisSubscription, CommandsWrittenWithoutWaitingStayInOrderWithTheNextCommandsReplies) {
    auto& redis = *client;

    // A refused command among them is logged, and the replies owed are read before the next command's.
    ASSERT_TRUE(redis.write_without_waiting({{"HSET", "h", "a", "1"}, {"HGETALL"}, {"PUBLISH", "news", "first"}}));
    ASSERT_TRUE(redis.write_without_waiting({{"PUBLISH", "news", "second"}}));
    EXPECT_FALSE(redis.has_unsent());
    const auto got = redis.command({"HGET", "h", "a"});
    ASSERT_TRUE(got) << got.error().message;
    EXPECT_EQ(got->text, "1");
    EXPECT_FALSE(redis.broken());
    EXPECT_EQ(next_news(), "first");
    EXPECT_EQ(next_news(), "second");
}

TEST_F(ClusterRedisSubscription, WhatTheSocketCannotTakeAtOnceWaitsForFlush) {
    auto& redis = *client;

    // A server that does not read, and more than the sockets' buffers hold: the write returns at once with
    // the rest still to send.
    const std::string big(4 * 1024 * 1024, 'x');
    server.freeze();
    const auto written = redis.write_without_waiting({{"PUBLISH", "news", big}});
    const bool unsent = redis.has_unsent();
    server.thaw();
    ASSERT_TRUE(written);
    EXPECT_TRUE(unsent);
    ASSERT_TRUE(redis.flush());
    EXPECT_FALSE(redis.has_unsent());
    EXPECT_EQ(next_news().size(), big.size());
    EXPECT_EQ(redis.command({"PING"})->text, "PONG");  // the connection is back in step
}

TEST(ClusterRedisClient, ALostServerBreaksTheConnectionWithAClearError) {
    testing::RedisServer server;
    ASSERT_TRUE(server.start());
    auto client = RedisClient::connect(server.endpoint(), 1000ms);
    auto publisher = RedisClient::connect(server.endpoint(), 1000ms);
    ASSERT_TRUE(client && publisher);
    server.stop();
    const auto result = client.value()->command({"PING"});
    ASSERT_FALSE(result);
    EXPECT_TRUE(client.value()->broken());
    EXPECT_NE(result.error().message.find("127.0.0.1"), std::string::npos) << result.error().message;

    // Writes nobody waits for: the first may still reach the socket's buffer; one of the next finds the peer
    // gone (its reset comes back at once on loopback) and breaks the connection, naming the server.
    calls::Status written = calls::Done{};
    for (int attempt = 0; attempt < 100 && written; ++attempt)
        written = publisher.value()->write_without_waiting({{"PUBLISH", "news", "lost"}});
    ASSERT_FALSE(written);
    EXPECT_TRUE(publisher.value()->broken());
    EXPECT_NE(written.error().message.find("Redis at 127.0.0.1"), std::string::npos) << written.error().message;

    const auto unreachable = RedisClient::connect(server.endpoint(), 500ms);
    ASSERT_FALSE(unreachable);
    EXPECT_NE(unreachable.error().message.find("cannot reach Redis at 127.0.0.1"), std::string::npos);
}

TEST(ClusterRedisClient, WrongCredentialsAreReportedWithoutThePassword) {
    testing::RedisServer server;
    ASSERT_TRUE(server.start());
    auto endpoint = server.endpoint();
    endpoint.password = "hunter2-secret";
    const auto refused = RedisClient::connect(endpoint, 1000ms);
    ASSERT_FALSE(refused);
    EXPECT_NE(refused.error().message.find("credentials"), std::string::npos) << refused.error().message;
    EXPECT_EQ(refused.error().message.find("hunter2"), std::string::npos);
}

}  // namespace
}  // namespace ff::cluster
