// An operator's state is worked out from four facts: the choice (available or paused), whether a phone is
// registered, the answered calls not ended, and the end of the wrap-up after the last of them. On a call wins
// over everything; then no phone; then wrap-up; then the choice.
#include "calls/operator_board.hpp"

#include <algorithm>

namespace ff::calls {
namespace {

constexpr std::pair<OperatorState, std::string_view> state_names[] = {
    {OperatorState::available, "available"}, {OperatorState::paused, "paused"}, {OperatorState::wrapup, "wrapup"},
    {OperatorState::oncall, "oncall"},       {OperatorState::offline, "offline"},
};

bool answered(const Call& call) {
    return call.status == CallStatus::answered || call.status == CallStatus::held;
}

}  // namespace

std::string_view to_string(OperatorState state) {
    for (const auto& [known, name] : state_names)
        if (known == state) return name;
    return "offline";
}

std::optional<OperatorState> parse_operator_state(std::string_view text) {
    for (const auto& [known, name] : state_names)
        if (name == text) return known;
    return std::nullopt;
}

OperatorBoard::OperatorBoard(OperatorBoardOptions options, Publish publish)
    : options_(std::move(options)), publish_(std::move(publish)) {}

OperatorState OperatorBoard::state_of(const Operator& op, TimePoint now) const {
    if (!op.calls.empty()) return OperatorState::oncall;
    if (!op.has_phone) return OperatorState::offline;
    if (op.wrapup_until && now < *op.wrapup_until) return OperatorState::wrapup;
    return op.paused ? OperatorState::paused : OperatorState::available;
}

std::optional<OperatorStatus> OperatorBoard::settle(const std::string& extension, Operator& op, TimePoint now) {
    if (op.wrapup_until && now >= *op.wrapup_until) op.wrapup_until.reset();
    OperatorStatus next{extension, state_of(op, now), {}, op.shown.since};
    if (next.state == OperatorState::paused) next.reason = op.reason;
    if (next.state == op.shown.state && next.reason == op.shown.reason && !op.shown.extension.empty())
        return std::nullopt;
    next.since = now;
    op.shown = next;
    return next;
}

void OperatorBoard::on_call(const CallEvent& event, TimePoint now, std::vector<OperatorStatus>& changes) {
    const Call& call = event.call;
    const auto held_by = answered_.find(call.id);
    std::string before = held_by == answered_.end() ? std::string() : held_by->second;
    const bool on_now = call.is_active() && answered(call) && !call.extension.empty();
    if (!before.empty() && (!on_now || before != call.extension)) {
        Operator& op = operators_[before];
        op.calls.erase(call.id);
        answered_.erase(call.id);
        // After-call work follows a call that ended with this operator, not one handed on by a transfer.
        if (op.calls.empty() && options_.wrapup.count() > 0 && !call.is_active())
            op.wrapup_until = now + std::chrono::duration_cast<std::chrono::milliseconds>(options_.wrapup);
        if (auto change = settle(before, op, now)) changes.push_back(*change);
    }
    if (on_now && before != call.extension) {
        Operator& op = operators_[call.extension];
        op.calls.insert(call.id);
        op.wrapup_until.reset();
        answered_[call.id] = call.extension;
        if (auto change = settle(call.extension, op, now)) changes.push_back(*change);
    }
}

void OperatorBoard::on_event(const Event& event, TimePoint now) {
    std::vector<OperatorStatus> changes;
    {
        std::lock_guard lock(mutex_);
        if (const auto* call = std::get_if<CallEvent>(&event)) {
            on_call(*call, now, changes);
        } else if (const auto* telephony = std::get_if<TelephonyEvent>(&event)) {
            std::vector<LineState> lines = telephony->kind == TelephonyEvent::Kind::line_changed
                                               ? std::vector<LineState>{telephony->line}
                                               : telephony->status.lines;
            for (const auto& line : lines) {
                if (line.extension.empty()) continue;
                Operator& op = operators_[line.extension];
                op.has_phone = line.device_registered;
                if (auto change = settle(line.extension, op, now)) changes.push_back(*change);
            }
        }
    }
    for (const auto& change : changes) publish_(change);
}

Result<OperatorStatus> OperatorBoard::choose(const std::string& extension, OperatorState wanted,
                                             const std::string& reason, TimePoint now) {
    if (wanted != OperatorState::available && wanted != OperatorState::paused)
        return make_error(ErrorCode::invalid_argument,
                          "status must be available or paused; " + std::string(to_string(wanted)) +
                              " follows from the calls and the phones");
    if (wanted == OperatorState::paused) {
        const auto reasons = pause_reasons();
        if (std::find(reasons.begin(), reasons.end(), reason) == reasons.end()) {
            std::string known;
            for (const auto& one : reasons) known += (known.empty() ? "" : ", ") + one;
            return make_error(ErrorCode::invalid_argument,
                              "reason must be one of the pause reasons (" + known + "); got \"" + reason + "\"");
        }
    }
    std::optional<OperatorStatus> change;
    OperatorStatus now_shown;
    {
        std::lock_guard lock(mutex_);
        Operator& op = operators_[extension];
        op.paused = wanted == OperatorState::paused;
        op.reason = op.paused ? reason : std::string();
        // Choosing available ends the wrap-up early: the operator is ready.
        if (!op.paused) op.wrapup_until.reset();
        change = settle(extension, op, now);
        now_shown = op.shown;
    }
    if (change) publish_(*change);
    return now_shown;
}

std::optional<TimePoint> OperatorBoard::tick(TimePoint now) {
    std::vector<OperatorStatus> changes;
    std::optional<TimePoint> next;
    {
        std::lock_guard lock(mutex_);
        for (auto& [extension, op] : operators_) {
            if (!op.wrapup_until) continue;
            if (auto change = settle(extension, op, now)) changes.push_back(*change);
            if (op.wrapup_until) next = next ? std::min(*next, *op.wrapup_until) : *op.wrapup_until;
        }
    }
    for (const auto& change : changes) publish_(change);
    return next;
}

std::vector<OperatorStatus> OperatorBoard::all() const {
    std::lock_guard lock(mutex_);
    std::vector<OperatorStatus> statuses;
    for (const auto& [extension, op] : operators_) {
        OperatorStatus shown = op.shown;
        shown.extension = extension;
        statuses.push_back(shown);
    }
    return statuses;
}

OperatorStatus OperatorBoard::of(const std::string& extension) const {
    std::lock_guard lock(mutex_);
    const auto found = operators_.find(extension);
    if (found == operators_.end()) return OperatorStatus{extension, OperatorState::offline, {}, {}};
    OperatorStatus shown = found->second.shown;
    shown.extension = extension;
    return shown;
}

std::vector<std::string> OperatorBoard::pause_reasons() const {
    std::lock_guard lock(mutex_);
    return options_.pause_reasons;
}

void OperatorBoard::set_pause_reasons(std::vector<std::string> reasons) {
    std::lock_guard lock(mutex_);
    options_.pause_reasons = std::move(reasons);
}

bool OperatorBoard::refuses_calls(const std::string& extension) const {
    return options_.busy_when.contains(of(extension).state);
}

}  // namespace ff::calls
