#include "sip/stack/status_phrase.hpp"

#include <sofia-sip/sip_status.h>

namespace ff::sip {

const char* static_phrase(int status) {
    if (const char* known = sip_status_phrase(status); known != nullptr) return known;
    switch (status / 100) {
        case 1: return "Trying";
        case 2: return "OK";
        case 3: return "Redirected";
        case 4: return "Request Failed";
        case 5: return "Server Error";
        default: return "Global Failure";
    }
}

}  // namespace ff::sip
