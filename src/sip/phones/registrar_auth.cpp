// The auth module keeps passwords in its own table (auth_mod_addpass). Accounts change at run time, so the
// entry of the user named in the credentials is brought up to date right before each check: the module
// then computes the digest itself, and an unknown user fails on a made-up password exactly like a wrong one.
#include "sip/phones/registrar_auth.hpp"
#include "sip/stack/status_phrase.hpp"

#include <sofia-sip/auth_plugin.h>
#include <sofia-sip/sip_header.h>
#include <sofia-sip/sip_status.h>
#include <sofia-sip/su_uniqueid.h>

#include <array>
#include <cstdio>

namespace ff::sip {
namespace {

auth_challenger_t registrar_challenger{SIP_401_UNAUTHORIZED, sip_www_authenticate_class,
                                       sip_authentication_info_class};
auth_challenger_t proxy_challenger{SIP_407_PROXY_AUTH_REQUIRED, sip_proxy_authenticate_class, nullptr};

// Nonces are signed with this key (the module's default key is a constant): random per start.
std::string random_master_key() {
    std::array<unsigned char, 16> bytes{};
    su_randmem(bytes.data(), bytes.size());
    std::string hex;
    for (auto byte : bytes) {
        std::array<char, 3> two{};
        std::snprintf(two.data(), two.size(), "%02x", byte);
        hex += two.data();
    }
    return hex;
}

}  // namespace

void AuthVerdict::StatusDeleter::operator()(auth_status_t* status) const {
    auth_status_unref(status);
}

AuthVerdict::AuthVerdict() = default;
AuthVerdict::~AuthVerdict() = default;
AuthVerdict::AuthVerdict(AuthVerdict&&) noexcept = default;
AuthVerdict& AuthVerdict::operator=(AuthVerdict&&) noexcept = default;

const sip_header_t* AuthVerdict::header() const {
    return status_ ? reinterpret_cast<const sip_header_t*>(status_->as_response) : nullptr;
}

const sip_header_t* AuthVerdict::info() const {
    return status_ ? reinterpret_cast<const sip_header_t*>(status_->as_info) : nullptr;
}

RegistrarAuth::RegistrarAuth(su_root_t* root, std::string realm, std::chrono::seconds nonce_lifetime,
                             FindUser find_user)
    : realm_(std::move(realm)), find_user_(std::move(find_user)) {
    const auto key = random_master_key();
    const auto lifetime = static_cast<unsigned>(nonce_lifetime.count());
    module_ = auth_mod_create(root, AUTHTAG_METHOD("Digest"), AUTHTAG_REALM(realm_.c_str()),
                              AUTHTAG_QOP("auth"), AUTHTAG_EXPIRES(lifetime), AUTHTAG_NEXT_EXPIRES(lifetime),
                              // Wrong credentials get 403, not another challenge: a phone with a wrong
                              // password stops instead of retrying.
                              AUTHTAG_FORBIDDEN(1),
                              // Marks failures (as_blacklist); the lock-out counts them.
                              AUTHTAG_BLACKLIST(1), AUTHTAG_MASTER_KEY(key.c_str()), TAG_END());
}

RegistrarAuth::~RegistrarAuth() {
    if (module_ != nullptr) auth_mod_destroy(module_);
}

void RegistrarAuth::load_password(const msg_auth_t* credentials, su_home_t* home) {
    msg_auth_t* mine =
        auth_digest_credentials(const_cast<msg_auth_t*>(credentials), realm_.c_str(), module_->am_opaque);
    if (mine == nullptr) return;
    auth_response_t response{};
    response.ar_size = sizeof response;
    if (auth_digest_response_get(home, &response, mine->au_params) < 0 || response.ar_username == nullptr)
        return;
    const char* name = response.ar_username;
    const auto user = find_user_(name);
    auth_passwd_t* entry = nullptr;
    if (user && !user->password.empty()) {
        entry = auth_mod_addpass(module_, name, realm_.c_str());
        if (entry == nullptr || (entry->apw_pass != nullptr && user->password == entry->apw_pass)) return;
    } else {
        entry = auth_mod_getpass(module_, name, realm_.c_str());
        if (entry == nullptr || entry->apw_pass == nullptr) return;
    }
    // A changed or removed account: the old password goes, the new one (if any) takes its place.
    if (entry->apw_pass != nullptr) su_free(module_->am_home, const_cast<char*>(entry->apw_pass));
    entry->apw_pass =
        (user && !user->password.empty()) ? su_strdup(module_->am_home, user->password.c_str()) : nullptr;
}

AuthVerdict RegistrarAuth::check(const sip_t* sip, Role role) {
    AuthVerdict verdict;
    if (module_ == nullptr || sip == nullptr || sip->sip_request == nullptr) return verdict;
    verdict.status_.reset(auth_status_new(nullptr));
    auth_status_t* status = verdict.status_.get();
    if (status == nullptr) return verdict;

    status->as_method = sip->sip_request->rq_method_name;
    if (sip->sip_payload != nullptr) {
        status->as_body = sip->sip_payload->pl_data;
        status->as_bodylen = sip->sip_payload->pl_len;
    }
    msg_auth_t* credentials = role == Role::registrar ? sip->sip_authorization : sip->sip_proxy_authorization;
    load_password(credentials, status->as_home);
    auth_mod_verify(module_, status, credentials,
                    role == Role::registrar ? &registrar_challenger : &proxy_challenger);

    verdict.status = status->as_status;
    verdict.phrase = static_phrase(status->as_status);  // NUA reads it after the status is gone
    verdict.failure = status->as_blacklist != 0;
    switch (status->as_status) {
        case 0:
            verdict.user = status->as_user != nullptr ? find_user_(status->as_user) : std::nullopt;
            if (verdict.user) {
                verdict.kind = AuthVerdict::Kind::accepted;
                verdict.status = 200;
                verdict.phrase = "OK";
            } else {  // the account went away during the check
                verdict.kind = AuthVerdict::Kind::refused;
                verdict.status = 403;
                verdict.phrase = "Forbidden";
            }
            break;
        case 401:
        case 407:
            verdict.kind = AuthVerdict::Kind::challenged;
            break;
        case 403:
            verdict.kind = AuthVerdict::Kind::refused;
            verdict.failure = true;
            break;
        case 400:
            verdict.kind = AuthVerdict::Kind::malformed;
            verdict.failure = true;
            break;
        default:
            verdict.kind = AuthVerdict::Kind::failed;
            break;
    }
    return verdict;
}

}  // namespace ff::sip
