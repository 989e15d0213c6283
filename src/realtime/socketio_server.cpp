// Misbehaving clients are closed one by one; nothing a client sends can reach another client.
#include "realtime/socketio_server.hpp"

#include <spdlog/spdlog.h>

#include "calls/call.hpp"
#include "realtime/random_id.hpp"
#include "wire/call_json.hpp"

namespace ff::realtime {

using nlohmann::json;

namespace {

Frame message_frame(const SocketPacket& packet) {
    return make_frame(EnginePacketType::message, encode_socket_packet(packet));
}

}  // namespace

SocketIoServer::SocketIoServer(boost::asio::any_io_executor executor, SocketIoSources sources,
                               std::chrono::milliseconds connect_timeout)
    : executor_(std::move(executor)),
      sources_(std::move(sources)),
      connect_timeout_(connect_timeout),
      phones_(executor_, sources_.phones) {}

void SocketIoServer::on_open(const std::shared_ptr<EngineSession>& session, const HandshakeInfo& handshake) {
    Client client;
    client.session = session;
    client.handshake = handshake;
    // The reference server's connectTimeout: a session that never joins a namespace is not kept.
    client.connect_timer = std::make_unique<boost::asio::steady_timer>(executor_, connect_timeout_);
    client.connect_timer->async_wait(
        [weak = std::weak_ptr<EngineSession>(session)](boost::system::error_code error) {
            if (error) return;
            if (auto expired = weak.lock()) {
                spdlog::info("realtime: session {} closed: no Socket.IO connect in time", expired->sid());
                expired->close("connect timeout");
            }
        });
    clients_.emplace(session.get(), std::move(client));
}

void SocketIoServer::on_close(EngineSession& session, std::string_view reason) {
    const auto found = clients_.find(&session);
    if (found == clients_.end()) return;
    Client& client = found->second;
    if (client.connect_timer) client.connect_timer->cancel();
    if (client.principal) {
        connected_.fetch_sub(1);
        spdlog::info("realtime: {} ({}) disconnected: {}", client.principal->name,
                     auth::to_string(client.principal->role), reason);
    }
    rooms_.leave_all(&session);
    phones_.on_gone(&session, true);  // a reloaded page may take its calls back
    clients_.erase(found);
}

void SocketIoServer::on_message(EngineSession& session, std::string_view data) {
    const auto found = clients_.find(&session);
    if (found == clients_.end()) return;
    Client& client = found->second;
    auto packet = decode_socket_packet(data);
    if (!packet) {
        session.fail(packet.error().message);  // logged there, with the peer
        return;
    }
    const SocketPacket& parsed = packet.value();
    if (parsed.type == SocketPacketType::connect) return on_connect(client, parsed);

    // Anything but CONNECT needs a connected socket on that namespace: the reference server closes otherwise.
    if (parsed.nsp != "/" || !client.principal || parsed.type == SocketPacketType::connect_error) {
        session.fail(std::string("socket.io packet of type ") + static_cast<char>(parsed.type) +
                     " on namespace " + parsed.nsp.substr(0, 40) + " not allowed in this state");
        return;
    }
    switch (parsed.type) {
        case SocketPacketType::event:
            return on_event(client, parsed);
        case SocketPacketType::disconnect:
            return on_disconnect(client);
        default:
            return;  // ACKs: the server never asks for one
    }
}

void SocketIoServer::refuse_connect(Client& client, const std::string& nsp, std::string_view message) {
    SocketPacket refusal;
    refusal.type = SocketPacketType::connect_error;
    refusal.nsp = nsp;
    refusal.data = json{{"message", message}};
    send_packet(client, refusal);
}

void SocketIoServer::on_connect(Client& client, const SocketPacket& packet) {
    if (packet.nsp != "/") {
        spdlog::info("realtime: client {} asked for namespace {}: refused", client.handshake.remote_address,
                     packet.nsp);
        return refuse_connect(client, packet.nsp, "Invalid namespace");
    }
    if (client.principal) return;  // already connected: the reference server ignores a repeat

    std::string token = client.handshake.bearer_token;
    if (packet.data && packet.data->contains("token")) {
        const auto& given = (*packet.data)["token"];
        if (!given.is_string())
            return refuse_connect(client, "/", "Unauthorized: auth.token must be a string");
        token = given.get<std::string>();
    }
    if (token.empty()) {
        spdlog::info("realtime: connect from {} refused: no token", client.handshake.remote_address);
        return refuse_connect(client, "/",
                              "Unauthorized: a token is required (auth: { token } or Authorization: Bearer)");
    }
    auto principal = sources_.authenticate(token);
    if (!principal) {
        spdlog::info("realtime: connect from {} refused: unknown or revoked token",
                     client.handshake.remote_address);
        return refuse_connect(client, "/", "Unauthorized: the token is unknown or revoked");
    }
    if (principal->role == auth::Role::metrics) {  // a scraper's token reads /metrics and nothing else
        spdlog::info("realtime: connect from {} refused: a metrics token", client.handshake.remote_address);
        return refuse_connect(client, "/", "Forbidden: a metrics token may only read /metrics");
    }

    if (client.connect_timer) client.connect_timer->cancel();
    client.principal = std::move(*principal);
    client.token = std::move(token);
    client.socket_id = random_id();
    connected_.fetch_add(1);
    rooms_.join(std::string(everyone_room), client.session.get());
    for (const auto& room : rooms_for(*client.principal)) rooms_.join(room, client.session.get());
    spdlog::info("realtime: {} ({}{}{}) connected from {} over {}", client.principal->name,
                 auth::to_string(client.principal->role), client.principal->extension.empty() ? "" : " ",
                 client.principal->extension, client.handshake.remote_address,
                 to_string(client.session->transport()));

    SocketPacket accepted;
    accepted.type = SocketPacketType::connect;
    accepted.data = json{{"sid", client.socket_id}};
    // Right after connect, so a console that reconnects catches up on what happened while it was away.
    auto snapshot = make_snapshot(*client.principal, sources_.active_calls(), sources_.telephony_status());
    // A send may close the session (a client that never reads has a full queue), and the close forgets
    // `client`: nothing of it is used after the first send.
    const auto session = client.session;
    session->send(message_frame(accepted));
    session->send(std::move(snapshot));
}

void SocketIoServer::on_event(Client& client, const SocketPacket& packet) {
    const auto& arguments = *packet.data;
    const std::string name = arguments[0].is_string() ? arguments[0].get<std::string>() : std::string();
    if (PhoneSignalling::is_phone_event(name)) {
        auto answer = [session = client.session, id = packet.id](json reply) {
            if (!id) return;  // emitted without an acknowledgement callback
            SocketPacket ack;
            ack.type = SocketPacketType::ack;
            ack.id = id;
            ack.data = json::array({std::move(reply)});
            session->send(message_frame(ack));
        };
        phones_.on_event(client.session, *client.principal, name, arguments.size() > 1 ? arguments[1] : json(),
                         std::move(answer));
        return;
    }
    if (!packet.id) return;  // other events from consoles carry nothing the server acts on
    SocketPacket ack;
    ack.type = SocketPacketType::ack;
    ack.id = packet.id;
    if (name == "ping") {
        ack.data = json::array({json{{"pong", true}, {"time", wire::format_time(calls::now_ms())}}});
    } else {
        ack.data = json::array({json{{"error", "unknown event"}}});
    }
    send_packet(client, ack);
}

void SocketIoServer::on_disconnect(Client& client) {
    rooms_.leave_all(client.session.get());
    phones_.on_gone(client.session.get(), true);
    if (client.principal) {
        connected_.fetch_sub(1);
        spdlog::info("realtime: {} left the namespace", client.principal->name);
    }
    client.principal.reset();
    client.socket_id.clear();
}

void SocketIoServer::revalidate() {
    std::vector<std::shared_ptr<EngineSession>> revoked;
    for (auto& [session, client] : clients_) {
        if (client.principal && !sources_.authenticate(client.token)) revoked.push_back(client.session);
    }
    for (const auto& session : revoked) {
        const auto found = clients_.find(session.get());
        if (found == clients_.end()) continue;
        spdlog::info("realtime: {} disconnected: the token was revoked", found->second.principal->name);
        phones_.on_gone(session.get(), false);
        SocketPacket bye;
        bye.type = SocketPacketType::disconnect;  // the client does not reconnect after a server disconnect
        send_packet(found->second, bye);
        session->close("token revoked");
    }
}

void SocketIoServer::send_packet(Client& client, const SocketPacket& packet) {
    client.session->send(message_frame(packet));
}

void SocketIoServer::broadcast(const Broadcast& broadcast) {
    // Collect first: a send may close a session (slow client), which edits the maps being walked.
    std::vector<std::shared_ptr<EngineSession>> targets;
    const auto members = broadcast.rooms.empty() ? rooms_.members_of({std::string(everyone_room)})
                                                 : rooms_.members_of(broadcast.rooms);
    targets.reserve(members.size());
    for (EngineSession* member : members) {
        const auto found = clients_.find(member);
        if (found != clients_.end()) targets.push_back(found->second.session);
    }
    for (const auto& target : targets) target->send(broadcast.frame);
    delivered_ += targets.size();
}

}  // namespace ff::realtime
