// Threads: the API calls in from the io_context, settings changes from whoever saved them; all of it
// becomes jobs on the SIP thread. Back out: a status snapshot under a mutex, and events posted to the
// io_context in order, so subscribers run where the rest of the service runs them.
#include "sip/sip_engine.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>
#include <future>

#include "calls/event_bus.hpp"
#include "sip/line_plan.hpp"
#include "sip/listen_check.hpp"
#include "sip/sip_addresses.hpp"
#include "sip/sofia_stack.hpp"

namespace ff::sip {
namespace {

constexpr const char* calls_not_ready = "calls through the SIP engine are not implemented yet";

}  // namespace

SipEngineOptions SipEngineOptions::from(const config::ServiceConfig& config) {
    SipEngineOptions options;
    options.listen = config.sip_listen;
    options.register_expires = config.sip_register_expires;
    return options;
}

calls::Result<std::unique_ptr<SipEngine>> SipEngine::start(app::TelephonyContext& telephony,
                                                           SipEngineOptions options) {
    std::unique_ptr<SipEngine> engine(new SipEngine(telephony, std::move(options)));
    if (auto started = engine->run_thread(); !started) return started.error();
    return engine;
}

SipEngine::SipEngine(app::TelephonyContext& telephony, SipEngineOptions options)
    : telephony_(telephony), options_(std::move(options)), events_(boost::asio::make_strand(telephony.io)) {
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
    if (!queue_.valid())
        return calls::make_error(calls::ErrorCode::internal, "cannot create the SIP command queue");
    if (auto bindable = check_listen_address(options_.listen); !bindable) {
        return calls::make_error(
            calls::ErrorCode::unavailable,
            "cannot listen for SIP on " + *url + " (SIP_LISTEN): " + bindable.error().message);
    }

    StackOptions stack_options;
    stack_options.listen_url = *url;
    stack_options.line.register_expires = options_.register_expires;
    stack_options.line.backoff = options_.backoff;
    stack_options.line.unregister_timeout = options_.unregister_timeout;
    SofiaStack::Hooks hooks;
    hooks.report = [this](const calls::TelephonyStatus& status,
                          const std::vector<calls::TelephonyEvent>& events) { report(status, events); };
    hooks.find_user = [&settings = telephony_.settings](std::string_view login) -> std::optional<config::SipUser> {
        for (auto& user : settings.users()) {
            if (user.username == login || user.extension == login) return user;
        }
        return std::nullopt;
    };
    hooks.wanted_lines = [&settings = telephony_.settings] {
        return lines_from(settings.pbx(), settings.users());
    };

    std::promise<calls::Status> opened;
    auto result = opened.get_future();
    thread_ = std::thread([this, stack_options, hooks, opened = std::move(opened)]() mutable {
        SofiaStack stack(queue_, stack_options, hooks);
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
    if (!status) {
        thread_.join();
        return status;
    }
    settings_subscription_ = telephony_.settings.on_change([this] {
        queue_.post([this] {
            if (stack_) stack_->reconcile();
        });
    });
    return status;
}

SipEngine::~SipEngine() {
    if (settings_subscription_ != 0) telephony_.settings.unsubscribe(settings_subscription_);
    queue_.post([this] {
        if (stack_) stack_->shutdown();
    });
    queue_.close();
    if (thread_.joinable()) thread_.join();
    // Commands that arrived after the loop ended still get their answer.
    for (auto& job : queue_.take()) job();
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

void SipEngine::refuse_call_command(const Completion& done) {
    const auto refuse = [done] { done(calls::make_error(calls::ErrorCode::unavailable, calls_not_ready)); };
    if (!queue_.post(refuse)) refuse();
}

void SipEngine::dial(calls::DialRequest, Completion done) {
    refuse_call_command(done);
}
void SipEngine::answer(std::string, Completion done) {
    refuse_call_command(done);
}
void SipEngine::hangup(std::string, Completion done) {
    refuse_call_command(done);
}
void SipEngine::hold(std::string, Completion done) {
    refuse_call_command(done);
}
void SipEngine::unhold(std::string, Completion done) {
    refuse_call_command(done);
}
void SipEngine::transfer(std::string, std::string, Completion done) {
    refuse_call_command(done);
}

}  // namespace ff::sip
