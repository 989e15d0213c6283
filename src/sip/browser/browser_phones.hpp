// The browser phones of the service: console pages that are devices of their operator's extension. Each
// page is a contact in the registrar ("sip:page-<id>@<our own address>"), so the bridge rings it with the
// extension's SIP phones, the first to answer takes the call and the others stop: exactly as for phones.
// That INVITE comes back into our own stack, and a PageLeg turns it into signals for the page. A page that
// goes away keeps its answered calls for a short grace time in which the reloaded page may rejoin them.
// SIP thread only.
#pragma once

#include <sofia-sip/nua.h>
#include <sofia-sip/su_wait.h>

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "calls/browser_phone.hpp"
#include "sip/browser/page_leg.hpp"
#include "sip/phones/device_registrar.hpp"

namespace ff::sip {

struct BrowserPhoneOptions {
    std::string own_host;                   // "host:port" where our own stack receives the INVITEs for pages
    std::chrono::seconds rejoin_grace{15};  // how long a page that went away keeps its calls
};

class BrowserPhoneSet {
  public:
    BrowserPhoneSet(nua_t* nua, su_root_t* root, DeviceRegistrar& registrar, PageLegContext legs,
                    BrowserPhoneOptions options);
    ~BrowserPhoneSet();
    BrowserPhoneSet(const BrowserPhoneSet&) = delete;
    BrowserPhoneSet& operator=(const BrowserPhoneSet&) = delete;

    // True when the INVITE is addressed to one of our pages (then on_invite() takes it).
    bool claims(const sip_t* invite) const;
    void on_invite(const NuaEvent& event);

    calls::Result<calls::PhoneDevice> attach(const std::string& extension, const std::string& rejoin);
    void detach(const std::string& device, bool keep_calls);
    void page_sdp(const std::string& device, const std::string& leg, const std::string& sdp);
    void page_hang_up(const std::string& device, const std::string& leg);
    // The contact of a device, for a click-to-call that rings only that page; empty when unknown.
    std::string contact_of(const std::string& device) const;
    // Service shutdown: every page's legs end (the bridges hang up their side too).
    void close();

  private:
    struct Device {
        std::string id;
        std::string extension;
        std::string contact;
        bool present = true;  // its page is connected
        std::chrono::steady_clock::time_point away_since;
    };

    PageLeg* find_leg(const std::string& device, const std::string& leg);
    void sweep();  // drops ended legs and devices whose grace is over
    void arm_sweep();
    static void sweep_fired(su_root_magic_t* magic, su_timer_t* timer, su_timer_arg_t* arg);

    nua_t* nua_;
    DeviceRegistrar& registrar_;
    PageLegContext leg_context_;
    BrowserPhoneOptions options_;
    std::map<std::string, Device> devices_;
    std::map<std::string, std::unique_ptr<PageLeg>> legs_;
    su_timer_t* sweep_timer_ = nullptr;
};

}  // namespace ff::sip
