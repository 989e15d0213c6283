// One connection to Redis through hiredis, used from one thread at a time: commands, or a subscription.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "calls/result.hpp"
#include "config/redis_url.hpp"

struct redisContext;

namespace ff::cluster {

// What this service reads from Redis replies: nil, an integer, a string (status, bulk or error text) or an
// array of those.
struct RedisReply {
    enum class Type { nil, integer, string, array, status } type = Type::nil;
    long long integer = 0;
    std::string text;
    std::vector<RedisReply> elements;
};

class RedisClient {
  public:
    // Connects, authenticates and selects the database; the error names the server, never the password.
    static calls::Result<std::unique_ptr<RedisClient>> connect(const config::RedisEndpoint& endpoint,
                                                               std::chrono::milliseconds timeout);
    ~RedisClient();
    RedisClient(const RedisClient&) = delete;
    RedisClient& operator=(const RedisClient&) = delete;

    // Runs one command (binary-safe arguments); a Redis error reply is an error too. After an I/O error the
    // connection is broken for good: the caller connects again.
    calls::Result<RedisReply> command(const std::vector<std::string>& arguments);
    // Several commands written at once and their replies read after: one round trip instead of one each.
    // Fails with the first refusal, or the I/O error.
    calls::Status pipeline(const std::vector<std::vector<std::string>>& commands);

    // Commands whose replies nobody waits for, written from whatever thread holds the client now: appended
    // and sent as far as the socket takes them without blocking. What it cannot take yet goes with the next
    // command, or with flush(); their replies are read, and refusals logged, before the next command's.
    // Error: the connection failed (broken).
    calls::Status write_without_waiting(const std::vector<std::vector<std::string>>& commands);
    // Whether bytes of such commands still wait to be sent.
    bool has_unsent() const;
    // Sends what waits and reads the replies still owed (blocking, within the timeout).
    calls::Status flush();

    // Subscription mode: sends a command without waiting for its reply...
    calls::Status send(const std::vector<std::string>& arguments);
    // ...and reads what arrives. Waits at most `wait`; an empty optional means nothing arrived in time.
    calls::Result<std::optional<RedisReply>> receive(std::chrono::milliseconds wait);

    bool broken() const { return broken_; }

  private:
    RedisClient(redisContext* context, std::string server) : context_(context), server_(std::move(server)) {}
    calls::Error io_error(const std::string& doing);
    bool append(const std::vector<std::string>& arguments);  // into hiredis' output buffer
    calls::Result<RedisReply> next_reply(const std::string& command);
    calls::Status read_unread_replies();

    redisContext* context_;
    std::string server_;  // host:port, for messages
    bool broken_ = false;
    std::size_t unread_replies_ = 0;  // of commands written without waiting
};

}  // namespace ff::cluster
