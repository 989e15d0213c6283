// What a SIP engine gets to work with from the rest of the service, handed over by app/ at start-up. The
// test-only simulator (testing/) stands in for the SIP engine and gets the same.
#pragma once

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <functional>
#include <string>

#include "calls/browser_phone.hpp"
#include "calls/call_registry.hpp"
#include "calls/event_bus.hpp"
#include "calls/queue_list.hpp"
#include "sip/bridge/call_media.hpp"

namespace ff::config {
class LiveSettings;
struct ServiceConfig;
}  // namespace ff::config
namespace ff::directory {
class CustomerDirectory;
}
namespace ff::media {
class MediaAnchor;
}

namespace ff::sip {

struct TelephonyContext {
    calls::CallRegistry& registry;              // drives every call through it
    calls::EventBus& bus;                       // line and phone state events (sip:connected ...)
    directory::CustomerDirectory& customers;    // caller lookup for the popup
    config::LiveSettings& settings;             // PBX settings and operator accounts, changing live
    boost::asio::io_context& io;                // the network loop, for timers and hand-backs
    const config::ServiceConfig& config;        // start-up settings (SIP_LISTEN, SIP_REGISTER_EXPIRES ...)
    // With several instances: whether an inbound call to this extension, whose phone is not registered here,
    // is another instance's to take (empty when alone).
    std::function<bool(const std::string& extension)> leave_inbound_to_others{};
    // MEDIA=rtpengine: the media plane every call's SDP goes through (null: SDP passes through), the music a
    // held customer hears (MOH_FILE), and who hears of a call that rtpengine failed (/health).
    media::MediaAnchor* media = nullptr;
    std::string music_on_hold{};
    std::function<void(const std::string& reason)> media_failed{};
    // RECORDING: who turns a recorded call's captures into its file once rtpengine has let the call go.
    std::function<void(RecordedCall)> recorded{};
    // MEDIA=rtpengine without MEDIA_PUBLIC_ADDRESS: what each STUN binding request to STUN_SERVER found (the
    // address, or why none), for the SDP rtpengine writes.
    std::function<void(const std::string& server, const std::string& address, const std::string& error)>
        public_address_learned{};
    // BUSY_WHEN: true when an inbound call to this extension's line is refused with 486 Busy Here (the operator
    // is paused, in wrap-up or on a call), so that the PBX's queue or hunt group moves on. Empty: never.
    std::function<bool(const std::string& extension)> line_busy{};
    // Queues: the service's queues as configured (null: none), and whether a member may be offered a waiting
    // caller now (their state is available).
    calls::QueueList* queues = nullptr;
    std::function<bool(const std::string& extension)> member_available{};
    // Where the browser phones' signals go (the realtime server); empty: no page can be a phone.
    calls::PhoneSignalSink phone_signal{};
    // SIP_MAX_DELAY_MS: how late the SIP thread serves what reaches it, measured every 100 ms, and whether new
    // calls are shed for it meanwhile (on the SIP thread). Empty: nobody listens.
    std::function<void(std::chrono::milliseconds delay, bool shedding)> sip_delay{};
};

}  // namespace ff::sip
