// The SIP engine of the service: Sofia-SIP on its own thread, driven through a command queue (CallControl).
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "calls/browser_phone.hpp"
#include "calls/call_control.hpp"
#include "config/live_settings.hpp"
#include "config/service_config.hpp"
#include "directory/phone_normalizer.hpp"
#include "sip/stack/public_address_watch.hpp"
#include "sip/lines/backoff.hpp"
#include "sip/bridge/bridge.hpp"
#include "sip/stack/command_queue.hpp"
#include "sip/phones/device_registrar.hpp"
#include "sip/stack/flood_limit.hpp"
#include "sip/telephony_context.hpp"
#include "sip/stack/tls_material.hpp"

namespace ff::sip {

class SofiaStack;
class ConnectionCheck;

struct SipEngineOptions {
    std::string listen = "0.0.0.0:5060";                 // SIP_LISTEN
    std::string tls_listen;                              // SIP_TLS_LISTEN; used when tls.configured()
    TlsFiles tls;                                        // SIP_TLS_CERT, SIP_TLS_KEY, SIP_TLS_CA
    int register_expires = 300;                          // SIP_REGISTER_EXPIRES, seconds
    std::string user_agent;                              // SIP_USER_AGENT; empty: no User-Agent header
    std::chrono::milliseconds pbx_probe_interval{2000};  // SIP_PBX_PROBE_INTERVAL; 0: the PBX is not probed
    BackoffPolicy backoff;                               // retries after a failed registration
    std::chrono::milliseconds unregister_timeout{3000};  // longest wait for the PBX when a line goes away
    std::chrono::milliseconds customer_wait{300};        // longest a ringing call waits for its customer card
    RegistrarOptions registrar;
    BridgeOptions bridge;
    FloodPolicy flood;  // SIP_RATE_LIMIT_PER_SOURCE, SIP_RATE_LIMIT_BURST
    config::DialFormat dial_format = config::DialFormat::e164;  // DIAL_FORMAT
    std::vector<std::pair<std::string, std::string>> dialled_names;  // DIALLED_NAMES: number -> name

    static SipEngineOptions from(const config::ServiceConfig& config);
};

class SipEngine final : public calls::CallControl, public calls::BrowserPhones {
  public:
    // Starts the SIP thread and returns once the stack listens (lines register from then on), or with the
    // reason it cannot (the SIP port is taken ...).
    static calls::Result<std::unique_ptr<SipEngine>> start(TelephonyContext& telephony,
                                                           SipEngineOptions options);
    // Un-registers the lines (bounded by unregister_timeout), shuts the stack down, joins its thread.
    ~SipEngine() override;
    SipEngine(const SipEngine&) = delete;
    SipEngine& operator=(const SipEngine&) = delete;

    void dial(calls::DialRequest request, Completion done) override;
    void answer(std::string call_id, Completion done) override;
    void hangup(std::string call_id, Completion done) override;
    void hold(std::string call_id, Completion done) override;
    void unhold(std::string call_id, Completion done) override;
    void media(std::string call_id, Completion done) override;
    void record(std::string call_id, bool on, Completion done) override;
    void transfer(std::string call_id, std::string target, Completion done) override;
    void consult(std::string call_id, std::string target, Completion done) override;
    void settle_transfer(std::string call_id, bool complete, Completion done) override;

    // The browser phones (sip/browser): jobs on the SIP thread.
    void attach(std::string extension, std::string rejoin, Attached done) override;
    void detach(std::string device, bool keep_calls) override;
    void send_sdp(std::string device, std::string leg, std::string sdp) override;
    void hang_up(std::string device, std::string leg) override;

    calls::TelephonyStatus status() const override;
    void check_connection(calls::ConnectionCheckRequest request, CheckCompletion done) override;

  private:
    SipEngine(TelephonyContext& telephony, SipEngineOptions options);
    calls::Status run_thread();
    void report(const calls::TelephonyStatus& status, const std::vector<calls::TelephonyEvent>& events);
    // Runs `command` on the SIP thread with the call's bridge.
    void on_call(std::string call_id, Completion done, std::function<void(Bridge&, Completion)> command);
    CallHooks call_hooks();
    void follow_queues();
    // The number as the PBX must receive it (DIAL_FORMAT).
    std::string dial_number(const calls::DialRequest& request) const;

    TelephonyContext& telephony_;
    SipEngineOptions options_;
    // Shared with the completions other threads run (a caller's customer lookup on a storage reader, a DNS
    // answer): one that comes after the engine is gone finds the queue closed, never freed.
    std::shared_ptr<CommandQueue> queue_ = std::make_shared<CommandQueue>();
    boost::asio::strand<boost::asio::io_context::executor_type> events_;  // keeps the events in order
    // Each queue's latest waiting list not yet published. A burst of callers changes a queue far faster than
    // the events' thread can publish its whole list each time (800 callers at 800/s took it 15 s+ under the
    // sanitizers, and SIGTERM waited behind them); every list is the whole state, so only the newest is sent.
    struct PendingQueueStates {
        std::mutex mutex;
        std::map<std::string, std::vector<calls::QueueCaller>> latest;
    };
    std::shared_ptr<PendingQueueStates> pending_queue_states_ = std::make_shared<PendingQueueStates>();

    directory::PhoneNormalizer phones_;
    mutable std::mutex status_mutex_;
    calls::TelephonyStatus status_;

    config::LiveSettings::Subscription settings_subscription_ = 0;
    SofiaStack* stack_ = nullptr;  // SIP thread only, while the stack runs
    std::map<std::uint64_t, std::unique_ptr<ConnectionCheck>> checks_;  // SIP thread only
    std::uint64_t next_check_ = 0;
    std::thread thread_;
    std::unique_ptr<PublicAddressWatch> public_address_;  // STUN: MEDIA=rtpengine without MEDIA_PUBLIC_ADDRESS
};

}  // namespace ff::sip
