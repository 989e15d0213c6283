// The Socket.IO layer on namespace "/": authenticated connect, rooms, snapshot, broadcasts, ack for "ping".
#pragma once

#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

#include "auth/principal.hpp"
#include "auth/token_registry.hpp"
#include "calls/call_control.hpp"
#include "calls/call_registry.hpp"
#include "realtime/engine_server.hpp"
#include "realtime/event_fanout.hpp"
#include "realtime/phone_signalling.hpp"
#include "realtime/room_index.hpp"
#include "realtime/socketio_packet.hpp"

namespace ff::realtime {

// Where the Socket.IO layer reads what it needs at connect time; RealtimeServer plugs the real ones in.
struct SocketIoSources {
    std::function<std::optional<auth::Principal>(std::string_view token)> authenticate;
    std::function<std::vector<calls::Call>()> active_calls;
    std::function<calls::TelephonyStatus()> telephony_status;
    calls::BrowserPhones* phones = nullptr;  // null: no page can be a phone here
};

// Every member runs on `executor` (the realtime strand), except connected_count().
class SocketIoServer final : public EngineListener {
  public:
    SocketIoServer(boost::asio::any_io_executor executor, SocketIoSources sources,
                   std::chrono::milliseconds connect_timeout = std::chrono::seconds(45));

    void on_open(const std::shared_ptr<EngineSession>& session, const HandshakeInfo& handshake) override;
    void on_message(EngineSession& session, std::string_view data) override;
    void on_close(EngineSession& session, std::string_view reason) override;

    void broadcast(const Broadcast& broadcast);
    // A browser phone's signal, to its page's socket.
    void deliver(const calls::PhoneSignal& signal) { phones_.deliver(signal); }
    // The tokens changed: every socket whose token no longer authenticates (revoked) is disconnected at once,
    // and its browser phone with it.
    void revalidate();

    // Sockets connected to "/" (authenticated); safe from any thread.
    std::size_t connected_count() const { return connected_.load(); }
    // Broadcast frames handed to sockets so far, one per socket per event; safe from any thread.
    std::uint64_t delivered_count() const { return delivered_.load(); }

  private:
    struct Client {
        std::shared_ptr<EngineSession> session;
        HandshakeInfo handshake;
        std::optional<auth::Principal> principal;  // set once connected to "/"
        std::string token;                         // what it authenticated with, checked again by revalidate()
        std::string socket_id;
        std::unique_ptr<boost::asio::steady_timer> connect_timer;
    };

    void on_connect(Client& client, const SocketPacket& packet);
    void on_event(Client& client, const SocketPacket& packet);
    void on_disconnect(Client& client);
    void refuse_connect(Client& client, const std::string& nsp, std::string_view message);
    void send_packet(Client& client, const SocketPacket& packet);

    boost::asio::any_io_executor executor_;
    SocketIoSources sources_;
    std::chrono::milliseconds connect_timeout_;
    std::unordered_map<EngineSession*, Client> clients_;
    RoomIndex rooms_;
    PhoneSignalling phones_;
    std::atomic<std::size_t> connected_{0};
    std::atomic<std::uint64_t> delivered_{0};
};

}  // namespace ff::realtime
