#include "sip/stack/sip_headers.hpp"

#include <sofia-sip/sip_protos.h>
#include <sofia-sip/su_alloc.h>
#include <strings.h>

#include <memory>

namespace ff::sip {

std::string unknown_header(const sip_t* sip, const char* name) {
    if (sip == nullptr) return {};
    for (const sip_unknown_t* header = sip->sip_unknown; header != nullptr; header = header->un_next) {
        if (header->un_name != nullptr && ::strcasecmp(header->un_name, name) == 0 && header->un_value != nullptr)
            return header->un_value;
    }
    return {};
}

std::string first_address_user(const std::string& value) {
    // The list's first entry: up to a comma outside <…> and "…" (a display name or a URI may hold one).
    std::size_t end = 0;
    bool quoted = false;
    int angle = 0;
    for (; end < value.size(); ++end) {
        const char c = value[end];
        if (c == '"' && (end == 0 || value[end - 1] != '\\')) quoted = !quoted;
        if (quoted) continue;
        if (c == '<') ++angle;
        if (c == '>' && angle > 0) --angle;
        if (c == ',' && angle == 0) break;
    }
    const std::string entry = value.substr(0, end);
    if (entry.find_first_not_of(" \t") == std::string::npos) return {};
    // Sofia's To parser reads any name-addr with its parameters.
    su_home_t home[1] = {SU_HOME_INIT(home)};
    std::string user;
    if (const sip_to_t* address = sip_to_make(home, entry.c_str());
        address != nullptr && address->a_url->url_user != nullptr)
        user = address->a_url->url_user;
    su_home_deinit(home);
    return user;
}

}  // namespace ff::sip
