// The Socket.IO v4 / Engine.IO v4 server of the service: the real-time call stream for the consoles.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "auth/token_registry.hpp"
#include "calls/browser_phone.hpp"
#include "calls/call_control.hpp"
#include "calls/call_view.hpp"
#include "calls/events.hpp"
#include "http/http_types.hpp"

namespace ff::realtime {

struct RealtimeOptions {
    std::chrono::milliseconds ping_interval{25000};
    std::chrono::milliseconds ping_timeout{20000};
    std::size_t max_payload = 1000000;
    // Folder holding socket.io.min.js, socket.io.js and their .map files from npm socket.io-client's dist.
    std::string client_bundle_dir;
};

// All session state lives on one strand of `io`; the public members may be called from any thread.
// Compatible with the official socket.io-client v4 (polling then upgrade, or websocket only).
class RealtimeServer {
  public:
    // `phones`: the engine's browser phones (null: none; a page asking to be one is told why).
    RealtimeServer(boost::asio::io_context& io, RealtimeOptions options, const auth::TokenRegistry& tokens,
                   const calls::CallView& calls, const calls::CallControl& control,
                   calls::BrowserPhones* phones = nullptr);
    ~RealtimeServer();
    RealtimeServer(const RealtimeServer&) = delete;
    RealtimeServer& operator=(const RealtimeServer&) = delete;

    // Every request whose path starts with /socket.io/: polling GET/POST and the client bundle.
    // The HTTP server's body limit for /socket.io/ must be at least max_payload (bigger POSTs get 413 here).
    void handle_http(http::Request request, http::PeerInfo peer, http::Reply reply);
    // WebSocket upgrade requests on /socket.io/.
    void handle_upgrade(boost::beast::tcp_stream stream, http::Request request, http::PeerInfo peer);

    // From any thread (the event bus): the event is encoded here, once, then fanned out on the strand.
    void publish(const calls::Event& event);
    // From any thread (the SIP engine): a browser phone's signal, to its page.
    void deliver(calls::PhoneSignal signal);
    // From any thread, after the tokens changed: sockets whose token was revoked are disconnected.
    void revalidate_tokens();

    // Closes every session (engine.io close: clients reconnect by themselves) and refuses new ones.
    // Asynchronous: it runs on the strand; `on_closed` (optional) runs there once every session is
    // closed, the moment to stop the io_context.
    void shutdown(std::function<void()> on_closed = {});

    // Sockets connected and authenticated on "/".
    std::size_t client_count() const;
    // Events handed to those sockets so far, one per socket per event.
    std::uint64_t deliveries() const;
    // Hears how long each event took from publish() to being handed to every client's session (seconds),
    // for the metrics. Set once, before events flow.
    void observe_fanout(std::function<void(double seconds)> observer);

  private:
    struct State;
    std::shared_ptr<State> state_;
};

}  // namespace ff::realtime
