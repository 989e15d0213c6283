// One Engine.IO session, whatever carries it: outgoing queue, heartbeat, polling hold and the upgrade.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "calls/result.hpp"
#include "realtime/engine_packet.hpp"

namespace ff::realtime {

enum class TransportKind { polling, websocket };
std::string_view to_string(TransportKind kind);

struct SessionOptions {
    std::chrono::milliseconds ping_interval{25000};
    std::chrono::milliseconds ping_timeout{20000};
    // How long a probed WebSocket may take to send "5" (upgrade) before it is dropped.
    std::chrono::milliseconds upgrade_timeout{10000};
    // A client that lets this many frames pile up (a stalled poller) is disconnected.
    std::size_t max_queued_frames = 10000;
};

// The session's view of a WebSocket connection (WebSocketConnection; a fake one in unit tests).
class WebSocketChannel {
  public:
    virtual ~WebSocketChannel() = default;
    virtual void send(Frame frame) = 0;              // queued, written in order
    virtual void close() = 0;                        // normal closing handshake
    virtual void fail(std::string_view reason) = 0;  // protocol-error close, for a misbehaving peer
};

class EngineSession;

// What the session reports upward (the Socket.IO layer, through the engine server).
class SessionListener {
  public:
    virtual void on_message(EngineSession& session, std::string_view data) = 0;
    // Exactly once per session; the session is already closed and sends nothing more.
    virtual void on_closed(EngineSession& session, std::string_view reason) = 0;

  protected:
    ~SessionListener() = default;
};

// Answers the held polling GET with a payload (frames joined with \x1e).
using PollAnswer = std::function<void(std::string payload)>;

// Every member must be called on the session's executor, which must be a strand (or one thread).
// Create with std::make_shared: callbacks and timers hold the session through weak pointers.
class EngineSession : public std::enable_shared_from_this<EngineSession> {
  public:
    EngineSession(boost::asio::any_io_executor executor, std::string sid, SessionOptions options,
                  SessionListener& listener);
    ~EngineSession();
    EngineSession(const EngineSession&) = delete;
    EngineSession& operator=(const EngineSession&) = delete;

    const std::string& sid() const { return sid_; }
    // Who opened it (for logs only).
    void set_peer(std::string peer) { peer_ = std::move(peer); }
    const std::string& peer() const { return peer_; }
    TransportKind transport() const { return transport_; }
    bool is_closed() const { return closed_; }
    bool is_upgrading() const { return probe_channel_ != nullptr; }
    std::size_t queued_frames() const { return queue_.size(); }

    // Queues the open packet and starts the heartbeat. `websocket` is null for a polling session.
    void start(Frame open_packet, std::shared_ptr<WebSocketChannel> websocket = nullptr);

    void send(Frame frame);
    // Server-side close; the listener hears `reason`.
    void close(std::string_view reason);
    // Close because the peer broke the protocol: logged, and a WebSocket closes with 1002.
    void fail(std::string_view reason);

    // Polling GET: answered now when something is queued, otherwise held until something is.
    // A second GET while one is held is a protocol violation: the session closes and the caller answers 400.
    calls::Status on_poll(PollAnswer answer);
    // Polling POST body. A malformed body closes the session and the caller answers 400.
    calls::Status on_post(std::string_view body);

    // A WebSocket with this session's sid: the probe starts. Refused unless the session is polling
    // and no other probe is running.
    calls::Status begin_upgrade(std::shared_ptr<WebSocketChannel> channel);
    void on_websocket_text(const WebSocketChannel* channel, std::string_view text);
    void on_websocket_closed(const WebSocketChannel* channel);

  private:
    void on_packet(const EnginePacket& packet);
    void on_probe_packet(const EnginePacket& packet);
    void flush();
    void answer_poll(std::string payload);
    void drop_probe();
    void schedule_ping();
    void on_ping_due(std::uint64_t generation);
    void on_pong_overdue(std::uint64_t generation);

    std::string sid_;
    std::string peer_;
    SessionOptions options_;
    SessionListener& listener_;
    TransportKind transport_ = TransportKind::polling;
    bool closed_ = false;

    std::deque<Frame> queue_;
    std::optional<PollAnswer> held_poll_;
    std::shared_ptr<WebSocketChannel> websocket_;

    std::shared_ptr<WebSocketChannel> probe_channel_;
    bool probed_ = false;  // "2probe" answered; the client pauses polling and then sends "5"
    boost::asio::steady_timer upgrade_timer_;

    boost::asio::steady_timer ping_timer_;
    boost::asio::steady_timer pong_timer_;
    std::uint64_t heartbeat_generation_ = 0;  // a timer that fired after being replaced does nothing
};

}  // namespace ff::realtime
