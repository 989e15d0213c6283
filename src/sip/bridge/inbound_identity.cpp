#include "sip/bridge/inbound_identity.hpp"

#include <sofia-sip/sip_extra.h>

#include <algorithm>

#include "sip/stack/sip_headers.hpp"

namespace ff::sip {
namespace {

constexpr std::size_t longest_ivr_choice = 32;

std::string user_of(const url_t* url) {
    return url != nullptr && url->url_user != nullptr ? url->url_user : "";
}

std::string dialled_from(const sip_t* invite, const std::string& source) {
    if (source == "pcpid") return first_address_user(unknown_header(invite, "P-Called-Party-ID"));
    if (source == "diversion") return first_address_user(unknown_header(invite, "Diversion"));
    if (source == "history") return first_address_user(unknown_header(invite, "History-Info"));
    if (source == "to") return invite->sip_to != nullptr ? user_of(invite->sip_to->a_url) : "";
    if (source == "ruri") return invite->sip_request != nullptr ? user_of(invite->sip_request->rq_url) : "";
    return {};
}

}  // namespace

std::string caller_number(const sip_t* invite, const std::vector<std::string>& order) {
    for (const auto& source : order) {
        std::string user;
        if (source == "pai") {
            if (const auto* asserted = sip_p_asserted_identity(invite)) user = user_of(asserted->paid_url);
        } else if (source == "rpid") {
            if (const auto* party = sip_remote_party_id(invite)) user = user_of(party->rpid_url);
        } else if (invite->sip_from != nullptr) {
            user = user_of(invite->sip_from->a_url);
        }
        if (!user.empty()) return user;
    }
    return "anonymous";
}

std::string dialled_number(const sip_t* invite, const std::vector<std::string>& order,
                           const std::vector<std::string>& line_numbers) {
    for (const auto& source : order) {
        std::string user = dialled_from(invite, source);
        if (!user.empty() && std::find(line_numbers.begin(), line_numbers.end(), user) == line_numbers.end())
            return user;
    }
    return {};
}

std::string ivr_choice(const sip_t* invite, const std::string& header) {
    if (header.empty()) return {};
    std::string value = unknown_header(invite, header.c_str());
    const auto first = value.find_first_not_of(" \t");
    if (first == std::string::npos) return {};
    value = value.substr(first, value.find_last_not_of(" \t") - first + 1);
    if (value.size() > longest_ivr_choice) return {};
    if (std::any_of(value.begin(), value.end(), [](unsigned char c) { return c < 0x20 || c == 0x7f; })) return {};
    return value;
}

}  // namespace ff::sip
