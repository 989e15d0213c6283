// The state of every line, and the events each change of it means (line:state, sip:connected,
// sip:disconnected).
#pragma once

#include <string>
#include <vector>

#include "calls/events.hpp"
#include "calls/telephony_status.hpp"

namespace ff::sip {

// Owned by the SIP thread; the engine copies status() into the snapshot other threads read.
class LineBoard {
  public:
    using Events = std::vector<calls::TelephonyEvent>;

    // Sets one line (a new extension goes last). Nothing changed: no events. Otherwise line_changed,
    // then connected / disconnected when "at least one line registered" flips.
    Events update(calls::LineState line);
    // Drops a line; it is reported once more, unregistered with the detail "removed".
    Events remove(const std::string& extension);

    calls::TelephonyStatus status() const;
    const calls::LineState* find(const std::string& extension) const;

  private:
    Events changed(const calls::LineState& line);

    std::vector<calls::LineState> lines_;
    bool connected_ = false;
};

// Every field equal: an update that changes nothing is not reported.
bool same_line_state(const calls::LineState& a, const calls::LineState& b);

}  // namespace ff::sip
