// The service as the registrar of the operators' phones (devices): digest authentication with Sofia's
// auth module, bindings with expiry, several phones per extension. SIP thread only.
#pragma once

#include <sofia-sip/nua.h>
#include <sofia-sip/su_wait.h>

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/service_config.hpp"
#include "sip/phones/device_bindings.hpp"
#include "sip/stack/nua_event.hpp"
#include "sip/phones/registrar_failure_delay.hpp"

namespace ff::sip {

struct RegistrarOptions {
    std::string realm = "pjsip-service";
    int min_expires = 60;                      // shorter asks get 423 Interval Too Brief
    int max_expires = 3600;                    // longer asks are granted this much
    int default_expires = 600;                 // REGISTER without Expires
    int max_phones_per_extension = 10;         // one more replaces the phone closest to expiring
    std::chrono::seconds nonce_lifetime{300};  // an older nonce gets a new challenge (stale=true)
    // Brute-force protection per source address: after `failures_before_lockout` wrong credentials within
    // `failure_window` (0: never), every request from that address is refused with 403 (no challenge) for
    // `lockout`. Before that, each failure is answered later the more failures the address made within the
    // window (`failure_delay`), at most `max_delayed_answers` at once (more are answered at once); other
    // addresses and right credentials are never delayed.
    int failures_before_lockout = 10;
    std::chrono::seconds failure_window{60};
    std::chrono::seconds lockout{300};
    FailureDelayPolicy failure_delay;
    std::size_t max_delayed_answers = 1000;
};

class DeviceRegistrar {
  public:
    // The operator account a phone logs in with: matched by PBX login or by extension; the password is the
    // account's.
    using FindUser = std::function<std::optional<config::SipUser>(std::string_view login_or_extension)>;
    // How many phones an extension has now; called whenever that number changes (register, expiry,
    // un-register, account removed).
    using OnDevices = std::function<void(const std::string& extension, int phones)>;

    DeviceRegistrar(nua_t* nua, su_root_t* root, RegistrarOptions options, FindUser find_user,
                    OnDevices on_devices);
    ~DeviceRegistrar();
    DeviceRegistrar(const DeviceRegistrar&) = delete;
    DeviceRegistrar& operator=(const DeviceRegistrar&) = delete;

    // nua_i_register on a handle the stack made: challenges, stores, refreshes or removes bindings, and
    // responds (200 with the extension's contacts). An unknown user and a wrong password get the same 403.
    // The registrar owns the handle from here and destroys it once it has answered, which for a failed
    // authentication may be seconds later.
    void on_register(const NuaEvent& event);

    // A request from a phone that must prove who it is (an INVITE placing a call). The operator's
    // extension when its credentials are right; otherwise the result is empty and the registrar has
    // responded (407, or 403 for a locked-out address) or will respond to wrong credentials a little later;
    // the handle stays the caller's either way.
    std::optional<std::string> authenticate(const NuaEvent& event);

    // The devices of an extension that ring now: its browser phones, newest first, then its registered SIP
    // phones, newest first.
    std::vector<DeviceContact> contacts(const std::string& extension) const;

    // A console page that is a phone of `page.extension` (sip/browser): it rings with the extension's phones
    // until removed; it neither registers nor expires, and its owner has authenticated it.
    void add_page(DeviceContact page);
    void remove_page(const std::string& extension, const std::string& contact);

    // The accounts changed: bindings whose account is gone (or whose password changed) are dropped.
    void reconcile();

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace ff::sip
