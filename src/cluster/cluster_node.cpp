// Redis layout (all keys under "ff:"): ff:instance:<id> is a heartbeat that expires; ff:calls maps each
// active call id to {owner, call}; ff:telephony maps each instance to its lines; the channel ff:events
// carries every call and line event; ff:control:<id> and ff:reply:<id> carry forwarded call buttons and links.
#include "cluster/cluster_node.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include "wire/call_from_json.hpp"
#include "wire/call_json.hpp"

namespace ff::cluster {
namespace {

constexpr const char* calls_key = "ff:calls";
constexpr const char* telephony_key = "ff:telephony";
constexpr const char* events_channel = "ff:events";
constexpr const char* operators_key = "ff:operators";  // extension -> the operator's last choice

std::string heartbeat_key(const std::string& id) { return "ff:instance:" + id; }
std::string control_channel(const std::string& id) { return "ff:control:" + id; }
std::string reply_channel(const std::string& id) { return "ff:reply:" + id; }
std::string reaping_key(const std::string& id) { return "ff:reaping:" + id; }

// An instance's entry in ff:telephony: {"lines": [...]}.
std::string lines_json(const calls::TelephonyStatus& status) {
    nlohmann::json lines = nlohmann::json::array();
    for (const auto& line : status.lines) lines.push_back(wire::to_json(line));
    return nlohmann::json{{"lines", std::move(lines)}}.dump();
}

std::vector<calls::LineState> lines_from(const std::string& text) {
    std::vector<calls::LineState> lines;
    const auto parsed = nlohmann::json::parse(text, nullptr, false);
    if (!parsed.is_object() || !parsed.contains("lines") || !parsed["lines"].is_array()) return lines;
    for (const auto& item : parsed["lines"])
        if (auto line = wire::line_from_json(item)) lines.push_back(std::move(line).value());
    return lines;
}

// HGETALL's flat [field, value, field, value ...] as pairs.
std::vector<std::pair<std::string, std::string>> hash_entries(const RedisReply& reply) {
    std::vector<std::pair<std::string, std::string>> entries;
    for (std::size_t i = 0; i + 1 < reply.elements.size(); i += 2)
        entries.emplace_back(reply.elements[i].text, reply.elements[i + 1].text);
    return entries;
}

std::string new_request_id() {
    static thread_local std::mt19937_64 random{std::random_device{}()};
    return std::to_string(random()) + std::to_string(random());
}

}  // namespace

std::string generated_instance_id() {
    char host[256] = {};
    if (gethostname(host, sizeof host - 1) != 0 || host[0] == '\0') std::snprintf(host, sizeof host, "instance");
    std::string id;
    for (const char* c = host; *c != '\0' && id.size() < 40; ++c) {
        const bool allowed = std::isalnum(static_cast<unsigned char>(*c)) != 0 || *c == '.' || *c == '_' || *c == '-';
        id += allowed ? *c : '-';
    }
    std::mt19937 random{std::random_device{}()};
    char suffix[8];
    std::snprintf(suffix, sizeof suffix, "%06x", static_cast<unsigned>(random() & 0xffffffu));
    return id + "-" + suffix;
}

struct ClusterNode::Pending {
    std::function<void(ControlReply)> done;
    std::unique_ptr<boost::asio::steady_timer> timer;
};

ClusterNode::ClusterNode(ClusterOptions options, calls::CallRegistry& registry, calls::EventBus& bus,
                         boost::asio::io_context& io)
    : options_(std::move(options)), registry_(registry), io_(io) {
    RedisLinkHandlers handlers;
    handlers.on_connected = [this](RedisClient& redis) {
        heartbeat(redis);
        publish_own_state(redis);
        load_others_state(redis);
    };
    handlers.on_tick = [this](RedisClient& redis) {
        if (!heartbeat(redis)) {
            // Paused (a stopped process, a frozen VM) for longer than a heartbeat lives: the others have ended
            // our calls and forgotten our lines. They are published again, as after a reconnection.
            spdlog::warn("cluster: this instance was silent long enough to be taken for dead; publishing its "
                         "calls and lines again");
            publish_own_state(redis);
        }
        end_calls_of_dead_instances(redis);
    };
    handlers.on_subscribed = [this] {
        if (link_) link_->post([this](RedisClient& redis) { load_others_state(redis); });
    };
    handlers.on_message = [this](const std::string& channel, const std::string& payload) {
        on_message(channel, payload);
    };
    handlers.on_state = [this](bool up, const std::string& reason) {
        {
            std::lock_guard lock(mutex_);
            down_reason_ = reason;
        }
        // Redis away: the others' calls can be neither listed nor controlled until it is back.
        if (!up) remote_.set_available(false);
        up_ = up;
    };
    link_ = std::make_unique<RedisLink>(
        options_.redis,
        std::vector<std::string>{events_channel, control_channel(options_.instance_id), reply_channel(options_.instance_id)},
        options_.tick, std::move(handlers));
    bus_guard_->node = this;
    bus.subscribe([guard = bus_guard_](const calls::Event& event) {
        std::lock_guard lock(guard->mutex);
        if (guard->node != nullptr) guard->node->on_local_event(event);
    });
}

ClusterNode::~ClusterNode() {
    {
        std::lock_guard lock(bus_guard_->mutex);
        bus_guard_->node = nullptr;
    }
    stop();
    link_->stop();  // writes what is queued; no handler runs after this
}

void ClusterNode::start(calls::CallControl& local, ClusterHooks hooks) {
    {
        std::lock_guard lock(mutex_);
        hooks_ = std::move(hooks);
        local_ = &local;
        running_ = true;
    }
    link_->start();
}

void ClusterNode::stop() {
    std::map<std::string, std::shared_ptr<Pending>> pending;
    {
        std::lock_guard lock(mutex_);
        running_ = false;
        local_ = nullptr;
        pending.swap(pending_);
    }
    for (auto& [id, waiting] : pending) {
        waiting->timer->cancel();
        waiting->done(ControlReply{id, calls::make_error(calls::ErrorCode::unavailable, "the service is stopping"), {}});
    }
}

std::string ClusterNode::down_reason() const {
    std::lock_guard lock(mutex_);
    return down_reason_;
}

// ---- this instance's state, published ---------------------------------------------------------------------

void ClusterNode::on_local_event(const calls::Event& event) {
    if (const auto* call_event = std::get_if<calls::CallEvent>(&event)) {
        const auto& id = call_event->call.id;
        auto encoded = encode_call_event_with_entry(options_.instance_id, *call_event);
        std::vector<std::string> shared_entry{"HDEL", calls_key, id};
        if (!encoded.owned_call.empty()) shared_entry = {"HSET", calls_key, id, std::move(encoded.owned_call)};
        // Encoded here and written from this thread when the connection is idle: the event reaches the other
        // instances without waiting for the Redis thread to wake up (the shared entry first, as readers expect).
        link_->write({std::move(shared_entry), {"PUBLISH", events_channel, std::move(encoded.event)}});
        return;
    }
    const auto* found = std::get_if<calls::TelephonyEvent>(&event);
    if (found == nullptr) return;  // operator states are each instance's own for now
    const auto& telephony = *found;
    if (telephony.kind != calls::TelephonyEvent::Kind::line_changed) return;
    link_->post([this, line = telephony.line, lines = own_lines_json()](RedisClient& redis) {
        std::vector<std::vector<std::string>> commands;
        if (lines) commands.push_back({"HSET", telephony_key, options_.instance_id, *lines});
        commands.push_back({"PUBLISH", events_channel, encode_line(options_.instance_id, line)});
        redis.pipeline(commands);
    });
}

ClusterHooks ClusterNode::running_hooks() const {
    std::lock_guard lock(mutex_);
    return running_ ? hooks_ : ClusterHooks{};
}

std::optional<std::string> ClusterNode::own_lines_json() const {
    std::lock_guard lock(mutex_);  // stop() waits for this, so the engine is never asked once it is going
    if (local_ == nullptr) return std::nullopt;
    return lines_json(local_->status());
}

bool ClusterNode::heartbeat(RedisClient& redis) {
    const auto previous = redis.command(
        {"SET", heartbeat_key(options_.instance_id), "1", "PX", std::to_string(options_.heartbeat_ttl.count()), "GET"});
    return !previous || previous->type != RedisReply::Type::nil;
}

void ClusterNode::announce_settings_saved() {
    link_->post([this](RedisClient& redis) {
        redis.command({"PUBLISH", events_channel, encode_settings_saved(options_.instance_id)});
    });
}

void ClusterNode::announce_operator_choice(const OperatorChoice& choice) {
    link_->post([this, choice](RedisClient& redis) {
        const std::string message = encode_operator_choice(options_.instance_id, choice);
        redis.pipeline({{"HSET", operators_key, choice.extension, message}, {"PUBLISH", events_channel, message}});
    });
}

// After a (re)connection: Redis may have lost everything (restarted) or hold entries of an earlier life of
// this instance id. Entries of ours that are no longer active here are ended as failed; the rest is written
// again, and the others are asked to read it.
void ClusterNode::publish_own_state(RedisClient& redis) {
    const auto stored = redis.command({"HGETALL", calls_key});
    if (!stored) return;
    std::vector<calls::Call> stale;
    for (const auto& [call_id, text] : hash_entries(stored.value())) {
        auto owned = decode_owned_call(text);
        if (owned && owned->owner == options_.instance_id && !registry_.find(call_id)) stale.push_back(owned->call);
    }
    if (!stale.empty()) end_calls_of(redis, options_.instance_id, stale);
    for (const auto& call : registry_.active())
        redis.command({"HSET", calls_key, call.id, encode_owned_call(options_.instance_id, call)});
    if (const auto lines = own_lines_json()) redis.command({"HSET", telephony_key, options_.instance_id, *lines});
    redis.command({"PUBLISH", events_channel, encode_resync(options_.instance_id)});
}

// ---- the others' state, read ---------------------------------------------------------------------------------

void ClusterNode::load_others_state(RedisClient& redis) {
    const auto stored_calls = redis.command({"HGETALL", calls_key});
    const auto stored_lines = redis.command({"HGETALL", telephony_key});
    if (!stored_calls || !stored_lines) return;
    std::vector<RemoteState::OwnedCall> calls;
    for (const auto& [call_id, text] : hash_entries(stored_calls.value())) {
        auto owned = decode_owned_call(text);
        if (owned && owned->owner != options_.instance_id) calls.push_back({owned->owner, std::move(owned->call)});
    }
    std::map<std::string, std::vector<calls::LineState>> lines;
    for (const auto& [owner, text] : hash_entries(stored_lines.value()))
        if (owner != options_.instance_id) lines[owner] = lines_from(text);
    remote_.replace(std::move(calls), std::move(lines));
    // The operators' choices, whichever instance made them (this one's own too: it may have restarted).
    const auto hooks = running_hooks();
    const auto choices = redis.command({"HGETALL", operators_key});
    if (!choices || !hooks.operator_chosen) return;
    for (const auto& [extension, text] : hash_entries(choices.value())) {
        if (auto message = decode_event(text); message && message->type == EventMessage::Type::operator_choice)
            hooks.operator_chosen(message->choice);
    }
}

void ClusterNode::on_message(const std::string& channel, const std::string& payload) {
    {
        std::lock_guard lock(mutex_);
        if (!running_) return;
    }
    if (channel == events_channel) return on_event_message(payload);
    if (channel == control_channel(options_.instance_id)) return on_control_message(payload);
    if (channel == reply_channel(options_.instance_id)) return on_reply_message(payload);
}

void ClusterNode::on_event_message(const std::string& payload) {
    if (payload.starts_with(own_prefix_)) return;  // our own, already delivered here
    auto message = decode_event(payload);
    if (!message) {
        spdlog::warn("redis: ignored a damaged event: {}", message.error().message);
        return;
    }
    if (message->origin == options_.instance_id) return;  // our own, already delivered here
    const auto hooks = running_hooks();
    switch (message->type) {
        case EventMessage::Type::call:
            remote_.apply_call(message->origin, message->call_event.call);
            if (hooks.deliver) hooks.deliver(message->call_event);
            return;
        case EventMessage::Type::line:
            remote_.set_line(message->origin, message->line);
            if (hooks.deliver)
                hooks.deliver(calls::TelephonyEvent{calls::TelephonyEvent::Kind::line_changed, {}, message->line});
            return;
        case EventMessage::Type::resync:
            link_->post([this](RedisClient& redis) { load_others_state(redis); });
            return;
        case EventMessage::Type::settings:
            if (hooks.settings_saved) hooks.settings_saved();
            return;
        case EventMessage::Type::operator_choice:
            if (hooks.operator_chosen) hooks.operator_chosen(message->choice);
            return;
    }
}

// ---- call buttons across instances ---------------------------------------------------------------------------

void ClusterNode::forward(const std::string& owner, ControlRequest request, calls::CallControl::Completion done) {
    send(owner, std::move(request), [done = std::move(done)](ControlReply reply) { done(std::move(reply.result)); });
}

void ClusterNode::fetch_recording(const std::string& owner, const std::string& call_id, const std::string& range,
                                  calls::RecordingRouter::Completion done) {
    ControlRequest request;
    request.action = ControlRequest::Action::recording;
    request.call_id = call_id;
    request.target = range;
    send(owner, std::move(request), [done = std::move(done)](ControlReply reply) {
        if (reply.recording) return done(std::move(*reply.recording));
        if (!reply.result) return done(reply.result.error());
        done(calls::make_error(calls::ErrorCode::internal, "the instance answered a recording request with a call"));
    });
}

void ClusterNode::send(const std::string& owner, ControlRequest request, std::function<void(ControlReply)> done) {
    if (!up()) {
        done(ControlReply{{}, calls::make_error(calls::ErrorCode::unreachable,
                                                "call " + request.call_id + " is handled by instance " + owner +
                                                    ", which cannot be reached while Redis is away"), {}});
        return;
    }
    request.request_id = new_request_id();
    request.reply_to = options_.instance_id;
    request.expires_at_ms = (calls::now_ms() + options_.control_timeout).time_since_epoch().count();
    auto pending = std::make_shared<Pending>();
    pending->done = std::move(done);
    pending->timer = std::make_unique<boost::asio::steady_timer>(io_, options_.control_timeout);
    {
        std::lock_guard lock(mutex_);
        pending_[request.request_id] = pending;
    }
    pending->timer->async_wait([this, id = request.request_id, owner](boost::system::error_code error) {
        if (error) return;
        complete(ControlReply{id, calls::make_error(calls::ErrorCode::timeout,
                                                    "instance " + owner + ", which handles the call, did not answer within " +
                                                        std::to_string(options_.control_timeout.count() / 1000) + " s"), {}});
    });
    link_->post([owner, message = encode_control(request)](RedisClient& redis) {
        redis.command({"PUBLISH", control_channel(owner), message});
    });
}

void ClusterNode::complete(ControlReply reply) {
    std::shared_ptr<Pending> pending;
    {
        std::lock_guard lock(mutex_);
        const auto found = pending_.find(reply.request_id);
        if (found == pending_.end()) return;  // already answered or timed out
        pending = found->second;
        pending_.erase(found);
    }
    pending->timer->cancel();
    pending->done(std::move(reply));
}

void ClusterNode::on_reply_message(const std::string& payload) {
    auto reply = decode_reply(payload);
    if (!reply) {
        spdlog::warn("redis: ignored a damaged reply: {}", reply.error().message);
        return;
    }
    complete(std::move(reply).value());
}

void ClusterNode::on_control_message(const std::string& payload) {
    auto request = decode_control(payload);
    if (!request) {
        spdlog::warn("redis: ignored a damaged control request: {}", request.error().message);
        return;
    }
    calls::CallControl* local = nullptr;
    {
        std::lock_guard lock(mutex_);
        local = local_;
    }
    if (local == nullptr) return;
    // The instances' clocks are taken to agree (NTP) far closer than control_timeout's seconds.
    if (const auto now = calls::now_ms().time_since_epoch().count();
        request->expires_at_ms > 0 && now > request->expires_at_ms) {
        spdlog::warn("redis: dropped a {} request for call {} from instance {}: it arrived {} ms after its requester "
                     "stopped waiting (this instance was stopped or overloaded)",
                     control_action_name(request->action), request->call_id, request->reply_to,
                     now - request->expires_at_ms);
        return;
    }
    auto answer = [this, id = request->request_id, reply_to = request->reply_to](calls::Result<calls::Call> result) {
        link_->post([id, reply_to, result = std::move(result)](RedisClient& redis) {
            redis.command({"PUBLISH", reply_channel(reply_to), encode_reply(ControlReply{id, result, {}})});
        });
    };
    if (request->action == ControlRequest::Action::recording) {
        const auto hooks = running_hooks();
        auto bytes = hooks.serve_recording ? hooks.serve_recording(request->call_id, request->target)
                                           : calls::Result<calls::RecordingBytes>(calls::make_error(
                                                 calls::ErrorCode::unavailable,
                                                 "instance " + options_.instance_id + " serves no recordings"));
        ControlReply reply{request->request_id, calls::make_error(calls::ErrorCode::internal, "no call"), {}};
        if (bytes) {
            reply.recording = std::move(bytes).value();
        } else {
            reply.result = bytes.error();
        }
        link_->post([reply_to = request->reply_to, message = encode_reply(reply)](RedisClient& redis) {
            redis.command({"PUBLISH", reply_channel(reply_to), message});
        });
        return;
    }
    switch (request->action) {
        case ControlRequest::Action::answer:
            return local->answer(request->call_id, std::move(answer));
        case ControlRequest::Action::hangup:
            return local->hangup(request->call_id, std::move(answer));
        case ControlRequest::Action::hold:
            return local->hold(request->call_id, std::move(answer));
        case ControlRequest::Action::unhold:
            return local->unhold(request->call_id, std::move(answer));
        case ControlRequest::Action::transfer:
            return local->transfer(request->call_id, request->target, std::move(answer));
        case ControlRequest::Action::consult:
            return local->consult(request->call_id, request->target, std::move(answer));
        case ControlRequest::Action::complete_transfer:
        case ControlRequest::Action::cancel_transfer:
            return local->settle_transfer(request->call_id,
                                          request->action == ControlRequest::Action::complete_transfer,
                                          std::move(answer));
        case ControlRequest::Action::dial:
            return local->dial(request->dial, std::move(answer));
        case ControlRequest::Action::media:
            return local->media(request->call_id, std::move(answer));
        case ControlRequest::Action::record_start:
        case ControlRequest::Action::record_stop:
            return local->record(request->call_id, request->action == ControlRequest::Action::record_start,
                                 std::move(answer));
        case ControlRequest::Action::recording:
            return;  // answered above
        case ControlRequest::Action::link: {
            const auto hooks = running_hooks();
            if (!hooks.apply_link)
                return answer(calls::make_error(calls::ErrorCode::unavailable,
                                                "instance " + options_.instance_id + " cannot link to its calls"));
            return hooks.apply_link(request->call_id, std::move(request->link), std::move(answer));
        }
    }
}

// ---- instances that died -------------------------------------------------------------------------------------

// Only once this instance has been connected for longer than a heartbeat lives: after Redis itself restarted,
// every heartbeat is gone until each instance has reconnected, and nobody must be taken for dead meanwhile.
void ClusterNode::end_calls_of_dead_instances(RedisClient& redis) {
    if (link_->up_for() <= options_.heartbeat_ttl + options_.tick) return;
    const auto stored_calls = redis.command({"HGETALL", calls_key});
    const auto stored_lines = redis.command({"HGETALL", telephony_key});
    if (!stored_calls || !stored_lines) return;
    std::map<std::string, std::vector<calls::Call>> calls_by_owner;
    for (const auto& [call_id, text] : hash_entries(stored_calls.value())) {
        auto owned = decode_owned_call(text);
        if (!owned) {
            redis.command({"HDEL", calls_key, call_id});  // damaged: nobody can read it
            continue;
        }
        if (owned->owner != options_.instance_id) calls_by_owner[owned->owner].push_back(std::move(owned->call));
    }
    std::set<std::string> owners;
    for (const auto& [owner, calls] : calls_by_owner) owners.insert(owner);
    for (const auto& [owner, text] : hash_entries(stored_lines.value()))
        if (owner != options_.instance_id) owners.insert(owner);

    for (const auto& owner : owners) {
        const auto alive = redis.command({"EXISTS", heartbeat_key(owner)});
        if (!alive || alive->integer != 0) continue;
        // One survivor ends the calls; the others see its call:ended events.
        const auto claimed = redis.command({"SET", reaping_key(owner), options_.instance_id, "NX", "PX", "10000"});
        if (!claimed || claimed->type == RedisReply::Type::nil) continue;
        spdlog::warn("cluster: instance {} stopped answering; ending its {} call(s) as failed", owner,
                     calls_by_owner[owner].size());
        end_calls_of(redis, owner, calls_by_owner[owner]);
        redis.command({"HDEL", telephony_key, owner});
        remote_.forget_instance(owner);
    }
}

void ClusterNode::end_calls_of(RedisClient& redis, const std::string& owner, const std::vector<calls::Call>& calls) {
    const auto hooks = running_hooks();
    for (auto call : calls) {
        call.status = calls::CallStatus::ended;
        call.end_reason = calls::EndReason::failed;
        call.end_time = calls::now_ms();
        const calls::CallEvent event{calls::CallEventKind::ended, call, {}};
        redis.command({"HDEL", calls_key, call.id});
        redis.command({"PUBLISH", events_channel, encode_call_event(options_.instance_id, event)});
        remote_.forget_call(call.id);
        if (hooks.deliver) hooks.deliver(event);
        if (hooks.record_ended) hooks.record_ended(call);
        spdlog::info("cluster: call {} of instance {} ended as failed", call.id, owner);
    }
}

// ---- inbound calls when every instance has the line ----------------------------------------------------------

bool ClusterNode::leaves_inbound_to_others(const std::string& extension) const {
    // While Redis is away the last word heard is still the best guess: a phone that was at another instance
    // is most likely still there, and taking its call here would only log a missed call beside the real one.
    if (!up()) return remote_.instance_with_phone(extension, RemoteState::Staleness::accepted).has_value();
    if (remote_.instance_with_phone(extension)) return true;
    // The phone is nowhere: the live instance with the smallest id that has the line logs the missed call.
    for (const auto& [owner, line] : remote_.lines())
        if (line.extension == extension && line.registered && owner < options_.instance_id) return true;
    return false;
}

}  // namespace ff::cluster
