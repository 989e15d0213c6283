// Pages become registrar contacts; the INVITEs to those contacts become page legs.
#include "sip/browser/browser_phones.hpp"

#include <sofia-sip/sip_status.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <string_view>

#include "calls/call_registry.hpp"

namespace ff::sip {
namespace {

constexpr std::string_view page_user_prefix = "page-";
constexpr su_duration_t sweep_interval_ms = 1000;

// The device a Request-URI names ("sip:page-<id>@..."), empty when it names none.
std::string device_named(const sip_t* invite) {
    if (invite == nullptr || invite->sip_request == nullptr || invite->sip_request->rq_url->url_user == nullptr)
        return {};
    const std::string_view user = invite->sip_request->rq_url->url_user;
    if (user.substr(0, page_user_prefix.size()) != page_user_prefix) return {};
    return std::string(user.substr(page_user_prefix.size()));
}

std::string compact_uuid() {
    std::string id = calls::new_uuid();
    std::erase(id, '-');
    return id;
}

}  // namespace

BrowserPhoneSet::BrowserPhoneSet(nua_t* nua, su_root_t* root, DeviceRegistrar& registrar, PageLegContext legs,
                                 BrowserPhoneOptions options)
    : nua_(nua), registrar_(registrar), leg_context_(std::move(legs)), options_(std::move(options)) {
    leg_context_.nua = nua_;
    sweep_timer_ = su_timer_create(su_root_task(root), sweep_interval_ms);
    arm_sweep();
}

BrowserPhoneSet::~BrowserPhoneSet() {
    if (sweep_timer_ != nullptr) su_timer_destroy(sweep_timer_);
}

bool BrowserPhoneSet::claims(const sip_t* invite) const {
    const std::string device = device_named(invite);
    return !device.empty() && devices_.contains(device);
}

void BrowserPhoneSet::on_invite(const NuaEvent& event) {
    const auto found = devices_.find(device_named(event.sip));
    if (found == devices_.end() || !found->second.present || leg_context_.anchor == nullptr) {
        nua_respond(event.handle, SIP_480_TEMPORARILY_UNAVAILABLE, TAG_END());
        return;
    }
    const std::string id = compact_uuid();
    legs_[id] = std::make_unique<PageLeg>(leg_context_, event.handle, event.sip, found->first, id);
    spdlog::info("browser phone {} of extension {} rings (leg {})", found->first, found->second.extension, id);
}

calls::Result<calls::PhoneDevice> BrowserPhoneSet::attach(const std::string& extension, const std::string& rejoin) {
    if (leg_context_.anchor == nullptr)
        return calls::make_error(calls::ErrorCode::unavailable,
                                 "the browser phone needs the service to carry the audio (MEDIA=rtpengine): the "
                                 "page's WebRTC reaches the PBX through rtpengine");
    auto found = devices_.find(rejoin);
    if (found == devices_.end() || found->second.extension != extension) {
        Device device;
        device.id = compact_uuid();
        device.extension = extension;
        device.contact = "sip:" + std::string(page_user_prefix) + device.id + "@" + options_.own_host;
        found = devices_.emplace(device.id, std::move(device)).first;
    } else {
        spdlog::info("browser phone {} of extension {} is back", found->first, extension);
        for (auto& [id, leg] : legs_) {
            if (leg->device() == found->first) leg->rejoin(found->first);
        }
    }
    Device& device = found->second;
    device.present = true;
    DeviceContact contact;
    contact.extension = extension;
    contact.contact = device.contact;
    contact.uri = device.contact;
    contact.source = "console page";
    contact.user_agent = browser_phone_agent;
    contact.registered = std::chrono::steady_clock::now();
    contact.expires = std::chrono::steady_clock::time_point::max();
    registrar_.add_page(std::move(contact));
    return calls::PhoneDevice{device.id, extension, {}};  // the engine adds the ICE servers
}

void BrowserPhoneSet::detach(const std::string& device, bool keep_calls) {
    const auto found = devices_.find(device);
    if (found == devices_.end()) return;
    registrar_.remove_page(found->second.extension, found->second.contact);
    for (auto& [id, leg] : legs_) {
        if (leg->device() == device && (!keep_calls || !leg->answered())) leg->page_lost();
    }
    if (!keep_calls) {
        devices_.erase(found);
        return;
    }
    found->second.present = false;
    found->second.away_since = std::chrono::steady_clock::now();
}

PageLeg* BrowserPhoneSet::find_leg(const std::string& device, const std::string& leg) {
    const auto found = legs_.find(leg);
    if (found == legs_.end() || found->second->device() != device) return nullptr;
    return found->second.get();
}

void BrowserPhoneSet::page_sdp(const std::string& device, const std::string& leg, const std::string& sdp) {
    if (auto* found = find_leg(device, leg)) found->page_sdp(sdp);
}

void BrowserPhoneSet::page_hang_up(const std::string& device, const std::string& leg) {
    if (auto* found = find_leg(device, leg)) found->page_hang_up();
}

std::string BrowserPhoneSet::contact_of(const std::string& device) const {
    const auto found = devices_.find(device);
    return found == devices_.end() || !found->second.present ? std::string() : found->second.contact;
}

void BrowserPhoneSet::close() {
    for (auto& [id, leg] : legs_) leg->page_lost();
    for (const auto& [id, device] : devices_) registrar_.remove_page(device.extension, device.contact);
    devices_.clear();
}

void BrowserPhoneSet::sweep() {
    std::erase_if(legs_, [](const auto& entry) { return entry.second->finished(); });
    const auto now = std::chrono::steady_clock::now();
    std::vector<std::string> gone;
    for (const auto& [id, device] : devices_) {
        if (!device.present && now - device.away_since >= options_.rejoin_grace) gone.push_back(id);
    }
    for (const auto& id : gone) {
        spdlog::info("browser phone {}: its page did not come back within {} s; its calls end", id,
                     options_.rejoin_grace.count());
        detach(id, false);
    }
}

// Armed again after each sweep rather than run for ever: a process stopped for a while (SIGSTOP, a loaded
// machine) does not come back to a burst of sweeps to catch up.
void BrowserPhoneSet::arm_sweep() {
    if (sweep_timer_ != nullptr) su_timer_set(sweep_timer_, &BrowserPhoneSet::sweep_fired, this);
}

void BrowserPhoneSet::sweep_fired(su_root_magic_t*, su_timer_t*, su_timer_arg_t* arg) {
    auto* self = static_cast<BrowserPhoneSet*>(arg);
    self->sweep();
    self->arm_sweep();
}

}  // namespace ff::sip
