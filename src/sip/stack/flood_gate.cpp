// The source address as the transport saw it, the PBX's addresses looked up now and then (a name may
// move), and the 503 itself.
#include "sip/stack/flood_gate.hpp"

#include <netdb.h>
#include <sofia-sip/msg_addr.h>
#include <sofia-sip/nua_tag.h>
#include <sofia-sip/sip_tag.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "sip/stack/address_info.hpp"

namespace ff::sip {
namespace {

// A PBX given by name is looked up again at most this often, besides every settings change.
constexpr std::chrono::seconds pbx_lookup_interval{60};

std::string numeric_host(const sockaddr* address, socklen_t length) {
    char host[NI_MAXHOST];
    if (getnameinfo(address, length, host, sizeof host, nullptr, 0, NI_NUMERICHOST) != 0) return {};
    return host;
}

std::string source_address(nua_t* nua) {
    msg_t* request = nua_current_request(nua);
    su_addrinfo_t* info = request != nullptr ? msg_addrinfo(request) : nullptr;
    if (info == nullptr || info->ai_addr == nullptr) return {};
    return numeric_host(reinterpret_cast<const sockaddr*>(info->ai_addr),
                        static_cast<socklen_t>(info->ai_addrlen));
}

// The addresses of `hosts`; with `numeric_only`, nothing is looked up and a name gives none.
std::vector<std::string> addresses_of(const std::vector<std::string>& hosts, bool numeric_only) {
    std::vector<std::string> addresses;
    for (const auto& host : hosts) {
        if (host.empty()) continue;
        addrinfo hints{};
        hints.ai_socktype = SOCK_DGRAM;
        if (numeric_only) hints.ai_flags = AI_NUMERICHOST;
        addrinfo* found = nullptr;
        if (getaddrinfo(host.c_str(), nullptr, &hints, &found) != 0) continue;
        const AddressInfo owned(found);
        for (const addrinfo* entry = found; entry != nullptr; entry = entry->ai_next) {
            auto text = numeric_host(entry->ai_addr, entry->ai_addrlen);
            if (!text.empty() && std::find(addresses.begin(), addresses.end(), text) == addresses.end())
                addresses.push_back(std::move(text));
        }
    }
    return addresses;
}

}  // namespace

FloodGate::FloodGate(nua_t* nua, FloodPolicy policy, PbxHosts pbx_hosts)
    : nua_(nua), limit_(policy), pbx_hosts_(std::move(pbx_hosts)) {
    refresh();
}

void FloodGate::refresh() {
    if (!limit_.enabled()) return;
    refreshed_ = FloodLimit::Clock::now();
    const auto hosts = pbx_hosts_();
    const auto named =
        std::count_if(hosts.begin(), hosts.end(), [](const auto& host) { return !host.empty(); });
    auto numeric = addresses_of(hosts, /*numeric_only=*/true);
    if (static_cast<std::ptrdiff_t>(numeric.size()) >= named) {
        trust(numeric, named > 0);
        return;
    }
    if (lookup_.valid()) return;  // one lookup at a time; the next refresh asks again
    lookup_names_pbx_ = named > 0;
    lookup_ = std::async(std::launch::async, [hosts] { return addresses_of(hosts, /*numeric_only=*/false); });
}

void FloodGate::take_lookup() {
    if (!lookup_.valid() || lookup_.wait_for(std::chrono::seconds(0)) != std::future_status::ready) return;
    trust(lookup_.get(), lookup_names_pbx_);
}

void FloodGate::trust(const std::vector<std::string>& addresses, bool names_pbx) {
    // A name that does not resolve right now keeps the addresses it had.
    if (addresses.empty() && names_pbx && trusted_before_) return;
    trusted_before_ = true;
    limit_.trust(addresses);
}

bool FloodGate::admit(const NuaEvent& event) {
    if (!limit_.enabled()) return true;
    take_lookup();
    const auto now = FloodLimit::Clock::now();
    if (now - refreshed_ >= pbx_lookup_interval) refresh();
    const auto address = source_address(nua_);
    if (address.empty()) return true;
    const auto verdict = limit_.admit(address, now);
    if (verdict.refused_before > 0) {
        spdlog::info("SIP: {} is served again; {} of its requests were refused", address,
                     verdict.refused_before);
    }
    if (verdict.admitted) return true;
    if (verdict.first_refusal) {
        spdlog::warn(
            "SIP: {} sends more than {} new requests a second (bursts of {}): answered 503 until it "
            "slows down (SIP_RATE_LIMIT_PER_SOURCE, SIP_RATE_LIMIT_BURST)",
            address, limit_.policy().per_second, limit_.policy().burst);
    }
    const auto retry_after = std::to_string(verdict.retry_after.count());
    nua_respond(event.handle, 503, "Service Unavailable", SIPTAG_RETRY_AFTER_STR(retry_after.c_str()),
                NUTAG_WITH_THIS(nua_), TAG_END());
    return false;
}

}  // namespace ff::sip
