// Event names shared by every transport.
#include "calls/events.hpp"

namespace ff::calls {

std::string_view event_name(CallEventKind kind) {
    switch (kind) {
        case CallEventKind::created: return "call:new";
        case CallEventKind::ringing: return "call:ringing";
        case CallEventKind::answered: return "call:answered";
        case CallEventKind::held: return "call:held";
        case CallEventKind::unheld: return "call:unheld";
        case CallEventKind::transferred: return "call:transferred";
        case CallEventKind::ended: return "call:ended";
        case CallEventKind::updated: return "call:updated";
    }
    return "call:updated";
}

}  // namespace ff::calls
