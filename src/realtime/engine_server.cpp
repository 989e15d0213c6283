// Request checks follow the reference server's order and error codes, so clients see familiar failures.
#include "realtime/engine_server.hpp"

#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include "http/url.hpp"
#include "realtime/polling_transport.hpp"
#include "realtime/random_id.hpp"

namespace ff::realtime {

namespace beast_http = http::beast_http;

namespace {

// What the query of an engine request says; `error` is set when it is unusable.
struct EngineQuery {
    std::optional<EngineError> error;
    TransportKind transport = TransportKind::polling;
    std::string sid;
};

EngineQuery read_query(const http::Request& request) {
    EngineQuery query;
    const auto target =
        http::parse_target(std::string_view(request.target().data(), request.target().size()));
    if (!target) {
        query.error = EngineError::bad_request;
        return query;
    }
    const auto transport = target->query.find("transport");
    if (transport == target->query.end()) {
        query.error = EngineError::transport_unknown;
    } else if (transport->second == "polling") {
        query.transport = TransportKind::polling;
    } else if (transport->second == "websocket") {
        query.transport = TransportKind::websocket;
    } else {
        query.error = EngineError::transport_unknown;
    }
    if (query.error) return query;
    const auto version = target->query.find("EIO");
    if (version == target->query.end() || version->second != "4") {
        query.error = EngineError::unsupported_protocol_version;
        return query;
    }
    if (const auto sid = target->query.find("sid"); sid != target->query.end()) query.sid = sid->second;
    return query;
}

}  // namespace

std::string bearer_token_of(const http::Request& request) {
    const auto header = request[beast_http::field::authorization];
    constexpr std::string_view scheme = "Bearer ";
    if (header.size() <= scheme.size()) return {};
    for (std::size_t index = 0; index < scheme.size(); ++index) {
        if (std::tolower(static_cast<unsigned char>(header[index])) !=
            std::tolower(static_cast<unsigned char>(scheme[index]))) {
            return {};
        }
    }
    std::string token(header.substr(scheme.size()));
    while (!token.empty() && token.back() == ' ') token.pop_back();
    return token;
}

EngineServer::EngineServer(boost::asio::any_io_executor executor, EngineOptions options,
                           EngineListener& listener)
    : executor_(std::move(executor)), options_(options), listener_(listener) {}

EngineServer::~EngineServer() {
    // Sessions outliving the server must not call back into it.
    auto sessions = std::move(sessions_);
    sessions_.clear();
    refusing_ = true;
    for (auto& [sid, session] : sessions) {
        (void)sid;
        if (!session->is_closed()) session->close("server destroyed");
    }
}

std::shared_ptr<EngineSession> EngineServer::find(const std::string& sid) const {
    const auto found = sessions_.find(sid);
    return found == sessions_.end() ? nullptr : found->second;
}

std::shared_ptr<EngineSession> EngineServer::new_session() {
    std::string sid = random_id();
    while (sessions_.count(sid) != 0) sid = random_id();
    auto session = std::make_shared<EngineSession>(executor_, sid, options_.session,
                                                   static_cast<SessionListener&>(*this));
    sessions_.emplace(sid, session);
    return session;
}

Frame EngineServer::open_packet(const std::string& sid, TransportKind transport) const {
    const nlohmann::json open = {
        {"sid", sid},
        {"upgrades", transport == TransportKind::polling ? nlohmann::json::array({"websocket"})
                                                         : nlohmann::json::array()},
        {"pingInterval", options_.session.ping_interval.count()},
        {"pingTimeout", options_.session.ping_timeout.count()},
        {"maxPayload", options_.max_payload},
    };
    return make_frame(EnginePacketType::open, open.dump());
}

void EngineServer::handle_http(const http::Request& request, const http::PeerInfo& peer, http::Reply reply) {
    const auto shape = ReplyShape::of(request);
    const auto query = read_query(request);
    if (query.error) return reply(engine_error_response(*query.error, shape));

    if (query.sid.empty()) {
        if (request.method() != beast_http::verb::get) {
            return reply(engine_error_response(EngineError::bad_handshake_method, shape));
        }
        // A WebSocket handshake that came without "Upgrade: websocket".
        if (query.transport != TransportKind::polling)
            return reply(engine_error_response(EngineError::bad_request, shape));
        return handshake_polling(request, peer, std::move(reply));
    }

    const auto session = find(query.sid);
    if (!session) return reply(engine_error_response(EngineError::unknown_sid, shape));
    if (query.transport != TransportKind::polling || session->transport() != TransportKind::polling) {
        return reply(engine_error_response(EngineError::bad_request, shape));
    }

    if (request.method() == beast_http::verb::get) {
        if (!session->on_poll(make_poll_answer(shape, reply))) {
            reply(engine_error_response(EngineError::bad_request, shape));
        }
        return;
    }
    if (request.method() == beast_http::verb::post) {
        if (request.body().size() > options_.max_payload) {
            spdlog::warn("realtime: session {}: polling POST of {} bytes refused (maxPayload {})",
                         session->sid(), request.body().size(), options_.max_payload);
            return reply(json_response(beast_http::status::payload_too_large,
                                       R"({"code":3,"message":"Payload too large"})", shape));
        }
        if (!session->on_post(request.body()))
            return reply(engine_error_response(EngineError::bad_request, shape));
        return reply(text_response("ok", shape));
    }
    reply(engine_error_response(EngineError::bad_request, shape));
}

void EngineServer::handshake_polling(const http::Request& request, const http::PeerInfo& peer,
                                     http::Reply reply) {
    const auto shape = ReplyShape::of(request);
    if (refusing_) {
        return reply(json_response(beast_http::status::service_unavailable,
                                   R"({"code":3,"message":"Server is shutting down"})", shape));
    }
    auto session = new_session();
    session->set_peer(peer.remote_address);
    session->start(open_packet(session->sid(), TransportKind::polling));
    spdlog::debug("realtime: session {} opened by {} (polling)", session->sid(), peer.remote_address);
    listener_.on_open(session,
                      HandshakeInfo{bearer_token_of(request), peer.remote_address, TransportKind::polling});
    // The handshake request itself is the first poll: it carries the open packet back.
    (void)session->on_poll(make_poll_answer(shape, std::move(reply)));
}

void EngineServer::handle_upgrade(RealtimeSocket socket, http::Request request,
                                  const http::PeerInfo& peer) {
    const auto shape = ReplyShape::of(request);
    auto query = read_query(request);
    if (!query.error && query.transport != TransportKind::websocket) query.error = EngineError::bad_request;
    if (!query.error && !query.sid.empty()) {
        const auto session = find(query.sid);
        if (!session) {
            query.error = EngineError::unknown_sid;
        } else if (session->transport() != TransportKind::polling || session->is_upgrading()) {
            query.error = EngineError::bad_request;
        }
    }
    if (!query.error && query.sid.empty() && refusing_) query.error = EngineError::forbidden;
    if (query.error) {
        spdlog::debug("realtime: websocket from {} refused: {}", peer.remote_address,
                      message_of(*query.error));
        return reject_upgrade(std::move(socket), engine_error_response(*query.error, shape));
    }

    WebSocketOptions websocket_options;
    websocket_options.max_message = options_.max_payload;
    websocket_options.max_queued_frames = options_.session.max_queued_frames;
    websocket_options.idle_timeout =
        options_.session.ping_interval + options_.session.ping_timeout + std::chrono::seconds(5);
    auto connection =
        std::make_shared<WebSocketConnection>(std::move(socket), websocket_options, peer.remote_address);

    HandshakeInfo handshake{bearer_token_of(request), peer.remote_address, TransportKind::websocket};
    connection->accept(std::move(request), [this, lifetime = std::weak_ptr<int>(lifetime_), sid = query.sid,
                                            handshake = std::move(handshake)](
                                               const std::shared_ptr<WebSocketConnection>& accepted) mutable {
        if (lifetime.expired()) {
            accepted->close();
        } else if (sid.empty()) {
            open_websocket_session(accepted, std::move(handshake));
        } else {
            upgrade_session(sid, accepted);
        }
    });
}

void EngineServer::open_websocket_session(const std::shared_ptr<WebSocketConnection>& connection,
                                          HandshakeInfo handshake) {
    if (refusing_) {
        connection->close();
        return;
    }
    auto session = new_session();
    session->set_peer(handshake.remote_address);
    connection->attach(session);
    session->start(open_packet(session->sid(), TransportKind::websocket), connection);
    spdlog::debug("realtime: session {} opened by {} (websocket)", session->sid(), handshake.remote_address);
    listener_.on_open(session, handshake);
}

void EngineServer::upgrade_session(const std::string& sid,
                                   const std::shared_ptr<WebSocketConnection>& connection) {
    const auto session = find(sid);
    if (!session) {
        connection->close();
        return;
    }
    if (const auto started = session->begin_upgrade(connection); !started) {
        spdlog::info("realtime: session {}: upgrade refused: {}", sid, started.error().message);
        connection->close();
        return;
    }
    connection->attach(session);
}

void EngineServer::close_all(std::string_view reason, bool refuse_new) {
    refusing_ = refusing_ || refuse_new;
    std::vector<std::shared_ptr<EngineSession>> sessions;
    sessions.reserve(sessions_.size());
    for (const auto& [sid, session] : sessions_) {
        (void)sid;
        sessions.push_back(session);
    }
    for (const auto& session : sessions) session->close(reason);
}

void EngineServer::on_message(EngineSession& session, std::string_view data) {
    listener_.on_message(session, data);
}

void EngineServer::on_closed(EngineSession& session, std::string_view reason) {
    spdlog::debug("realtime: session {} closed: {}", session.sid(), reason);
    listener_.on_close(session, reason);
    sessions_.erase(session.sid());
}

}  // namespace ff::realtime
