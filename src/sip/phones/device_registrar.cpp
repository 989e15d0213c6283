// REGISTER as RFC 3261 section 10.3 has it, after digest authentication (registrar_auth), the slowing down
// (registrar_failure_delay, registrar_delayed_answers) and lock-out (auth_lockout) of guessing addresses; the
// bindings live in device_bindings, expired by one su_timer.
#include "sip/phones/device_registrar.hpp"

#include <netdb.h>
#include <sofia-sip/msg_addr.h>
#include <sofia-sip/nua_tag.h>
#include <sofia-sip/sip_header.h>
#include <sofia-sip/sip_status.h>
#include <sofia-sip/sip_tag.h>
#include <sofia-sip/url.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>

#include "sip/phones/auth_lockout.hpp"
#include "sip/phones/registrar_auth.hpp"
#include "sip/phones/registrar_delayed_answers.hpp"

namespace ff::sip {
namespace {

using Clock = std::chrono::steady_clock;

// Where a request came from, as the transport saw it (not as its headers say).
struct Source {
    std::string address;
    std::string port;
    bool stream = false;  // TCP or TLS: the phone is reached over the connection it opened

    std::string text() const {
        return address.find(':') == std::string::npos ? address + ":" + port : "[" + address + "]:" + port;
    }
};

std::optional<Source> source_of(msg_t* request) {
    su_addrinfo_t* info = request != nullptr ? msg_addrinfo(request) : nullptr;
    if (info == nullptr || info->ai_addr == nullptr) return std::nullopt;
    char host[NI_MAXHOST];
    char service[NI_MAXSERV];
    if (getnameinfo(reinterpret_cast<const sockaddr*>(info->ai_addr),
                    static_cast<socklen_t>(info->ai_addrlen), host, sizeof host, service, sizeof service,
                    NI_NUMERICHOST | NI_NUMERICSERV) != 0)
        return std::nullopt;
    return Source{host, service, info->ai_protocol == IPPROTO_TCP};
}

struct HomeDeleter {
    void operator()(su_home_t* home) const { su_home_unref(home); }
};
using Home = std::unique_ptr<su_home_t, HomeDeleter>;

Home new_home() {
    return Home(static_cast<su_home_t*>(su_home_new(sizeof(su_home_t))));
}

std::string as_string(su_home_t* home, const url_t* url) {
    const char* text = url_as_string(home, url);
    return text != nullptr ? text : "";
}

// The Contact as registered, unless the REGISTER came from another host (NAT): then the address and port
// it came from, which is where the phone's NAT binding lets requests in. A Contact on the source host itself
// is taken as written, whatever port the REGISTER left from: the phone knows its own address, and a
// REGISTER sent on a phone's behalf (a provisioning tool, a test) names where the phone listens.
std::string reach_uri(su_home_t* home, const url_t* contact, const Source& source) {
    const std::string bracketed =
        source.address.find(':') == std::string::npos ? source.address : "[" + source.address + "]";
    const bool same_host = contact->url_host != nullptr && bracketed == contact->url_host;
    if (same_host) return as_string(home, contact);
    url_t* reached = url_hdup(home, contact);
    if (reached == nullptr) return as_string(home, contact);
    reached->url_host = su_strdup(home, bracketed.c_str());
    reached->url_port = su_strdup(home, source.port.c_str());
    if (source.stream && !url_has_param(reached, "transport")) url_param_add(home, reached, "transport=tcp");
    return as_string(home, reached);
}

std::string user_addressed(const sip_to_t* to) {
    return to != nullptr && to->a_url->url_user != nullptr ? to->a_url->url_user : "";
}

}  // namespace

struct DeviceRegistrar::Impl {
    Impl(nua_t* nua_, su_root_t* root, RegistrarOptions options_, FindUser find_user_, OnDevices on_devices_)
        : nua(nua_),
          options(std::move(options_)),
          find_user(std::move(find_user_)),
          on_devices(std::move(on_devices_)),
          auth(root, options.realm, options.nonce_lifetime, find_user),
          lockout(LockoutPolicy{options.failures_before_lockout, options.failure_window, options.lockout}),
          failure_delay(options.failure_delay),
          delayed(nua, root, options.max_delayed_answers),
          bindings(static_cast<std::size_t>(std::max(options.max_phones_per_extension, 1))),
          timer(su_timer_create(su_root_task(root), 0)) {
        if (!auth.valid())
            spdlog::error("SIP registrar: cannot create the digest module; phones are refused");
    }

    ~Impl() {
        if (timer != nullptr) su_timer_destroy(timer);
    }

    // True when the answer is held back: the handle is let go of after it.
    bool on_register(const NuaEvent& event);
    std::optional<std::string> authenticate(const NuaEvent& event);
    void reconcile();

    // Locked-out sources get a bare 403, whatever they send.
    bool refuse_locked_out(const NuaEvent& event, const std::string& address);
    // Answers a request whose authentication did not succeed, a failure later the more the address failed
    // recently. True when the answer is held back (`release_handle`: the handle goes with it).
    bool refuse(const NuaEvent& event, AuthVerdict verdict, const std::string& address, bool release_handle);
    void respond(const NuaEvent& event, int status, const char* phrase);
    // Applies the Contact headers of an authenticated REGISTER; the response when it cannot.
    void update_bindings(const NuaEvent& event, const config::SipUser& user, const Source& source,
                         const AuthVerdict& verdict);
    void changed(const std::string& extension, int before);
    // Registered phones and pages together: what rings.
    int count(const std::string& extension) const {
        const auto found = pages.find(extension);
        return bindings.count(extension) + (found == pages.end() ? 0 : static_cast<int>(found->second.size()));
    }
    void arm_timer();
    static void timer_fired(su_root_magic_t*, su_timer_t*, su_timer_arg_t* arg);

    nua_t* nua;
    RegistrarOptions options;
    FindUser find_user;
    OnDevices on_devices;
    RegistrarAuth auth;
    AuthLockout lockout;
    FailureDelay failure_delay;
    DelayedAnswers delayed;
    DeviceBindings bindings;
    std::map<std::string, config::SipUser> accounts;  // extension -> the account its phones proved
    std::map<std::string, std::vector<DeviceContact>> pages;  // extension -> its browser phones, newest last
    su_timer_t* timer;
};

void DeviceRegistrar::Impl::respond(const NuaEvent& event, int status, const char* phrase) {
    nua_respond(event.handle, status, phrase, NUTAG_WITH_THIS(nua), TAG_END());
}

bool DeviceRegistrar::Impl::refuse_locked_out(const NuaEvent& event, const std::string& address) {
    if (!lockout.locked(address, Clock::now())) return false;
    respond(event, SIP_403_FORBIDDEN);
    return true;
}

bool DeviceRegistrar::Impl::refuse(const NuaEvent& event, AuthVerdict verdict, const std::string& address,
                                   bool release_handle) {
    auto wait = std::chrono::milliseconds::zero();
    if (verdict.failure) {
        const auto now = Clock::now();
        wait = failure_delay.after(lockout.failures(address, now));
        if (lockout.record_failure(address, now)) {
            spdlog::warn("SIP registrar: {} refused for {} s after {} failed authentications within {} s",
                         address, options.lockout.count(), options.failures_before_lockout,
                         options.failure_window.count());
        }
    }
    if (wait > std::chrono::milliseconds::zero()) {
        const int status = verdict.status;
        const char* phrase = verdict.phrase;
        if (delayed.hold(event.handle, verdict, wait, release_handle)) {
            spdlog::debug("SIP registrar: request from {} answered {} {} in {} ms", address, status, phrase,
                          wait.count());
            return true;
        }
        spdlog::debug("SIP registrar: {} answers already held back; this one goes now", delayed.waiting());
    }
    spdlog::debug("SIP registrar: request from {} answered {} {}", address, verdict.status, verdict.phrase);
    const sip_header_t* challenge = verdict.header();
    nua_respond(event.handle, verdict.status, verdict.phrase, TAG_IF(challenge, SIPTAG_HEADER(challenge)),
                NUTAG_WITH_THIS(nua), TAG_END());
    return false;
}

bool DeviceRegistrar::Impl::on_register(const NuaEvent& event) {
    const sip_t* sip = event.sip;
    const auto source = source_of(nua_current_request(nua)).value_or(Source{});
    if (refuse_locked_out(event, source.address)) return false;
    if (sip == nullptr || sip->sip_to == nullptr) {
        respond(event, SIP_400_BAD_REQUEST);
        return false;
    }
    auto verdict = auth.check(sip, RegistrarAuth::Role::registrar);
    if (verdict.kind != AuthVerdict::Kind::accepted)
        return refuse(event, std::move(verdict), source.address, /*release_handle=*/true);
    // The address of record is the account's own, by login or by extension: a phone cannot register for
    // another operator with its credentials.
    const auto& user = *verdict.user;
    const auto owner = find_user(user_addressed(sip->sip_to));
    if (!owner || owner->extension != user.extension) {
        respond(event, SIP_403_FORBIDDEN);
        return false;
    }
    update_bindings(event, user, source, verdict);
    return false;
}

void DeviceRegistrar::Impl::update_bindings(const NuaEvent& event, const config::SipUser& user,
                                            const Source& source, const AuthVerdict& verdict) {
    const sip_t* sip = event.sip;
    const std::string& extension = user.extension;
    const int before = count(extension);
    const auto home = new_home();
    const sip_contact_t* contacts = sip->sip_contact;

    if (contacts != nullptr && contacts->m_url->url_type == url_any) {  // Contact: *
        if (contacts->m_next != nullptr || sip->sip_expires == nullptr || sip->sip_expires->ex_delta != 0) {
            respond(event, 400, "Contact * needs Expires 0 and no other Contact");
            return;
        }
        bindings.unbind_all(extension);
    } else {
        struct Change {
            std::string contact;
            std::string uri;
            sip_time_t expires;
        };
        std::vector<Change> changes;
        const sip_time_t wall_clock = sip_now();
        // Everything is checked before anything changes: a 423 or 400 leaves the bindings as they were.
        for (const sip_contact_t* m = contacts; m != nullptr; m = m->m_next) {
            if (m->m_url->url_type != url_sip && m->m_url->url_type != url_sips) {
                respond(event, 400, "Contact must be a SIP URI");
                return;
            }
            sip_time_t expires =
                sip_contact_expires(m, sip->sip_expires, sip->sip_date,
                                    static_cast<sip_time_t>(options.default_expires), wall_clock);
            if (expires != 0 && expires < static_cast<sip_time_t>(options.min_expires)) {
                const auto minimum = std::to_string(options.min_expires);
                nua_respond(event.handle, SIP_423_INTERVAL_TOO_BRIEF, SIPTAG_MIN_EXPIRES_STR(minimum.c_str()),
                            NUTAG_WITH_THIS(nua), TAG_END());
                return;
            }
            expires = std::min(expires, static_cast<sip_time_t>(options.max_expires));
            changes.push_back(
                {as_string(home.get(), m->m_url), reach_uri(home.get(), m->m_url, source), expires});
        }
        const auto now = Clock::now();
        const char* agent = sip->sip_user_agent != nullptr ? sip->sip_user_agent->g_string : nullptr;
        for (auto& change : changes) {
            if (change.expires == 0) {
                bindings.unbind(extension, change.contact);
                continue;
            }
            DeviceContact phone;
            phone.extension = extension;
            phone.contact = std::move(change.contact);
            phone.uri = std::move(change.uri);
            phone.source = source.text();
            phone.user_agent = agent != nullptr ? agent : "";
            phone.registered = now;
            phone.expires = now + std::chrono::seconds(change.expires);
            bindings.bind(std::move(phone));
        }
    }
    if (bindings.count(extension) > 0) {
        accounts[extension] = user;
    } else {
        accounts.erase(extension);
    }
    changed(extension, before);
    arm_timer();

    // 200 lists every binding of the address of record, with the seconds each has left.
    sip_contact_t* listed = nullptr;
    sip_contact_t** tail = &listed;
    const auto now = Clock::now();
    for (const auto& phone : bindings.of(extension)) {
        const auto left = std::chrono::ceil<std::chrono::seconds>(phone.expires - now).count();
        const auto expires = "expires=" + std::to_string(std::max<long long>(left, 0));
        sip_contact_t* contact =
            sip_contact_create(home.get(), URL_STRING_MAKE(phone.contact.c_str()), expires.c_str(), nullptr);
        if (contact == nullptr) continue;
        *tail = contact;
        tail = &contact->m_next;
    }
    spdlog::debug("SIP registrar: REGISTER for {} from {} answered 200 ({} phone(s))", extension,
                  source.text(), bindings.count(extension));
    const sip_header_t* info = verdict.info();
    nua_respond(event.handle, SIP_200_OK, TAG_IF(listed, SIPTAG_CONTACT(listed)),
                TAG_IF(info, SIPTAG_HEADER(info)), NUTAG_WITH_THIS(nua), TAG_END());
}

void DeviceRegistrar::Impl::changed(const std::string& extension, int before) {
    const int after = count(extension);
    if (after == before) return;
    spdlog::info("SIP registrar: extension {} has {} phone(s) registered", extension, after);
    if (on_devices) on_devices(extension, after);
}

void DeviceRegistrar::Impl::arm_timer() {
    if (timer == nullptr) return;
    su_timer_reset(timer);
    const auto next = bindings.next_expiry();
    if (!next) return;
    const auto wait = std::chrono::ceil<std::chrono::milliseconds>(*next - Clock::now()).count();
    su_timer_set_interval(timer, &Impl::timer_fired, this,
                          static_cast<su_duration_t>(std::max<long long>(wait, 1)));
}

void DeviceRegistrar::Impl::timer_fired(su_root_magic_t*, su_timer_t*, su_timer_arg_t* arg) {
    auto* self = static_cast<Impl*>(arg);
    for (const auto& extension : self->bindings.expire(Clock::now())) {
        if (self->bindings.count(extension) == 0) self->accounts.erase(extension);
        const int left = self->count(extension);
        spdlog::info("SIP registrar: a phone of extension {} expired; {} left", extension, left);
        if (self->on_devices) self->on_devices(extension, left);
    }
    self->arm_timer();
}

std::optional<std::string> DeviceRegistrar::Impl::authenticate(const NuaEvent& event) {
    const sip_t* sip = event.sip;
    const auto source = source_of(nua_current_request(nua)).value_or(Source{});
    if (refuse_locked_out(event, source.address)) return std::nullopt;
    if (sip == nullptr) {
        respond(event, SIP_400_BAD_REQUEST);
        return std::nullopt;
    }
    auto verdict = auth.check(sip, RegistrarAuth::Role::proxy);
    if (verdict.kind != AuthVerdict::Kind::accepted) {
        refuse(event, std::move(verdict), source.address, /*release_handle=*/false);
        return std::nullopt;
    }
    // The caller named in From must be the account that proved itself.
    const auto caller = find_user(user_addressed(sip->sip_from));
    if (!caller || caller->extension != verdict.user->extension) {
        respond(event, SIP_403_FORBIDDEN);
        return std::nullopt;
    }
    return verdict.user->extension;
}

void DeviceRegistrar::Impl::reconcile() {
    for (const auto& extension : bindings.extensions()) {
        const auto now_user = find_user(extension);
        const auto proved = accounts.find(extension);
        const bool same = now_user && now_user->extension == extension && proved != accounts.end() &&
                          proved->second.username == now_user->username &&
                          proved->second.password == now_user->password;
        if (same) continue;
        const int before = count(extension);
        bindings.unbind_all(extension);
        accounts.erase(extension);
        spdlog::info(
            "SIP registrar: account of extension {} removed or changed; its phones must register again",
            extension);
        changed(extension, before);
    }
    arm_timer();
}

DeviceRegistrar::DeviceRegistrar(nua_t* nua, su_root_t* root, RegistrarOptions options, FindUser find_user,
                                 OnDevices on_devices)
    : impl_(std::make_unique<Impl>(nua, root, std::move(options), std::move(find_user),
                                   std::move(on_devices))) {}

DeviceRegistrar::~DeviceRegistrar() = default;

void DeviceRegistrar::on_register(const NuaEvent& event) {
    if (!impl_->on_register(event)) nua_handle_destroy(event.handle);
}

std::optional<std::string> DeviceRegistrar::authenticate(const NuaEvent& event) {
    return impl_->authenticate(event);
}

std::vector<DeviceContact> DeviceRegistrar::contacts(const std::string& extension) const {
    // Expired phones may linger until the timer runs; they are not offered.
    auto phones = impl_->bindings.of(extension);
    const auto now = Clock::now();
    std::erase_if(phones, [now](const DeviceContact& phone) { return phone.expires <= now; });
    const auto pages = impl_->pages.find(extension);
    if (pages != impl_->pages.end()) phones.insert(phones.begin(), pages->second.rbegin(), pages->second.rend());
    return phones;
}

void DeviceRegistrar::add_page(DeviceContact page) {
    const std::string extension = page.extension;
    const int before = impl_->count(extension);
    auto& pages = impl_->pages[extension];
    std::erase_if(pages, [&](const DeviceContact& known) { return known.contact == page.contact; });
    pages.push_back(std::move(page));
    impl_->changed(extension, before);
}

void DeviceRegistrar::remove_page(const std::string& extension, const std::string& contact) {
    const auto found = impl_->pages.find(extension);
    if (found == impl_->pages.end()) return;
    const int before = impl_->count(extension);
    std::erase_if(found->second, [&](const DeviceContact& known) { return known.contact == contact; });
    if (found->second.empty()) impl_->pages.erase(found);
    impl_->changed(extension, before);
}

void DeviceRegistrar::reconcile() {
    impl_->reconcile();
}

}  // namespace ff::sip
