// Threads: the API calls in from the io_context, settings changes from whoever saved them; all of it
// becomes jobs on the SIP thread. Back out: a status snapshot under a mutex, and events posted to the
// io_context in order, so subscribers run where the rest of the service runs them.
#include "sip/sip_engine.hpp"

#include <pthread.h>
#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>
#include <algorithm>
#include <future>

#include "calls/event_bus.hpp"
#include "config/settings_validation.hpp"
#include "directory/caller_identification.hpp"
#include "sip/diagnosis/connection_check.hpp"
#include "sip/lines/line_plan.hpp"
#include "sip/stack/listen_check.hpp"
#include "sip/stack/sip_addresses.hpp"
#include "sip/stack/sofia_stack.hpp"

namespace ff::sip {
SipEngineOptions SipEngineOptions::from(const config::ServiceConfig& config) {
    SipEngineOptions options;
    options.listen = config.sip_listen;
    options.tls_listen = config.sip_tls_listen;
    options.tls = TlsFiles{config.sip_tls_cert, config.sip_tls_key, config.sip_tls_ca};
    options.register_expires = config.sip_register_expires;
    options.user_agent = config.sip_user_agent;
    options.pbx_probe_interval = std::chrono::seconds(config.sip_pbx_probe_interval);
    options.bridge.phone_ring_timeout = std::chrono::seconds(config.sip_ring_timeout);
    options.bridge.customer_ring_timeout = std::chrono::seconds(config.sip_ring_timeout);
    options.bridge.dialog_probe_interval = std::chrono::seconds(config.sip_dialog_probe_interval);
    options.bridge.caller_id_order = config.caller_id_order;
    options.bridge.dialled_number_order = config.dialled_number_order;
    options.bridge.ivr_header = config.ivr_header;
    options.dialled_names = config.dialled_names;
    options.bridge.admission = {static_cast<std::size_t>(config.max_concurrent_calls), config.max_calls_per_second,
                                std::chrono::milliseconds(config.sip_max_delay_ms)};
    options.dial_format = config.dial_format;
    options.registrar.min_expires = config.sip_device_min_expires;
    options.registrar.max_expires = config.sip_device_max_expires;
    options.registrar.default_expires = std::clamp(options.registrar.default_expires,
                                                   config.sip_device_min_expires, config.sip_device_max_expires);
    options.registrar.failures_before_lockout = config.sip_auth_max_failures;
    options.registrar.lockout = std::chrono::seconds(config.sip_auth_lockout);
    options.flood.per_second = config.sip_rate_limit_per_source;
    options.flood.burst = config.sip_rate_limit_burst;
    return options;
}

calls::Result<std::unique_ptr<SipEngine>> SipEngine::start(TelephonyContext& telephony,
                                                           SipEngineOptions options) {
    std::unique_ptr<SipEngine> engine(new SipEngine(telephony, std::move(options)));
    if (auto started = engine->run_thread(); !started) return started.error();
    return engine;
}

SipEngine::SipEngine(TelephonyContext& telephony, SipEngineOptions options)
    : telephony_(telephony),
      options_(std::move(options)),
      events_(boost::asio::make_strand(telephony.io)),
      phones_(telephony.config.default_region) {
    // Until the stack reports, every configured line is shown as not registered yet.
    for (const auto& line : lines_from(telephony_.settings.pbx(), telephony_.settings.users())) {
        calls::LineState state;
        state.extension = line.user.extension;
        state.username = line.user.username;
        state.display_name = line.user.display_name;
        state.detail = "waiting to register";
        status_.lines.push_back(std::move(state));
    }
}

calls::Status SipEngine::run_thread() {
    const auto url = listen_url(options_.listen);
    if (!url)
        return calls::make_error(calls::ErrorCode::invalid_argument,
                                 "SIP_LISTEN is not host:port: " + options_.listen);
    if (!queue_->valid())
        return calls::make_error(calls::ErrorCode::internal, "cannot create the SIP command queue");
    if (auto bindable = check_listen_address(options_.listen); !bindable) {
        return calls::make_error(
            calls::ErrorCode::unavailable,
            "cannot listen for SIP on " + *url + " (SIP_LISTEN): " + bindable.error().message);
    }

    StackOptions stack_options;
    stack_options.listen_url = *url;
    stack_options.user_agent = options_.user_agent;
    // Sofia reads the certificate while the stack opens; the private copy is removed right after.
    std::unique_ptr<TlsDirectory> tls_directory;
    if (options_.tls.configured()) {
        const auto tls_url = tls_listen_url(options_.tls_listen);
        if (!tls_url)
            return calls::make_error(calls::ErrorCode::invalid_argument,
                                     "SIP_TLS_LISTEN is not host:port: " + options_.tls_listen);
        if (auto bindable = check_listen_address(options_.tls_listen, ListenProtocols::tcp); !bindable) {
            return calls::make_error(
                calls::ErrorCode::unavailable,
                "cannot listen for SIP on " + *tls_url + " (SIP_TLS_LISTEN): " + bindable.error().message);
        }
        auto prepared = prepare_tls_directory(options_.tls);
        if (!prepared) return prepared.error();
        tls_directory = std::move(prepared.value());
        stack_options.tls_url = *tls_url;
        stack_options.tls_directory = tls_directory->path();
        stack_options.tls_verify_peer = options_.tls.verify_peer();
        stack_options.line.listen = options_.listen;
        stack_options.line.tls_listen = options_.tls_listen;
    }
    stack_options.line.register_expires = options_.register_expires;
    stack_options.line.backoff = options_.backoff;
    stack_options.line.unregister_timeout = options_.unregister_timeout;
    stack_options.line.pbx_probe_interval = options_.pbx_probe_interval;
    stack_options.registrar = options_.registrar;
    stack_options.bridge = options_.bridge;
    stack_options.media.anchor = telephony_.media;
    stack_options.media.music_on_hold = telephony_.music_on_hold;
    stack_options.media.failed = telephony_.media_failed;
    stack_options.media.record_all = telephony_.config.recording == config::RecordingMode::all;
    stack_options.media.recorded = telephony_.recorded;
    stack_options.flood = options_.flood;
    stack_options.delay_observed = telephony_.sip_delay;
    stack_options.browser_phones.options.own_host = own_host_port(options_.listen).value_or("127.0.0.1:5060");
    stack_options.browser_phones.signal = telephony_.phone_signal;
    SofiaStack::Hooks hooks;
    hooks.report = [this](const calls::TelephonyStatus& status,
                          const std::vector<calls::TelephonyEvent>& events) { report(status, events); };
    hooks.find_user = [&settings =
                           telephony_.settings](std::string_view login) -> std::optional<config::SipUser> {
        for (auto& user : settings.users()) {
            if (user.username == login || user.extension == login) return user;
        }
        return std::nullopt;
    };
    hooks.calls = call_hooks();
    hooks.wanted_lines = [&settings = telephony_.settings] {
        return lines_from(settings.pbx(), settings.users());
    };

    std::promise<calls::Status> opened;
    auto result = opened.get_future();
    thread_ = std::thread([this, stack_options, hooks, opened = std::move(opened)]() mutable {
        pthread_setname_np(pthread_self(), "ff-sip");  // as top -H, perf and gdb show it
        SofiaStack stack(*queue_, stack_options, hooks);
        auto status = stack.open();
        if (!status) {
            opened.set_value(std::move(status));
            return;
        }
        stack_ = &stack;
        opened.set_value(calls::Done{});
        stack.run();
        stack_ = nullptr;
    });
    auto status = result.get();
    tls_directory.reset();
    if (!status) {
        thread_.join();
        return status;
    }
    if (telephony_.media != nullptr && telephony_.config.media_public_address.empty() && telephony_.public_address_learned) {
        PublicAddressWatchOptions watch;
        watch.server = [&settings = telephony_.settings] { return settings.pbx().stun_server; };
        public_address_ = std::make_unique<PublicAddressWatch>(
            std::move(watch), [learned = telephony_.public_address_learned](const PublicAddressWatch::Outcome& outcome) {
                learned(outcome.server, outcome.address, outcome.error);
            });
    }
    settings_subscription_ = telephony_.settings.on_change([this] {
        queue_->post([this] {
            if (stack_) stack_->reconcile();
        });
    });
    follow_queues();
    return status;
}

SipEngine::~SipEngine() {
    public_address_.reset();
    if (settings_subscription_ != 0) telephony_.settings.unsubscribe(settings_subscription_);
    queue_->post([this] {
        checks_.clear();  // their handles go before the stack shuts down
        if (stack_) stack_->shutdown();
    });
    queue_->close();
    if (thread_.joinable()) thread_.join();
    // Commands that arrived after the loop ended still get their answer.
    for (auto& job : queue_->take()) job();
}

// The queues as configured, now and after each change, and the operators' states that free their members,
// each handed to the SIP thread.
void SipEngine::follow_queues() {
    if (telephony_.queues == nullptr) return;
    // The command queue, not the engine, is what these callbacks hold: after the engine is gone they find it
    // closed; what they post before that runs while the engine is still there.
    auto configure = [this, queue = queue_](std::vector<calls::QueueConfig> queues) {
        queue->post([this, queues = std::move(queues)]() mutable {
            if (CallBook* book = stack_ ? stack_->calls() : nullptr) book->configure_queues(std::move(queues));
        });
    };
    configure(telephony_.queues->all());
    telephony_.queues->on_change(configure);
    telephony_.bus.subscribe([this, queue = queue_](const calls::Event& event) {
        const auto* changed = std::get_if<calls::OperatorEvent>(&event);
        if (changed == nullptr) return;
        queue->post([this, status = changed->status] {
            if (CallBook* book = stack_ ? stack_->calls() : nullptr) book->operator_changed(status);
        });
    });
}

void SipEngine::report(const calls::TelephonyStatus& status,
                       const std::vector<calls::TelephonyEvent>& events) {
    {
        std::lock_guard lock(status_mutex_);
        status_ = status;
    }
    // Once the io_context has stopped (shutdown), these are dropped with it, never run half-destroyed.
    boost::asio::post(events_, [&bus = telephony_.bus, events] {
        for (const auto& event : events) bus.publish(event);
    });
}

calls::TelephonyStatus SipEngine::status() const {
    std::lock_guard lock(status_mutex_);
    return status_;
}

CallHooks SipEngine::call_hooks() {
    CallHooks hooks;
    hooks.leave_inbound_to_others = telephony_.leave_inbound_to_others;
    hooks.line_busy = telephony_.line_busy;
    hooks.member_available = telephony_.member_available;
    hooks.queue_changed = [this](const std::string& queue, std::vector<calls::QueueCaller> callers) {
        if (telephony_.queues != nullptr) telephony_.queues->set_waiting(queue, callers);
        bool publication_pending = false;
        {
            std::lock_guard lock(pending_queue_states_->mutex);
            publication_pending = !pending_queue_states_->latest.insert_or_assign(queue, std::move(callers)).second;
        }
        if (publication_pending) return;  // the one already on its way takes this list
        boost::asio::post(events_, [&bus = telephony_.bus, pending = pending_queue_states_, queue] {
            std::vector<calls::QueueCaller> newest;
            {
                std::lock_guard lock(pending->mutex);
                auto node = pending->latest.extract(queue);
                if (node.empty()) return;
                newest = std::move(node.mapped());
            }
            bus.publish(calls::QueueEvent{queue, std::move(newest)});
        });
    };
    hooks.admit = [this](calls::Call call, CallHooks::Created created) {
        // Numbers as the call log keeps them (E.164); extensions stay as they are.
        call.from = phones_.normalize(call.from);
        call.to = phones_.normalize(call.to);
        if (!call.dialled_number.empty()) {
            call.dialled_number = phones_.normalize(call.dialled_number);
            // DIALLED_NAMES in any written form names the same number.
            for (const auto& [number, name] : options_.dialled_names) {
                if (phones_.normalize(number) == call.dialled_number) call.dialled_name = name;
            }
        }
        boost::asio::post(events_, [this, call = std::move(call), created = std::move(created)]() mutable {
            directory::admit_inbound_call(
                telephony_.registry, telephony_.customers, std::move(call), options_.customer_wait,
                telephony_.io, [queue = queue_, created = std::move(created)](calls::Result<calls::Call> result) {
                    // Dropped at shutdown: the bridge is gone by then.
                    queue->post([created, result = std::move(result)] { created(result); });
                });
        });
    };
    hooks.apply = [this](const std::string& call_id, calls::Transition change, Completion done) {
        auto apply = [&registry = telephony_.registry, call_id, change = std::move(change),
                      done = std::move(done)] {
            auto result = registry.apply(call_id, change);
            if (!result) spdlog::debug("call {}: {}", call_id, result.error().message);
            if (done) done(std::move(result));
        };
        // Once the service's loop has stopped (shutdown), nothing runs what is posted to it: the calls ended
        // by the shutdown reach the call model, and the call log, from here (the registry is thread-safe).
        if (telephony_.io.stopped()) {
            apply();
        } else {
            boost::asio::post(events_, std::move(apply));
        }
    };
    return hooks;
}

void SipEngine::on_call(std::string call_id, Completion done,
                        std::function<void(Bridge&, Completion)> command) {
    auto job = [this, call_id = std::move(call_id), done, command = std::move(command)] {
        CallBook* book = stack_ ? stack_->calls() : nullptr;
        if (book == nullptr)
            return done(calls::make_error(calls::ErrorCode::unavailable, "the SIP engine is shutting down"));
        book->with_call(call_id, done, [&](Bridge& bridge) { command(bridge, done); });
    };
    if (!queue_->post(job))
        done(calls::make_error(calls::ErrorCode::unavailable, "the SIP engine is shutting down"));
}

std::string SipEngine::dial_number(const calls::DialRequest& request) const {
    if (directory::PhoneNormalizer::is_extension(request.destination)) return request.destination;
    switch (options_.dial_format) {
        case config::DialFormat::national:
            return phones_.national_digits(request.destination);
        case config::DialFormat::as_typed:
            if (auto typed = directory::PhoneNormalizer::typed_digits(request.typed); !typed.empty())
                return typed;
            break;
        case config::DialFormat::e164:
            break;
    }
    return request.destination;
}

void SipEngine::dial(calls::DialRequest request, Completion done) {
    std::string number = dial_number(request);
    auto job = [this, request = std::move(request), number = std::move(number), done]() mutable {
        CallBook* book = stack_ ? stack_->calls() : nullptr;
        if (book == nullptr)
            return done(calls::make_error(calls::ErrorCode::unavailable, "the SIP engine is shutting down"));
        std::string ring_only;
        if (!request.browser_phone.empty()) {
            ring_only = stack_->browser_phones()->contact_of(request.browser_phone);
            if (ring_only.empty())
                return done(calls::make_error(calls::ErrorCode::not_found,
                                              "browserPhone: no browser phone " + request.browser_phone +
                                                  " is on (turn the phone on in the console first)"));
            request.auto_answer = true;  // the operator clicked in that very page
        }
        book->dial(std::move(request), number, ring_only, done);
    };
    if (!queue_->post(job))
        done(calls::make_error(calls::ErrorCode::unavailable, "the SIP engine is shutting down"));
}

// ---- browser phones ---------------------------------------------------------------------------------------

void SipEngine::attach(std::string extension, std::string rejoin, Attached done) {
    auto job = [this, extension = std::move(extension), rejoin = std::move(rejoin), done] {
        BrowserPhoneSet* pages = stack_ ? stack_->browser_phones() : nullptr;
        if (pages == nullptr)
            return done(calls::make_error(calls::ErrorCode::unavailable, "the SIP engine is shutting down"));
        auto device = pages->attach(extension, rejoin);
        if (device) {
            // STUN_SERVER as it is now: the page finds its own public address the way rtpengine does.
            const std::string stun = telephony_.settings.pbx().stun_server;
            if (!stun.empty()) device.value().ice_servers.push_back("stun:" + stun);
        }
        done(std::move(device));
    };
    if (!queue_->post(job))
        done(calls::make_error(calls::ErrorCode::unavailable, "the SIP engine is shutting down"));
}

void SipEngine::detach(std::string device, bool keep_calls) {
    queue_->post([this, device = std::move(device), keep_calls] {
        if (auto* pages = stack_ ? stack_->browser_phones() : nullptr) pages->detach(device, keep_calls);
    });
}

void SipEngine::send_sdp(std::string device, std::string leg, std::string sdp) {
    queue_->post([this, device = std::move(device), leg = std::move(leg), sdp = std::move(sdp)] {
        if (auto* pages = stack_ ? stack_->browser_phones() : nullptr) pages->page_sdp(device, leg, sdp);
    });
}

void SipEngine::hang_up(std::string device, std::string leg) {
    queue_->post([this, device = std::move(device), leg = std::move(leg)] {
        if (auto* pages = stack_ ? stack_->browser_phones() : nullptr) pages->page_hang_up(device, leg);
    });
}

void SipEngine::check_connection(calls::ConnectionCheckRequest request, CheckCompletion done) {
    const auto transport = config::parse_sip_transport(request.transport);
    if (!transport)
        return done(calls::make_error(calls::ErrorCode::invalid_argument, "transport must be UDP, TCP or TLS"));
    LineConfig pbx;
    pbx.server = request.server;
    pbx.port = static_cast<std::uint16_t>(request.port);
    pbx.transport = *transport;
    std::vector<config::SipUser> accounts;
    for (auto& account : request.accounts)
        accounts.push_back({account.username, account.password, account.extension, {}});
    constexpr std::chrono::milliseconds name_timeout{3000};
    const auto asked = std::chrono::steady_clock::now();
    look_up_server(telephony_.io, pbx.server, name_timeout,
                   [this, queue = queue_, pbx, accounts = std::move(accounts), done, asked](const ServerLookup& lookup) {
        const auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - asked);
        auto name = check_text::name_step(pbx.server, lookup, waited);
        if (name.status != calls::StepStatus::ok) return done(report_without_server(std::move(name), accounts));
        // Posted while the queue is open, the job runs before the engine is gone (its loop or its destructor
        // takes every job queued before the close).
        auto job = [this, pbx, accounts, name, done] {
            if (stack_ == nullptr)
                return done(calls::make_error(calls::ErrorCode::unavailable, "the SIP engine is shutting down"));
            const auto id = ++next_check_;
            auto check = std::make_unique<ConnectionCheck>(
                stack_->nua(), stack_->root(), pbx, accounts, name, ConnectionCheckOptions{},
                [this, id, done](calls::ConnectionReport report) {
                    done(std::move(report));
                    // Not from inside its own stack callback: the check goes on the next turn of the loop.
                    queue_->post([this, id] { checks_.erase(id); });
                });
            auto* started = check.get();
            checks_.emplace(id, std::move(check));
            started->start();
        };
        if (!queue->post(job))
            done(calls::make_error(calls::ErrorCode::unavailable, "the SIP engine is shutting down"));
    });
}

void SipEngine::answer(std::string call_id, Completion done) {
    on_call(std::move(call_id), std::move(done),
            [](Bridge& bridge, Completion reply) { bridge.answer(reply); });
}

void SipEngine::hangup(std::string call_id, Completion done) {
    on_call(std::move(call_id), std::move(done),
            [](Bridge& bridge, Completion reply) { bridge.hangup(reply); });
}

void SipEngine::hold(std::string call_id, Completion done) {
    on_call(std::move(call_id), std::move(done),
            [](Bridge& bridge, Completion reply) { bridge.hold(reply); });
}

void SipEngine::media(std::string call_id, Completion done) {
    on_call(call_id, done, [this, call_id](Bridge& bridge, Completion reply) {
        if (!bridge.media().anchored()) {
            const std::string& failure = bridge.media().failure();
            return reply(calls::make_error(
                calls::ErrorCode::unavailable,
                "call " + call_id + ": no media counters, its audio does not go through rtpengine (" +
                    (failure.empty() ? std::string("MEDIA=passthrough") : "rtpengine failed the call: " + failure) + ")"));
        }
        bridge.media().read_report([this, call_id, reply](std::optional<calls::MediaReport> report) {
            auto call = telephony_.registry.find(call_id);
            if (!call) return reply(calls::make_error(calls::ErrorCode::not_found, "call " + call_id + " has ended"));
            if (!report)
                return reply(calls::make_error(calls::ErrorCode::unavailable,
                                               "call " + call_id + ": rtpengine did not give its counters"));
            call->media = std::move(report);
            call->media->assess(call->answer_time.has_value());
            reply(std::move(*call));
        });
    });
}

void SipEngine::record(std::string call_id, bool on, Completion done) {
    on_call(call_id, done, [this, call_id, on](Bridge& bridge, Completion reply) {
        bridge.media().record(on, [this, call_id, on, reply](const std::string& failure) {
            if (!failure.empty())
                return reply(calls::make_error(calls::ErrorCode::unavailable, "call " + call_id + ": " + failure));
            boost::asio::post(events_, [this, call_id, on, reply] {
                reply(telephony_.registry.apply(call_id, calls::transition::RecordingSwitched{on}));
            });
        });
    });
}

void SipEngine::unhold(std::string call_id, Completion done) {
    on_call(std::move(call_id), std::move(done),
            [](Bridge& bridge, Completion reply) { bridge.unhold(reply); });
}

void SipEngine::transfer(std::string call_id, std::string target, Completion done) {
    on_call(
        std::move(call_id), std::move(done),
        [target = std::move(target)](Bridge& bridge, Completion reply) { bridge.transfer(target, reply); });
}

void SipEngine::consult(std::string call_id, std::string target, Completion done) {
    on_call(
        std::move(call_id), std::move(done),
        [target = std::move(target)](Bridge& bridge, Completion reply) { bridge.consult(target, reply); });
}

void SipEngine::settle_transfer(std::string call_id, bool complete, Completion done) {
    on_call(std::move(call_id), std::move(done),
            [complete](Bridge& bridge, Completion reply) { bridge.settle_transfer(complete, reply); });
}

}  // namespace ff::sip
