// The Sofia-SIP stack of the service: su_root, NUA, the wake-up from the command queue, the lines.
// Created, run and destroyed on the SIP thread, and touched by nothing else.
#pragma once

#include <sofia-sip/nua.h>
#include <sofia-sip/su_wait.h>

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "calls/result.hpp"
#include "sip/bridge/call_book.hpp"
#include "sip/stack/delay_probe.hpp"
#include "sip/browser/browser_phones.hpp"
#include "sip/stack/command_queue.hpp"
#include "sip/phones/device_registrar.hpp"
#include "sip/stack/flood_gate.hpp"
#include "sip/lines/line_set.hpp"
#include "sip/stack/nua_event.hpp"

namespace ff::sip {

struct StackOptions {
    std::string listen_url = "sip:*:5060";  // NUTAG_URL: UDP and TCP on this address
    std::string tls_url;                    // NUTAG_SIPS_URL, e.g. "sips:*:5061"; empty: no TLS at all
    std::string tls_directory;              // agent.pem and cafile.pem (tls_material.hpp), read at open()
    bool tls_verify_peer = false;           // the PBX's certificate must chain to cafile.pem and be in date
    std::string user_agent;  // SIP_USER_AGENT: the product token in requests and responses; empty: none
    LineOptions line;
    RegistrarOptions registrar;
    BridgeOptions bridge;
    CallMediaContext media;  // its `post` is filled in by the stack
    FloodPolicy flood;  // new requests per source address (the PBX's excepted)
    // With bridge.admission.max_delay: how often the stack measures its own delay (DelayProbe), and who hears
    // each measure and whether new calls are shed meanwhile (on this thread). Past its capacity the thread
    // admits new calls at full speed between two measures: at 100 ms a burst of them set up 200 ms late before
    // the shedding began; 20 ms costs 50 OPTIONS a second to itself.
    std::chrono::milliseconds delay_probe_interval{20};
    // How long the shutdown waits for far ends to answer its BYEs, CANCELs and un-REGISTERs before it lets
    // their transactions go (NUA alone would wait up to 30 s for a peer that is gone or overloaded).
    std::chrono::milliseconds shutdown_grace{2000};
    std::function<void(std::chrono::milliseconds delay, bool shedding)> delay_observed;
    struct {
        BrowserPhoneOptions options;
        calls::PhoneSignalSink signal;  // where the pages' signals go (the realtime server)
    } browser_phones;
};

class SofiaStack {
  public:
    struct Hooks {
        LineSet::Report report;                                 // line board changes, on this thread
        std::function<std::vector<LineConfig>()> wanted_lines;  // what the settings ask for now
        DeviceRegistrar::FindUser find_user;                    // the account a phone logs in with
        CallHooks calls;                                        // how calls reach the call model
    };

    SofiaStack(CommandQueue& queue, StackOptions options, Hooks hooks);
    ~SofiaStack();  // after run() has returned: nua_destroy, su_root_destroy, su_deinit
    SofiaStack(const SofiaStack&) = delete;
    SofiaStack& operator=(const SofiaStack&) = delete;

    // su_init .. nua_create, and the lines' first registrations. The error names what failed.
    calls::Status open();
    // Serves until shutdown() has finished.
    void run();

    // Called by jobs from the queue:
    void reconcile();  // the settings changed
    void shutdown();   // end the calls, un-register the lines (bounded), shut NUA down, then leave run()
    CallBook* calls() { return calls_.get(); }  // null before open() and after shutdown()
    BrowserPhoneSet* browser_phones() { return browsers_.get(); }  // the same
    // For work that needs handles or timers of its own on this loop (the connection check).
    nua_t* nua() { return nua_; }
    su_root_t* root() { return root_; }

  private:
    void on_queue_ready();
    void on_event(const NuaEvent& event, void* handle_magic);
    void on_unowned(const NuaEvent& event);
    std::optional<LineConfig> line_for(const std::string& login_or_extension) const;

    void shut_nua();
    void on_shutdown_overdue();
    static void shutdown_overdue(su_root_magic_t* magic, su_timer_t* timer, su_timer_arg_t* arg);
    static int queue_ready(su_root_magic_t* magic, su_wait_t* wait, su_wakeup_arg_t* arg);
    static void nua_callback(nua_event_t event, int status, char const* phrase, nua_t* nua,
                             nua_magic_t* magic, nua_handle_t* nh, nua_hmagic_t* hmagic, sip_t const* sip,
                             tagi_t tags[]);

    CommandQueue& queue_;
    // The media plane's thread outlives the stack: what it hands back goes through here, and is dropped
    // once the stack is gone rather than reaching a queue that may be destroyed.
    struct MediaReturn {
        std::mutex mutex;
        CommandQueue* queue = nullptr;
    };
    std::shared_ptr<MediaReturn> media_return_ = std::make_shared<MediaReturn>();
    StackOptions options_;
    Hooks hooks_;
    bool initialized_ = false;  // su_init done
    su_root_t* root_ = nullptr;
    su_wait_t wait_[1];
    int wait_index_ = -1;
    nua_t* nua_ = nullptr;
    std::unique_ptr<LineSet> lines_;
    std::unique_ptr<FloodGate> gate_;
    std::unique_ptr<DeviceRegistrar> registrar_;
    std::unique_ptr<CallBook> calls_;
    std::unique_ptr<DelayProbe> delay_probe_;  // only with SIP_MAX_DELAY_MS
    std::unique_ptr<BrowserPhoneSet> browsers_;
    bool shutting_down_ = false;
    bool nua_shutdown_sent_ = false;
    bool shutdown_complete_ = false;
    su_timer_t* shutdown_timer_ = nullptr;
    // Past the grace: the owners of handles are gone, NUA only has to finish; late events are let go of.
    bool abandoned_ = false;
    bool draining_ = false;  // the owners of handles are gone: late events are only let go of
};

}  // namespace ff::sip
