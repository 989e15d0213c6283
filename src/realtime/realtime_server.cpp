// Wiring of the realtime parts; every hop onto the strand holds the state alive with a shared pointer.
#include "realtime/realtime_server.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>

#include "http/url.hpp"
#include "realtime/client_bundle.hpp"
#include "realtime/engine_server.hpp"
#include "realtime/event_fanout.hpp"
#include "realtime/polling_transport.hpp"
#include "realtime/socketio_server.hpp"
#include "realtime/websocket_transport.hpp"

namespace ff::realtime {

namespace {

EngineOptions engine_options(const RealtimeOptions& options) {
    EngineOptions engine;
    engine.session.ping_interval = options.ping_interval;
    engine.session.ping_timeout = options.ping_timeout;
    engine.max_payload = options.max_payload;
    return engine;
}

SocketIoSources sources(const auth::TokenRegistry& tokens, const calls::CallView& calls,
                        const calls::CallControl& control, calls::BrowserPhones* phones) {
    return SocketIoSources{
        [&tokens](std::string_view token) { return tokens.authenticate(token); },
        [&calls] { return calls.active(); },
        [&control] { return control.status(); },
        phones,
    };
}

}  // namespace

struct RealtimeServer::State {
    State(boost::asio::io_context& io, const RealtimeOptions& options, const auth::TokenRegistry& tokens,
          const calls::CallView& calls, const calls::CallControl& control, calls::BrowserPhones* phones)
        : strand(boost::asio::make_strand(io)),
          bundle(options.client_bundle_dir),
          socketio(strand, sources(tokens, calls, control, phones)),
          engine(strand, engine_options(options), socketio) {}

    boost::asio::strand<boost::asio::io_context::executor_type> strand;
    std::function<void(double seconds)> fanout_observer;  // run on the strand
    const ClientBundle bundle;  // immutable: served from any thread
    SocketIoServer socketio;    // declared before the engine: it must outlive the sessions' last callbacks
    EngineServer engine;
};

RealtimeServer::RealtimeServer(boost::asio::io_context& io, RealtimeOptions options,
                               const auth::TokenRegistry& tokens, const calls::CallView& calls,
                               const calls::CallControl& control, calls::BrowserPhones* phones)
    : state_(std::make_shared<State>(io, options, tokens, calls, control, phones)) {}

RealtimeServer::~RealtimeServer() = default;

void RealtimeServer::handle_http(http::Request request, http::PeerInfo peer, http::Reply reply) {
    if (request.method() == http::beast_http::verb::get) {
        const auto target =
            http::parse_target(std::string_view(request.target().data(), request.target().size()));
        if (target && ClientBundle::is_bundle_path(target->path)) {
            reply(state_->bundle.serve(target->path, request));
            return;
        }
    }
    boost::asio::post(state_->strand, [state = state_, request = std::move(request), peer = std::move(peer),
                                       reply = std::move(reply)]() mutable {
        state->engine.handle_http(request, peer, std::move(reply));
    });
}

void RealtimeServer::handle_upgrade(boost::beast::tcp_stream stream, http::Request request,
                                    http::PeerInfo peer) {
    auto rebound = rebind_stream(std::move(stream), state_->strand);
    if (!rebound) {
        spdlog::info("realtime: websocket from {} dropped: {}", peer.remote_address, rebound.error().message);
        return;
    }
    boost::asio::post(state_->strand, [state = state_, stream = std::move(rebound).value(),
                                       request = std::move(request), peer = std::move(peer)]() mutable {
        state->engine.handle_upgrade(std::move(stream), std::move(request), peer);
    });
}

void RealtimeServer::publish(const calls::Event& event) {
    const auto published = std::chrono::steady_clock::now();
    auto broadcast = make_broadcast(event);
    boost::asio::post(state_->strand, [state = state_, broadcast = std::move(broadcast), published] {
        state->socketio.broadcast(broadcast);
        if (state->fanout_observer)
            state->fanout_observer(std::chrono::duration<double>(std::chrono::steady_clock::now() - published).count());
    });
}

void RealtimeServer::observe_fanout(std::function<void(double seconds)> observer) {
    boost::asio::post(state_->strand, [state = state_, observer = std::move(observer)]() mutable {
        state->fanout_observer = std::move(observer);
    });
}

void RealtimeServer::deliver(calls::PhoneSignal signal) {
    boost::asio::post(state_->strand,
                      [state = state_, signal = std::move(signal)] { state->socketio.deliver(signal); });
}

void RealtimeServer::revalidate_tokens() {
    boost::asio::post(state_->strand, [state = state_] { state->socketio.revalidate(); });
}

void RealtimeServer::shutdown(std::function<void()> on_closed) {
    boost::asio::post(state_->strand, [state = state_, on_closed = std::move(on_closed)] {
        spdlog::info("realtime: closing {} session(s)", state->engine.session_count());
        state->engine.close_all("server shutting down", true);
        if (on_closed) on_closed();
    });
}

std::size_t RealtimeServer::client_count() const {
    return state_->socketio.connected_count();
}

std::uint64_t RealtimeServer::deliveries() const {
    return state_->socketio.delivered_count();
}

}  // namespace ff::realtime
