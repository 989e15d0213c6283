// Status aggregation: connected means at least one line is registered; registered_users counts them.
#include "sip/lines/line_board.hpp"

#include <algorithm>

namespace ff::sip {

bool same_line_state(const calls::LineState& a, const calls::LineState& b) {
    return a.extension == b.extension && a.username == b.username && a.display_name == b.display_name &&
           a.registered == b.registered && a.device_registered == b.device_registered && a.detail == b.detail;
}

calls::TelephonyStatus LineBoard::status() const {
    calls::TelephonyStatus status;
    status.lines = lines_;
    status.registered_users = static_cast<int>(
        std::count_if(lines_.begin(), lines_.end(), [](const auto& line) { return line.registered; }));
    status.connected = status.registered_users > 0;
    return status;
}

const calls::LineState* LineBoard::find(const std::string& extension) const {
    const auto found = std::find_if(lines_.begin(), lines_.end(), [&](const calls::LineState& line) {
        return line.extension == extension;
    });
    return found == lines_.end() ? nullptr : &*found;
}

LineBoard::Events LineBoard::update(calls::LineState line) {
    const auto found = std::find_if(lines_.begin(), lines_.end(), [&](const calls::LineState& known) {
        return known.extension == line.extension;
    });
    if (found == lines_.end()) {
        lines_.push_back(line);
    } else if (same_line_state(*found, line)) {
        return {};
    } else {
        *found = line;
    }
    return changed(line);
}

LineBoard::Events LineBoard::remove(const std::string& extension) {
    const auto found = std::find_if(lines_.begin(), lines_.end(), [&](const calls::LineState& line) {
        return line.extension == extension;
    });
    if (found == lines_.end()) return {};
    calls::LineState last = *found;
    last.registered = false;
    last.detail = "removed";
    lines_.erase(found);
    return changed(last);
}

LineBoard::Events LineBoard::changed(const calls::LineState& line) {
    Events events;
    const auto now = status();
    events.push_back({calls::TelephonyEvent::Kind::line_changed, now, line});
    if (now.connected != connected_) {
        connected_ = now.connected;
        events.push_back(
            {connected_ ? calls::TelephonyEvent::Kind::connected : calls::TelephonyEvent::Kind::disconnected,
             now,
             {}});
    }
    return events;
}

}  // namespace ff::sip
