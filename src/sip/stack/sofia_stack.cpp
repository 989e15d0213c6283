// Start-up and orderly shutdown of Sofia-SIP, and the dispatch of its events to the handles' owners.
#include "sip/stack/sofia_stack.hpp"

#include <sofia-sip/sip_header.h>
#include <sofia-sip/nua_tag.h>
#include <sofia-sip/sip_status.h>
#include <sofia-sip/sip_tag.h>
#include <sofia-sip/su.h>
#include <sofia-sip/tport_tag.h>
#include <spdlog/spdlog.h>

#include "sip/stack/sofia_log.hpp"

namespace ff::sip {

SofiaStack::SofiaStack(CommandQueue& queue, StackOptions options, Hooks hooks)
    : queue_(queue), options_(std::move(options)), hooks_(std::move(hooks)) {
    su_wait_init(wait_);
}

SofiaStack::~SofiaStack() {
    {
        std::lock_guard lock(media_return_->mutex);
        media_return_->queue = nullptr;
    }
    if (nua_ != nullptr && !shutdown_complete_) {
        // run() was never reached or left early: finish the shutdown here, NUA refuses to be destroyed
        // before.
        shutdown();
        while (!shutdown_complete_) su_root_step(root_, 100);
    }
    browsers_.reset();
    calls_.reset();
    registrar_.reset();
    lines_.reset();
    gate_.reset();
    if (nua_ != nullptr) {
        // An event the stack queued for us after its shutdown (a request that arrived meanwhile) holds its
        // message and its handle until delivered: deliver what is queued, to nobody, so that nua_destroy()
        // frees everything.
        draining_ = true;
        // Delivering one event can queue another (a handle's last reference let go of): a few more turns
        // than the usual one or two, which cost nothing when the queue is empty. A process stopped for a
        // while (SIGSTOP, an overloaded machine) comes back with many at once.
        for (int turn = 0; turn < 20; ++turn) su_root_step(root_, 0);
        nua_destroy(nua_);
    }
    if (shutdown_timer_ != nullptr) su_timer_destroy(shutdown_timer_);
    if (wait_index_ >= 0) su_root_deregister(root_, wait_index_);
    if (root_ != nullptr) su_root_destroy(root_);
    if (initialized_) su_deinit();
}

namespace {
constexpr unsigned udp_receive_buffer_bytes = 8U * 1024 * 1024;
}  // namespace

calls::Status SofiaStack::open() {
    route_sofia_log_to_service_log();
    if (su_init() != 0)
        return calls::make_error(calls::ErrorCode::internal, "cannot initialise the SIP stack (su_init)");
    initialized_ = true;
    root_ = su_root_create(this);
    if (root_ == nullptr)
        return calls::make_error(calls::ErrorCode::internal, "cannot create the SIP event loop");

    if (!queue_.valid() || su_wait_create(wait_, queue_.fd(), SU_WAIT_IN) != 0)
        return calls::make_error(calls::ErrorCode::internal, "cannot create the SIP command queue");
    wait_index_ = su_root_register(root_, wait_, &SofiaStack::queue_ready, this, 0);
    if (wait_index_ < 0)
        return calls::make_error(calls::ErrorCode::internal, "cannot watch the SIP command queue");

    // The stack runs in this thread too: by default nua_create() starts a thread of its own for it, and every
    // request we make and every event it reports crosses between the two threads as a message that wakes the
    // other one (at 400 calls/s, a third of the SIP CPU went to those wake-ups and the context switches).
    su_root_threading(root_, 0);

    // P-Asserted-Identity and Remote-Party-ID are Sofia's extra headers: parsed once the default message class
    // knows them (before the first stack parses anything).
    static const bool extended = sip_update_default_mclass(sip_extend_mclass(nullptr)) == 0;
    if (!extended) spdlog::warn("SIP stack: P-Asserted-Identity and Remote-Party-ID are not parsed");
    const bool tls = !options_.tls_url.empty();
    const unsigned tls_policy = options_.tls_verify_peer ? TPTLS_VERIFY_OUT : TPTLS_VERIFY_NONE;
    // UDP and TCP first: a request to a URI without a transport parameter goes out on the first listener.
    nua_ =
        nua_create(root_, &SofiaStack::nua_callback, this, NUTAG_URL(options_.listen_url.c_str()),
                   // TLS listener and client: the material is read from the directory right here. Version 0
                   // lets OpenSSL negotiate TLS 1.2 or 1.3 (Sofia's default 1 means TLS 1.0 only, which
                   // OpenSSL 3 refuses). Phones are not asked for certificates: they log in with digest.
                   TAG_IF(tls, NUTAG_SIPS_URL(options_.tls_url.c_str())),
                   TAG_IF(tls, NUTAG_CERTIFICATE_DIR(options_.tls_directory.c_str())),
                   TAG_IF(tls, TPTAG_TLS_VERSION(0)), TAG_IF(tls, TPTAG_TLS_VERIFY_POLICY(tls_policy)),
                   TAG_IF(tls, TPTAG_TLS_VERIFY_DATE(options_.tls_verify_peer ? 1 : 0)),
                   // A UDP receive buffer for a burst: the kernel's default (208 KiB, about 90 datagrams, 10 ms
                   // of a 2000 calls/s flood) overflows before the SIP thread can notice it is late and shed
                   // new calls; the kernel caps it at net.core.rmem_max.
                   TPTAG_UDP_RMEM(udp_receive_buffer_bytes),
                   // SDP passes between the PBX and the phones untouched: no offer/answer engine here.
                   NUTAG_MEDIA_ENABLE(0),
                   // REGISTER from the operators' phones comes to us (the registrar), not to NUA; so does
                   // OPTIONS, which NUA would answer before we could limit a source that floods us with it.
                   NUTAG_APPL_METHOD("REGISTER"), NUTAG_APPL_METHOD("OPTIONS"), NUTAG_ALLOW("REGISTER"),
                   // UPDATE too: without media NUA would answer an UPDATE's offer with a 200 that has no SDP,
                   // so the bridge answers it (with the other leg's answer, or at once to a refresh).
                   NUTAG_APPL_METHOD("UPDATE"),
                   // Session timers (RFC 4028): the far end refreshes; a dialog nobody refreshes ends.
                   NUTAG_SESSION_TIMER(1800), NUTAG_MIN_SE(90), NUTAG_SESSION_REFRESHER(nua_remote_refresher),
                   NUTAG_UPDATE_REFRESH(1),
                   // NUA puts one product token in the User-Agent of its requests and its responses alike (it
                   // sends no Server header). Without one set, none at all rather than the stack's own name
                   // and version: a scanner learns nothing about what answers.
                   TAG_IF(!options_.user_agent.empty(), SIPTAG_USER_AGENT_STR(options_.user_agent.c_str())),
                   TAG_IF(options_.user_agent.empty(),
                          SIPTAG_USER_AGENT(static_cast<const sip_user_agent_t*>(SIP_NONE))),
                   TAG_END());
    if (nua_ == nullptr) {
        return calls::make_error(calls::ErrorCode::unavailable,
                                 "cannot listen for SIP on " + options_.listen_url + " (SIP_LISTEN)" +
                                     (tls ? " or " + options_.tls_url + " (SIP_TLS_LISTEN)" : "") +
                                     ": address in use or not on this host?");
    }
    gate_ = std::make_unique<FloodGate>(nua_, options_.flood, [this] {
        std::vector<std::string> hosts;
        for (const auto& line : hooks_.wanted_lines()) hosts.push_back(line.server);
        // The INVITEs that ring browser phones come from our own address: never limited as a flood.
        const std::string& own = options_.browser_phones.options.own_host;
        std::string host = own.substr(0, own.rfind(':'));
        if (host.size() > 2 && host.front() == '[') host = host.substr(1, host.size() - 2);
        if (!host.empty()) hosts.push_back(host);
        return hosts;
    });
    lines_ = std::make_unique<LineSet>(nua_, root_, options_.line, hooks_.report);
    registrar_ = std::make_unique<DeviceRegistrar>(
        nua_, root_, options_.registrar, hooks_.find_user,
        [this](const std::string& extension, int phones) { lines_->set_device_phones(extension, phones); });
    media_return_->queue = &queue_;
    options_.media.post = [back = media_return_](std::function<void()> job) {
        std::lock_guard lock(back->mutex);
        if (back->queue != nullptr) back->queue->post(std::move(job));
    };
    PageLegContext pages{nua_, options_.media.anchor, options_.media.post, options_.browser_phones.signal};
    browsers_ = std::make_unique<BrowserPhoneSet>(nua_, root_, *registrar_, std::move(pages),
                                                  options_.browser_phones.options);
    calls_ = std::make_unique<CallBook>(
        BridgeContext{nua_, root_, *registrar_, [this](const std::string& user) { return line_for(user); },
                      hooks_.calls, options_.bridge, options_.media});
    if (options_.bridge.admission.max_delay.count() > 0) {
        const std::string own_uri = "sip:" + options_.browser_phones.options.own_host;
        delay_probe_ = std::make_unique<DelayProbe>(
            nua_, root_, own_uri, options_.delay_probe_interval, [this](std::chrono::milliseconds delay) {
                const bool shedding = calls_->observe_delay(delay);
                if (options_.delay_observed) options_.delay_observed(delay, shedding);
            });
    }
    spdlog::info("SIP stack listening on {} (UDP and TCP){}", options_.listen_url,
                 tls ? " and " + options_.tls_url + " (TLS" +
                           (options_.tls_verify_peer ? ", PBX certificate verified)" : ")")
                     : std::string());
    reconcile();
    return calls::Done{};
}

std::optional<LineConfig> SofiaStack::line_for(const std::string& login_or_extension) const {
    for (auto& line : hooks_.wanted_lines()) {
        if (line.user.username == login_or_extension || line.user.extension == login_or_extension)
            return line;
    }
    return std::nullopt;
}

void SofiaStack::run() {
    su_root_run(root_);
}

void SofiaStack::reconcile() {
    if (shutting_down_ || !lines_) return;
    lines_->apply(hooks_.wanted_lines());
    registrar_->reconcile();
    gate_->refresh();
}

void SofiaStack::shutdown() {
    if (shutting_down_) return;
    shutting_down_ = true;
    delay_probe_.reset();  // its OPTIONS would only wait behind the goodbyes
    if (browsers_) browsers_->close();
    if (calls_) calls_->hang_up_all();
    shutdown_timer_ = su_timer_create(su_root_task(root_), static_cast<su_duration_t>(options_.shutdown_grace.count()));
    if (shutdown_timer_ != nullptr) su_timer_set(shutdown_timer_, &SofiaStack::shutdown_overdue, this);
    if (lines_) {
        lines_->stop_all([this] {
            spdlog::debug("SIP lines stopped; shutting the SIP stack down");
            shut_nua();
        });
    } else {
        shut_nua();
    }
}

void SofiaStack::shut_nua() {
    if (nua_shutdown_sent_) return;
    nua_shutdown_sent_ = true;
    nua_shutdown(nua_);
}

void SofiaStack::shutdown_overdue(su_root_magic_t*, su_timer_t*, su_timer_arg_t* arg) {
    static_cast<SofiaStack*>(arg)->on_shutdown_overdue();
}

// A far end that is gone or drowning answers nothing: its transactions would hold the exit for Timer B/F's
// 32 s. The calls were ended and logged already; what is left is only the goodbyes' answers.
void SofiaStack::on_shutdown_overdue() {
    if (shutdown_complete_) return;
    spdlog::warn("SIP shutdown: no answer to the last BYEs, CANCELs or un-REGISTERs within {} ms; letting them go",
                 options_.shutdown_grace.count());
    abandoned_ = true;
    browsers_.reset();  // each owner lets go of its handles: NUA then has nothing left to wait for
    calls_.reset();
    registrar_.reset();
    lines_.reset();
    shut_nua();
}

int SofiaStack::queue_ready(su_root_magic_t*, su_wait_t*, su_wakeup_arg_t* arg) {
    static_cast<SofiaStack*>(arg)->on_queue_ready();
    return 0;
}

void SofiaStack::on_queue_ready() {
    for (auto& job : queue_.take()) job();
}

void SofiaStack::nua_callback(nua_event_t event, int status, char const* phrase, nua_t*, nua_magic_t* magic,
                              nua_handle_t* nh, nua_hmagic_t* hmagic, sip_t const* sip, tagi_t tags[]) {
    static_cast<SofiaStack*>(magic)->on_event(NuaEvent{event, status, phrase, nh, sip, tags}, hmagic);
}

void SofiaStack::on_event(const NuaEvent& event, void* handle_magic) {
    if (draining_) return;  // the stack frees the event and its reference to the handle once we return
    if (event.event == nua_r_shutdown) {
        if (event.status >= 200) {
            if (shutdown_timer_ != nullptr) su_timer_destroy(shutdown_timer_), shutdown_timer_ = nullptr;
            if (event.status >= 300) spdlog::warn("SIP stack shutdown: {} {}", event.status, event.phrase);
            shutdown_complete_ = true;
            su_root_break(root_);
        }
        return;
    }
    if (abandoned_) {
        // A handle the stack made for a request (no owner) is let go of; an owned one is already destroyed.
        if (event.handle != nullptr && handle_magic == nullptr) nua_handle_destroy(event.handle);
        return;
    }
    if (handle_magic != nullptr) {
        // OPTIONS within a call (a far end's probe) is answered as NUA would, then its owner hears of it.
        if (event.event == nua_i_options && event.status < 200)
            nua_respond(event.handle, SIP_200_OK, NUTAG_WITH_THIS(nua_), TAG_END());
        static_cast<NuaEventSink*>(handle_magic)->on_nua_event(event);
        return;
    }
    if (event.handle != nullptr) on_unowned(event);
}

void SofiaStack::on_unowned(const NuaEvent& event) {
    // Handles the stack made for requests that reached us (phones, the PBX, scanners). A new request from a
    // source that floods us gets 503 before anything else; the rest is served or refused politely, and the
    // handle let go of once its transaction is over.
    const bool new_request =
        nua_event_is_incoming_request(event.event) && event.status < 200 && event.event != nua_i_cancel;
    if (new_request && !gate_->admit(event)) {
        // A refused INVITE's handle goes when the stack reports it terminated.
        if (event.event != nua_i_invite) nua_handle_destroy(event.handle);
        return;
    }
    switch (event.event) {
        case nua_i_invite:
            if (shutting_down_ || !calls_) {
                nua_respond(event.handle, SIP_503_SERVICE_UNAVAILABLE, TAG_END());
            } else if (browsers_->claims(event.sip)) {
                browsers_->on_invite(event);  // the bridge ringing one of our pages
            } else {
                calls_->on_invite(event);
            }
            return;  // a refused INVITE's handle is destroyed when the stack reports it terminated
        case nua_i_state: {
            int state = nua_callstate_init;
            tl_gets(event.tags, NUTAG_CALLSTATE_REF(state), TAG_END());
            if (state == nua_callstate_terminated) nua_handle_destroy(event.handle);
            return;
        }
        case nua_i_terminated:
            nua_handle_destroy(event.handle);
            return;
        case nua_i_register:
            registrar_->on_register(event);
            return;
        case nua_i_options:  // out of any call: what NUA itself would answer (Allow, Accept ...)
            if (event.status < 200) nua_respond(event.handle, SIP_200_OK, NUTAG_WITH_THIS(nua_), TAG_END());
            nua_handle_destroy(event.handle);
            return;
        default:
            break;
    }
    if (nua_event_is_incoming_request(event.event)) {
        if (event.status < 200)
            nua_respond(event.handle, SIP_501_NOT_IMPLEMENTED, NUTAG_WITH_THIS(nua_), TAG_END());
        nua_handle_destroy(event.handle);
    }
}

}  // namespace ff::sip
