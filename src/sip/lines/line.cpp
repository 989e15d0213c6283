// A line's SIP side: REGISTER through NUA (which refreshes it), one answer per challenge, retries on a timer.
#include "sip/lines/line.hpp"

#include <sofia-sip/msg_header.h>
#include <sofia-sip/nua_tag.h>
#include <sofia-sip/sip_header.h>
#include <sofia-sip/sip_tag.h>
#include <spdlog/spdlog.h>

#include "sip/stack/sip_addresses.hpp"
#include "sip/stack/tls_contact.hpp"

namespace ff::sip {
Line::Line(nua_t* nua, su_root_t* root, LineConfig config, const LineOptions& options, OnChange on_change)
    : nua_(nua),
      config_(std::move(config)),
      options_(options),
      on_change_(std::move(on_change)),
      machine_(describe_registrar(config_), options.backoff, credentials_problem(config_.user)),
      timer_(su_timer_create(su_root_task(root), 0)),
      idle_detail_("waiting to register") {}

Line::~Line() {
    drop_handle();
    if (timer_) su_timer_destroy(timer_);
}

void Line::start() {
    started_ = true;
    if (config_.server.empty()) {
        idle_detail_ = "no PBX configured (SIP_SERVER is empty)";
        report();
        return;
    }
    apply(machine_.start(), nullptr);
}

void Line::stop(std::function<void()> on_finished) {
    stopping_ = true;
    on_finished_ = std::move(on_finished);
    on_change_ = nullptr;  // the line's successor, or its removal, is reported by the engine
    if (timer_) su_timer_reset(timer_);
    // Only a confirmed registration is removed: a REGISTER still in flight is dropped with its handle, and
    // whatever it may have left at the PBX expires by itself (or is replaced by the successor's REGISTER).
    if (handle_ && machine_.registered()) {
        nua_unregister(handle_, TAG_END());
        arm_timer(options_.unregister_timeout);
        return;
    }
    drop_handle();
    finish();
}

void Line::retry_now() {
    if (stopping_ || !waiting_to_retry()) return;
    if (timer_) su_timer_reset(timer_);
    apply(machine_.on_retry_due(), nullptr);
}

void Line::pbx_lost(const std::string& detail) {
    if (stopping_ || !started_ || machine_.phase() == RegistrationMachine::Phase::retry_wait) return;
    spdlog::debug("line {}: {}", config_.user.extension, detail);  // the probe has warned once for all lines
    apply(machine_.on_pbx_lost(detail), nullptr);
}

void Line::pbx_back() {
    if (stopping_ || !started_) return;
    if (timer_) su_timer_reset(timer_);
    apply(machine_.on_pbx_back(), nullptr);
}

void Line::relabel(const std::string& display_name) {
    config_.user.display_name = display_name;
    report();
}

calls::LineState Line::state() const {
    calls::LineState state;
    state.extension = config_.user.extension;
    state.username = config_.user.username;
    state.display_name = config_.user.display_name;
    state.registered = machine_.registered();
    state.detail = machine_.phase() == RegistrationMachine::Phase::idle ? idle_detail_ : machine_.detail();
    return state;
}

void Line::on_nua_event(const NuaEvent& event) {
    if (event.handle != handle_) return;  // an answer for a handle this line has already given up
    switch (event.event) {
        case nua_r_register:
            if (stopping_) return;
            if (event.status >= 300) {
                spdlog::debug("line {}: REGISTER answered {} {}{}", config_.user.extension, event.status,
                              event.phrase ? event.phrase : "",
                              answered_by_peer(event) ? "" : " (by the SIP stack)");
            }
            apply(machine_.on_response({event.status, event.phrase ? event.phrase : "", answered_by_peer(event)}),
                  &event);
            break;
        case nua_r_unregister:
            on_unregister_response(event);
            break;
        default:
            break;
    }
}

void Line::apply(RegistrationStep step, const NuaEvent* challenge) {
    switch (step.action) {
        case RegistrationStep::Action::none:
            break;
        case RegistrationStep::Action::send_register:
            send_register();
            break;
        case RegistrationStep::Action::authenticate:
            if (challenge) authenticate(*challenge);
            break;
        case RegistrationStep::Action::retry_later:
            drop_handle();
            arm_timer(step.delay);
            spdlog::debug("line {}: retrying in {} ms", config_.user.extension, step.delay.count());
            break;
    }
    report();
}

void Line::send_register() {
    drop_handle();
    const std::string aor = address_of_record(config_);
    handle_ = nua_handle(nua_, static_cast<NuaEventSink*>(this), SIPTAG_TO_STR(aor.c_str()),
                         SIPTAG_FROM_STR(aor.c_str()), TAG_END());
    if (handle_ == nullptr) {
        apply(machine_.on_local_error("SIP stack error: cannot create a handle"), nullptr);
        return;
    }
    const std::string registrar = registrar_uri(config_);
    const std::string expires = std::to_string(options_.register_expires);
    const std::string parameters = contact_parameters(config_);
    // With TLS on, the line names its own listener (tls_contact.hpp); otherwise Sofia's Contact is right.
    const auto own_contact = !options_.tls_listen.empty()
                                 ? line_contact(config_, options_.listen, options_.tls_listen)
                                 : std::nullopt;
    nua_register(handle_, NUTAG_REGISTRAR(URL_STRING_MAKE(registrar.c_str())),
                 TAG_IF(own_contact.has_value(), SIPTAG_CONTACT_STR(own_contact.value_or("").c_str())),
                 TAG_IF(!own_contact, NUTAG_M_USERNAME(config_.user.username.c_str())),
                 TAG_IF(!own_contact && !parameters.empty(), NUTAG_M_PARAMS(parameters.c_str())),
                 NUTAG_OUTBOUND(outbound_options), SIPTAG_EXPIRES_STR(expires.c_str()), TAG_END());
}

void Line::authenticate(const NuaEvent& challenge) {
    const msg_auth_t* header = nullptr;
    if (challenge.sip) {
        header = challenge.status == 407 ? challenge.sip->sip_proxy_authenticate
                                         : challenge.sip->sip_www_authenticate;
    }
    const char* realm = header ? msg_params_find(header->au_params, "realm=") : nullptr;
    if (realm == nullptr) {
        apply(machine_.on_local_error(std::to_string(challenge.status) +
                                      ": the PBX's challenge names no realm"),
              nullptr);
        return;
    }
    const std::string credentials = digest_credentials(realm, config_.user);
    nua_authenticate(handle_, NUTAG_AUTH(credentials.c_str()), TAG_END());
}

void Line::on_unregister_response(const NuaEvent& event) {
    if (event.status < 200) return;
    const bool challenge = (event.status == 401 || event.status == 407) && answered_by_peer(event);
    if (challenge && !unregister_challenge_answered_ && !credentials_problem(config_.user)) {
        unregister_challenge_answered_ = true;
        authenticate(event);
        return;
    }
    if (event.status >= 300) {
        spdlog::warn("line {}: un-REGISTER answered {} {}", config_.user.extension, event.status,
                     event.phrase ? event.phrase : "");
    }
    drop_handle();
    finish();
}

void Line::arm_timer(std::chrono::milliseconds delay) {
    if (!timer_) return;
    su_timer_set_interval(timer_, &Line::timer_fired, this, static_cast<su_duration_t>(delay.count()));
}

void Line::timer_fired(su_root_magic_t*, su_timer_t*, su_timer_arg_t* arg) {
    static_cast<Line*>(arg)->on_timer();
}

void Line::on_timer() {
    if (stopping_) {
        spdlog::warn("line {}: no answer to the un-REGISTER; dropping it", config_.user.extension);
        drop_handle();
        finish();
        return;
    }
    apply(machine_.on_retry_due(), nullptr);
}

void Line::drop_handle() {
    if (handle_ == nullptr) return;
    nua_handle_bind(handle_, nullptr);
    nua_handle_destroy(handle_);
    handle_ = nullptr;
}

void Line::finish() {
    if (timer_) su_timer_reset(timer_);
    finished_ = true;
    if (on_finished_) {
        auto notify = std::move(on_finished_);
        on_finished_ = nullptr;
        notify();
    }
}

void Line::report() {
    const calls::LineState now = state();
    if (now.registered != last_reported_.registered || now.detail != last_reported_.detail) {
        // Each change once, not every retry of the same failure.
        if (now.registered) {
            spdlog::info("line {}: {}", now.extension, now.detail);
        } else if (last_reported_.registered || machine_.phase() == RegistrationMachine::Phase::retry_wait) {
            spdlog::warn("line {}: {}", now.extension, now.detail);
        }
    }
    last_reported_ = now;
    if (on_change_) on_change_(now);
}

}  // namespace ff::sip
