// The session keeps one queue whatever the transport, so an upgrade never loses or reorders a packet.
#include "realtime/engine_session.hpp"

#include <spdlog/spdlog.h>

#include <vector>

namespace ff::realtime {

using calls::ErrorCode;
using calls::make_error;

namespace {

const Frame& ping_frame() {
    static const Frame frame = make_frame(EnginePacketType::ping);
    return frame;
}

}  // namespace

std::string_view to_string(TransportKind kind) {
    return kind == TransportKind::polling ? "polling" : "websocket";
}

EngineSession::EngineSession(boost::asio::any_io_executor executor, std::string sid, SessionOptions options,
                             SessionListener& listener)
    : sid_(std::move(sid)),
      options_(options),
      listener_(listener),
      upgrade_timer_(executor),
      ping_timer_(executor),
      pong_timer_(executor) {}

EngineSession::~EngineSession() = default;

void EngineSession::start(Frame open_packet, std::shared_ptr<WebSocketChannel> websocket) {
    if (websocket) {
        transport_ = TransportKind::websocket;
        websocket_ = std::move(websocket);
    }
    send(std::move(open_packet));
    schedule_ping();
}

void EngineSession::send(Frame frame) {
    if (closed_) return;
    if (queue_.size() >= options_.max_queued_frames) {
        spdlog::warn("realtime: session {} closed: {} frames waiting, the client does not read", sid_,
                     queue_.size());
        close("send buffer overflow");
        return;
    }
    queue_.push_back(std::move(frame));
    flush();
}

void EngineSession::flush() {
    if (closed_ || queue_.empty()) return;
    if (transport_ == TransportKind::websocket) {
        // A send may end the session (the socket's own queue overflowing closes it from inside send), which
        // clears the queue and drops the socket: each frame leaves the queue before it is handed over.
        while (!closed_ && !queue_.empty()) {
            Frame frame = std::move(queue_.front());
            queue_.pop_front();
            websocket_->send(std::move(frame));
        }
        return;
    }
    // Once probed, the client has paused polling: what is queued now goes out over the WebSocket.
    if (held_poll_ && !probed_) {
        std::vector<Frame> frames(std::make_move_iterator(queue_.begin()),
                                  std::make_move_iterator(queue_.end()));
        queue_.clear();
        answer_poll(encode_payload(frames));
    }
}

void EngineSession::answer_poll(std::string payload) {
    if (!held_poll_) return;
    auto answer = std::move(*held_poll_);
    held_poll_.reset();
    answer(std::move(payload));
}

void EngineSession::close(std::string_view reason) {
    if (closed_) return;
    auto self = shared_from_this();  // the listener usually drops the last owner
    closed_ = true;
    ++heartbeat_generation_;
    ping_timer_.cancel();
    pong_timer_.cancel();
    upgrade_timer_.cancel();
    queue_.clear();
    if (held_poll_) answer_poll(encode_packet(EnginePacketType::close));
    if (websocket_) websocket_->close();
    if (probe_channel_) probe_channel_->close();
    websocket_.reset();
    probe_channel_.reset();
    listener_.on_closed(*this, reason);
}

void EngineSession::fail(std::string_view reason) {
    if (closed_) return;
    auto self = shared_from_this();
    spdlog::warn("realtime: session {} from {} closed: {}", sid_, peer_, reason);
    if (websocket_) {
        websocket_->fail(reason);
        websocket_.reset();
    }
    close(reason);
}

calls::Status EngineSession::on_poll(PollAnswer answer) {
    if (closed_) return make_error(ErrorCode::not_found, "session is closed");
    if (transport_ != TransportKind::polling)
        return make_error(ErrorCode::invalid_state, "session is not polling");
    if (held_poll_) {
        fail("overlapping polling GET requests");
        return make_error(ErrorCode::invalid_argument, "overlapping polling GET requests");
    }
    if (probed_) {
        // The client is pausing polling for the upgrade: let this poll end at once.
        answer(encode_packet(EnginePacketType::noop));
        return calls::Done{};
    }
    held_poll_ = std::move(answer);
    flush();
    return calls::Done{};
}

calls::Status EngineSession::on_post(std::string_view body) {
    if (closed_) return make_error(ErrorCode::not_found, "session is closed");
    if (transport_ != TransportKind::polling)
        return make_error(ErrorCode::invalid_state, "session is not polling");
    auto packets = decode_payload(body);
    if (!packets) {
        fail(packets.error().message);
        return packets.error();
    }
    auto self = shared_from_this();
    for (const auto& packet : packets.value()) {
        if (closed_) break;
        on_packet(packet);
    }
    return calls::Done{};
}

void EngineSession::on_packet(const EnginePacket& packet) {
    switch (packet.type) {
        case EnginePacketType::message:
            listener_.on_message(*this, packet.data);
            return;
        case EnginePacketType::pong:
            ++heartbeat_generation_;
            pong_timer_.cancel();
            schedule_ping();
            return;
        case EnginePacketType::close:
            close("transport close");
            return;
        case EnginePacketType::noop:
        case EnginePacketType::upgrade:
            return;  // harmless leftovers of an upgrade
        case EnginePacketType::ping:
            fail("ping from the client (v4 pings go server to client)");
            return;
        case EnginePacketType::open:
            fail("open packet from the client");
            return;
    }
}

calls::Status EngineSession::begin_upgrade(std::shared_ptr<WebSocketChannel> channel) {
    if (closed_) return make_error(ErrorCode::not_found, "session is closed");
    if (transport_ != TransportKind::polling)
        return make_error(ErrorCode::invalid_state, "session already upgraded");
    if (probe_channel_) return make_error(ErrorCode::conflict, "an upgrade is already under way");
    probe_channel_ = std::move(channel);
    probed_ = false;
    upgrade_timer_.expires_after(options_.upgrade_timeout);
    upgrade_timer_.async_wait(
        [weak = weak_from_this(), probe = probe_channel_.get()](boost::system::error_code error) {
            auto self = weak.lock();
            if (error || !self || self->probe_channel_.get() != probe) return;
            spdlog::info("realtime: session {}: upgrade timed out", self->sid_);
            self->drop_probe();
        });
    return calls::Done{};
}

void EngineSession::drop_probe() {
    upgrade_timer_.cancel();
    if (probe_channel_) probe_channel_->close();
    probe_channel_.reset();
    probed_ = false;
    flush();  // packets held back for the WebSocket go out over polling again
}

void EngineSession::on_websocket_text(const WebSocketChannel* channel, std::string_view text) {
    if (closed_ || channel == nullptr) return;
    if (channel == probe_channel_.get()) {
        auto packet = decode_packet(text);
        if (!packet) {
            spdlog::warn("realtime: session {}: upgrade dropped: {}", sid_, packet.error().message);
            probe_channel_->fail(packet.error().message);
            probe_channel_.reset();
            drop_probe();
            return;
        }
        on_probe_packet(packet.value());
        return;
    }
    if (channel != websocket_.get()) return;  // a channel this session already let go
    auto packet = decode_packet(text);
    if (!packet) {
        fail(packet.error().message);
        return;
    }
    auto self = shared_from_this();
    on_packet(packet.value());
}

void EngineSession::on_probe_packet(const EnginePacket& packet) {
    if (packet.type == EnginePacketType::ping && packet.data == "probe") {
        probe_channel_->send(make_frame(EnginePacketType::pong, "probe"));
        probed_ = true;
        if (held_poll_) answer_poll(encode_packet(EnginePacketType::noop));
        return;
    }
    if (packet.type == EnginePacketType::upgrade && probed_) {
        upgrade_timer_.cancel();
        transport_ = TransportKind::websocket;
        websocket_ = std::move(probe_channel_);
        probe_channel_.reset();
        probed_ = false;
        if (held_poll_) answer_poll(encode_packet(EnginePacketType::noop));
        flush();
        return;
    }
    spdlog::warn("realtime: session {}: upgrade dropped: unexpected packet during the probe", sid_);
    drop_probe();
}

void EngineSession::on_websocket_closed(const WebSocketChannel* channel) {
    if (closed_ || channel == nullptr) return;
    if (channel == probe_channel_.get()) {
        drop_probe();
        return;
    }
    if (channel == websocket_.get()) {
        websocket_.reset();  // already gone: nothing to close
        close("transport close");
    }
}

void EngineSession::schedule_ping() {
    if (closed_) return;
    const auto generation = heartbeat_generation_;
    ping_timer_.expires_after(options_.ping_interval);
    ping_timer_.async_wait([weak = weak_from_this(), generation](boost::system::error_code error) {
        if (auto self = weak.lock(); self && !error) self->on_ping_due(generation);
    });
}

void EngineSession::on_ping_due(std::uint64_t generation) {
    if (closed_ || generation != heartbeat_generation_) return;
    send(ping_frame());
    if (closed_) return;
    pong_timer_.expires_after(options_.ping_timeout);
    pong_timer_.async_wait([weak = weak_from_this(), generation](boost::system::error_code error) {
        if (auto self = weak.lock(); self && !error) self->on_pong_overdue(generation);
    });
}

void EngineSession::on_pong_overdue(std::uint64_t generation) {
    if (closed_ || generation != heartbeat_generation_) return;
    spdlog::info("realtime: session {} closed: no pong within {} ms", sid_, options_.ping_timeout.count());
    close("ping timeout");
}

}  // namespace ff::realtime
