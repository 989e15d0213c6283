// The Engine.IO server: checks each request, runs handshakes, keeps the sessions and routes traffic to them.
#pragma once

#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "http/http_types.hpp"
#include "realtime/engine_session.hpp"
#include "realtime/websocket_transport.hpp"

namespace ff::realtime {

struct EngineOptions {
    SessionOptions session;
    std::size_t max_payload = 1000000;  // bytes of one polling POST or WebSocket frame
};

// What the handshake request said that the Socket.IO layer needs later.
struct HandshakeInfo {
    std::string bearer_token;  // from "Authorization: Bearer ...", empty when absent; never logged
    std::string remote_address;
    TransportKind transport = TransportKind::polling;
};

// The layer above (Socket.IO) sees sessions open, carry messages and close.
class EngineListener {
  public:
    virtual void on_open(const std::shared_ptr<EngineSession>& session, const HandshakeInfo& handshake) = 0;
    virtual void on_message(EngineSession& session, std::string_view data) = 0;
    virtual void on_close(EngineSession& session, std::string_view reason) = 0;

  protected:
    ~EngineListener() = default;
};

// Every member runs on `executor`, a strand; the caller hops there first.
class EngineServer final : private SessionListener {
  public:
    EngineServer(boost::asio::any_io_executor executor, EngineOptions options, EngineListener& listener);
    ~EngineServer();
    EngineServer(const EngineServer&) = delete;
    EngineServer& operator=(const EngineServer&) = delete;

    void handle_http(const http::Request& request, const http::PeerInfo& peer, http::Reply reply);
    // `socket` already runs on the realtime strand (see rebind_stream).
    void handle_upgrade(RealtimeSocket socket, http::Request request, const http::PeerInfo& peer);

    // Closes every session; with `refuse_new` later handshakes are answered 503.
    void close_all(std::string_view reason, bool refuse_new);
    std::size_t session_count() const { return sessions_.size(); }
    std::shared_ptr<EngineSession> find(const std::string& sid) const;

  private:
    void on_message(EngineSession& session, std::string_view data) override;
    void on_closed(EngineSession& session, std::string_view reason) override;

    void handshake_polling(const http::Request& request, const http::PeerInfo& peer, http::Reply reply);
    void open_websocket_session(const std::shared_ptr<WebSocketConnection>& connection,
                                HandshakeInfo handshake);
    void upgrade_session(const std::string& sid, const std::shared_ptr<WebSocketConnection>& connection);
    std::shared_ptr<EngineSession> new_session();
    Frame open_packet(const std::string& sid, TransportKind transport) const;

    boost::asio::any_io_executor executor_;
    EngineOptions options_;
    EngineListener& listener_;
    std::unordered_map<std::string, std::shared_ptr<EngineSession>> sessions_;
    bool refusing_ = false;
    // Pending WebSocket handshakes check it: the server may be destroyed before they complete.
    std::shared_ptr<int> lifetime_ = std::make_shared<int>(0);
};

// "Bearer abc" -> "abc"; empty for any other scheme.
std::string bearer_token_of(const http::Request& request);

}  // namespace ff::realtime
