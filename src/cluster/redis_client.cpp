// hiredis' blocking API on a socket with a timeout: commands never hang a thread for longer than that.
#include "cluster/redis_client.hpp"

extern "C" {  // hiredis 0.14's sds.h (which hiredis.h includes) declares C functions without C linkage
#include <hiredis/sds.h>
}
#include <hiredis/hiredis.h>
#include <poll.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

namespace ff::cluster {
namespace {

RedisReply convert(const redisReply* reply) {
    RedisReply out;
    switch (reply->type) {
        case REDIS_REPLY_INTEGER:
            out.type = RedisReply::Type::integer;
            out.integer = reply->integer;
            break;
        case REDIS_REPLY_STRING:
        case REDIS_REPLY_ERROR:
            out.type = RedisReply::Type::string;
            out.text.assign(reply->str, reply->len);
            break;
        case REDIS_REPLY_STATUS:
            out.type = RedisReply::Type::status;
            out.text.assign(reply->str, reply->len);
            break;
        case REDIS_REPLY_ARRAY:
            out.type = RedisReply::Type::array;
            for (std::size_t i = 0; i < reply->elements; ++i) out.elements.push_back(convert(reply->element[i]));
            break;
        default:
            break;
    }
    return out;
}

struct ReplyDeleter {
    void operator()(void* reply) const { freeReplyObject(reply); }
};
using OwnedReply = std::unique_ptr<void, ReplyDeleter>;

timeval to_timeval(std::chrono::milliseconds timeout) {
    return timeval{static_cast<time_t>(timeout.count() / 1000), static_cast<suseconds_t>(timeout.count() % 1000 * 1000)};
}

}  // namespace

calls::Result<std::unique_ptr<RedisClient>> RedisClient::connect(const config::RedisEndpoint& endpoint,
                                                                 std::chrono::milliseconds timeout) {
    const std::string server = endpoint.host + ":" + std::to_string(endpoint.port);
    redisContext* context = redisConnectWithTimeout(endpoint.host.c_str(), endpoint.port, to_timeval(timeout));
    if (context == nullptr)
        return calls::make_error(calls::ErrorCode::unavailable, "cannot reach Redis at " + server + ": out of memory");
    if (context->err != 0) {
        const std::string reason = context->errstr;
        redisFree(context);
        return calls::make_error(calls::ErrorCode::unavailable, "cannot reach Redis at " + server + ": " + reason);
    }
    redisSetTimeout(context, to_timeval(timeout));
    std::unique_ptr<RedisClient> client(new RedisClient(context, server));
    if (!endpoint.password.empty()) {
        std::vector<std::string> auth{"AUTH"};
        if (!endpoint.username.empty()) auth.push_back(endpoint.username);
        auth.push_back(endpoint.password);
        if (auto reply = client->command(auth); !reply)
            return calls::make_error(calls::ErrorCode::unavailable,
                                     "Redis at " + server + " refused the credentials of REDIS_URL");
    }
    if (endpoint.database != 0) {
        if (auto reply = client->command({"SELECT", std::to_string(endpoint.database)}); !reply)
            return calls::make_error(calls::ErrorCode::unavailable, "Redis at " + server + " refused SELECT " +
                                                                        std::to_string(endpoint.database) + ": " +
                                                                        reply.error().message);
    }
    return client;
}

RedisClient::~RedisClient() { redisFree(context_); }

calls::Error RedisClient::io_error(const std::string& doing) {
    broken_ = true;
    const std::string reason = context_->err != 0 ? context_->errstr : "connection lost";
    return calls::make_error(calls::ErrorCode::unavailable, "Redis at " + server_ + ": " + doing + ": " + reason);
}

bool RedisClient::append(const std::vector<std::string>& arguments) {
    std::vector<const char*> pointers;
    std::vector<std::size_t> lengths;
    for (const auto& argument : arguments) {
        pointers.push_back(argument.data());
        lengths.push_back(argument.size());
    }
    return redisAppendCommandArgv(context_, static_cast<int>(arguments.size()), pointers.data(), lengths.data()) ==
           REDIS_OK;
}

calls::Status RedisClient::read_unread_replies() {
    for (; unread_replies_ > 0; --unread_replies_) {
        void* raw = nullptr;
        if (redisGetReply(context_, &raw) != REDIS_OK || raw == nullptr) return io_error("reading replies");
        OwnedReply reply(raw);
        const auto* read = static_cast<const redisReply*>(raw);
        if (read->type == REDIS_REPLY_ERROR)
            spdlog::warn("redis: a write was refused by {}: {}", server_, std::string(read->str, read->len));
    }
    return calls::Done{};
}

calls::Result<RedisReply> RedisClient::next_reply(const std::string& command) {
    if (auto earlier = read_unread_replies(); !earlier) return earlier.error();
    void* raw = nullptr;
    if (redisGetReply(context_, &raw) != REDIS_OK || raw == nullptr) return io_error(command);
    OwnedReply reply(raw);
    const auto* converted = static_cast<const redisReply*>(raw);
    if (converted->type == REDIS_REPLY_ERROR)
        return calls::make_error(calls::ErrorCode::internal,
                                 "Redis refused " + command + ": " + std::string(converted->str, converted->len));
    return convert(converted);
}

calls::Result<RedisReply> RedisClient::command(const std::vector<std::string>& arguments) {
    if (broken_) return calls::make_error(calls::ErrorCode::unavailable, "Redis at " + server_ + ": connection lost");
    if (!append(arguments)) return io_error(arguments.front());
    return next_reply(arguments.front());
}

calls::Status RedisClient::pipeline(const std::vector<std::vector<std::string>>& commands) {
    if (broken_) return calls::make_error(calls::ErrorCode::unavailable, "Redis at " + server_ + ": connection lost");
    for (const auto& arguments : commands)
        if (!append(arguments)) return io_error(arguments.front());
    // Every reply is read, so the connection stays in step even when one command was refused.
    calls::Status status = calls::Done{};
    for (const auto& arguments : commands) {
        auto reply = next_reply(arguments.front());
        if (broken_) return reply.error();
        if (!reply && status) status = reply.error();
    }
    return status;
}

calls::Status RedisClient::write_without_waiting(const std::vector<std::vector<std::string>>& commands) {
    if (broken_) return calls::make_error(calls::ErrorCode::unavailable, "Redis at " + server_ + ": connection lost");
    for (const auto& arguments : commands) {
        if (!append(arguments)) return io_error(arguments.front());
        ++unread_replies_;
    }
    // One send that does not wait, of hiredis' own output buffer; what the socket does not take yet stays in
    // it for the next command or flush(). (hiredis' own write would need the socket switched to non-blocking
    // and back around it: three more system calls on the publishing thread.)
    const ssize_t sent = ::send(context_->fd, context_->obuf, sdslen(context_->obuf), MSG_DONTWAIT | MSG_NOSIGNAL);
    if (sent < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return calls::Done{};
        broken_ = true;
        return calls::make_error(calls::ErrorCode::unavailable,
                                 "Redis at " + server_ + ": " + commands.front().front() + ": " + std::strerror(errno));
    }
    sdsrange(context_->obuf, static_cast<int>(sent), -1);
    return calls::Done{};
}

bool RedisClient::has_unsent() const { return !broken_ && sdslen(context_->obuf) > 0; }

calls::Status RedisClient::flush() {
    if (broken_) return calls::make_error(calls::ErrorCode::unavailable, "Redis at " + server_ + ": connection lost");
    int done = 0;
    while (done == 0)
        if (redisBufferWrite(context_, &done) != REDIS_OK) return io_error("writing");
    return read_unread_replies();
}

calls::Status RedisClient::send(const std::vector<std::string>& arguments) {
    if (!append(arguments)) return io_error(arguments.front());
    int done = 0;
    while (done == 0) {
        if (redisBufferWrite(context_, &done) != REDIS_OK) return io_error(arguments.front());
    }
    return calls::Done{};
}

calls::Result<std::optional<RedisReply>> RedisClient::receive(std::chrono::milliseconds wait) {
    void* raw = nullptr;
    // A reply already read into hiredis' buffer comes first; only then wait on the socket.
    if (redisGetReplyFromReader(context_, &raw) != REDIS_OK) return io_error("reading");
    if (raw == nullptr) {
        pollfd watched{context_->fd, POLLIN, 0};
        const int ready = ::poll(&watched, 1, static_cast<int>(wait.count()));
        if (ready == 0) return std::optional<RedisReply>{};
        if (ready < 0 || redisBufferRead(context_) != REDIS_OK) return io_error("reading");
        if (redisGetReplyFromReader(context_, &raw) != REDIS_OK) return io_error("reading");
        if (raw == nullptr) return std::optional<RedisReply>{};
    }
    OwnedReply reply(raw);
    return std::optional<RedisReply>(convert(static_cast<const redisReply*>(raw)));
}

}  // namespace ff::cluster
