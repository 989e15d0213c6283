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

// The owner of a handle binds itself as the handle's magic and receives the handle's events. Before it
// goes away it destroys the handle: the stack delivers nothing for a destroyed handle.
class NuaEventSink {
  public:
    virtual void on_nua_event(const NuaEvent& event) = 0;

  protected:
    ~NuaEventSink() = default;
};

}  // namespace ff::sip
