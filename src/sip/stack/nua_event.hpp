// One event from the Sofia NUA layer, and the interface of whoever owns the handle it is about.
#pragma once

#include <sofia-sip/nua.h>
#include <sofia-sip/sip.h>

namespace ff::sip {

// Valid only during the callback: `sip` and `tags` belong to the stack.
struct NuaEvent {
    nua_event_t event;
    int status;
    const char* phrase;
    nua_handle_t* handle;
    const sip_t* sip;
    tagi_t* tags;
};

// Sofia marks the responses it makes up itself (timeouts, transport errors) with this message flag
// (NTA_INTERNAL_MSG of its nta_internal.h; the 1.12 ABI is frozen).
inline constexpr int stack_made_response = 1 << 15;

// True when the peer itself answered, false when the stack answers for it (nothing came back).
inline bool answered_by_peer(const NuaEvent& event) {
    return event.sip != nullptr && event.sip->sip_status != nullptr &&
           (event.sip->sip_flags & stack_made_response) == 0;
}

inline bool is_success(int status) {
    return status >= 200 && status < 300;
}

// Outbound's self-validation and keep-alive send OPTIONS to our own address of record through the PBX;
// whether the PBX routes those is not ours to assume, and the refresh already proves the registration.
inline constexpr const char* outbound_options = "no-validate, no-options-keepalive";

// The owner of a handle binds itself as the handle's magic and receives the handle's events. Before it
// goes away it destroys the handle: the stack delivers nothing for a destroyed handle.
class NuaEventSink {
  public:
    virtual void on_nua_event(const NuaEvent& event) = 0;

  protected:
    ~NuaEventSink() = default;
};

}  // namespace ff::sip
