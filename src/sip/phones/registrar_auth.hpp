// Digest authentication of the operators' phones with Sofia's server-side auth module (auth_module.h):
// nonces signed with a key made at start-up, qop=auth, and the operators' passwords fed to the module from
// the live accounts just before each check. SIP thread only.
#pragma once

#include <sofia-sip/auth_module.h>
#include <sofia-sip/sip.h>
#include <sofia-sip/su_wait.h>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "config/service_config.hpp"

namespace ff::sip {

// What a check decided. `header` (a challenge) and `info` (Authentication-Info) go into the response and live
// as long as this object.
class AuthVerdict {
  public:
    enum class Kind {
        accepted,    // the credentials are right: `user` is the account
        challenged,  // 401/407 with a challenge: no credentials yet, or a stale nonce
        refused,     // 403: wrong password or unknown user, alike
        malformed,   // 400: credentials without the fields digest needs
        failed,      // 500
    };

    Kind kind = Kind::failed;
    int status = 500;
    const char* phrase = "Internal Server Error";  // static: NUA keeps the pointer until it responds
    // The credentials were wrong (or forged): counts towards the lock-out of the source address.
    bool failure = false;
    std::optional<config::SipUser> user;

    const sip_header_t* header() const;  // WWW-Authenticate or Proxy-Authenticate, or null
    const sip_header_t* info() const;    // Authentication-Info, or null

    AuthVerdict();
    ~AuthVerdict();
    AuthVerdict(AuthVerdict&&) noexcept;
    AuthVerdict& operator=(AuthVerdict&&) noexcept;

  private:
    friend class RegistrarAuth;
    struct StatusDeleter {
        void operator()(auth_status_t* status) const;
    };
    std::unique_ptr<auth_status_t, StatusDeleter> status_;
};

class RegistrarAuth {
  public:
    using FindUser = std::function<std::optional<config::SipUser>(std::string_view login_or_extension)>;
    // As the registrar (401, WWW-Authenticate) or as a proxy (407, Proxy-Authenticate).
    enum class Role { registrar, proxy };

    RegistrarAuth(su_root_t* root, std::string realm, std::chrono::seconds nonce_lifetime,
                  FindUser find_user);
    ~RegistrarAuth();
    RegistrarAuth(const RegistrarAuth&) = delete;
    RegistrarAuth& operator=(const RegistrarAuth&) = delete;

    bool valid() const { return module_ != nullptr; }

    // Checks the request's Authorization (registrar) or Proxy-Authorization (proxy) header.
    AuthVerdict check(const sip_t* sip, Role role);

  private:
    void load_password(const msg_auth_t* credentials, su_home_t* home);

    std::string realm_;
    FindUser find_user_;
    auth_mod_t* module_ = nullptr;
};

}  // namespace ff::sip
