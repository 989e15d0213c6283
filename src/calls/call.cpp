// Names of the call enums as the API and the call log spell them.
#include "calls/call.hpp"

#include <array>
#include <utility>

namespace ff::calls {
namespace {

template <class Enum, std::size_t N>
std::optional<Enum> find_by_name(const std::array<std::pair<Enum, std::string_view>, N>& names, std::string_view text) {
    for (const auto& [value, name] : names) {
        if (name == text) return value;
    }
    return std::nullopt;
}

template <class Enum, std::size_t N>
std::string_view name_of(const std::array<std::pair<Enum, std::string_view>, N>& names, Enum value) {
    for (const auto& [candidate, name] : names) {
        if (candidate == value) return name;
    }
    return "unknown";
}

constexpr std::array<std::pair<CallStatus, std::string_view>, 5> status_names{{
    {CallStatus::ringing, "ringing"},
    {CallStatus::answered, "answered"},
    {CallStatus::held, "held"},
    {CallStatus::transferred, "transferred"},
    {CallStatus::ended, "ended"},
}};

constexpr std::array<std::pair<EndReason, std::string_view>, 8> reason_names{{
    {EndReason::none, ""},
    {EndReason::completed, "completed"},
    {EndReason::missed, "missed"},
    {EndReason::busy, "busy"},
    {EndReason::rejected, "rejected"},
    {EndReason::failed, "failed"},
    {EndReason::cancelled, "cancelled"},
    {EndReason::transferred, "transferred"},
}};

constexpr std::array<std::pair<Direction, std::string_view>, 2> direction_names{{
    {Direction::inbound, "inbound"},
    {Direction::outbound, "outbound"},
}};

constexpr std::array<std::pair<RecordingStatus, std::string_view>, 5> recording_status_names{{
    {RecordingStatus::recording, "recording"},
    {RecordingStatus::paused, "paused"},
    {RecordingStatus::processing, "processing"},
    {RecordingStatus::ready, "ready"},
    {RecordingStatus::failed, "failed"},
}};

}  // namespace

std::string_view to_string(RecordingStatus status) { return name_of(recording_status_names, status); }
std::optional<RecordingStatus> parse_recording_status(std::string_view text) {
    return find_by_name(recording_status_names, text);
}
std::string_view to_string(CallStatus status) { return name_of(status_names, status); }
std::string_view to_string(EndReason reason) { return name_of(reason_names, reason); }
std::string_view to_string(Direction direction) { return name_of(direction_names, direction); }
std::optional<CallStatus> parse_call_status(std::string_view text) { return find_by_name(status_names, text); }
std::optional<EndReason> parse_end_reason(std::string_view text) { return find_by_name(reason_names, text); }
std::optional<Direction> parse_direction(std::string_view text) { return find_by_name(direction_names, text); }

namespace {
std::int64_t whole_seconds_between(std::optional<TimePoint> from, TimePoint until) {
    if (!from || until <= *from) return 0;
    return std::chrono::duration_cast<std::chrono::seconds>(until - *from).count();
}
}  // namespace

std::int64_t Call::talk_seconds(TimePoint at) const {
    return whole_seconds_between(answer_time, end_time.value_or(at));
}

std::int64_t OperatorTurn::talk_seconds(TimePoint at) const {
    return whole_seconds_between(answered_at, until.value_or(at));
}

OperatorTurn* Call::current_turn() {
    if (operators.empty()) {
        if (extension.empty()) return nullptr;
        operators.push_back(OperatorTurn{extension, start_time, answer_time, end_time, {}});
    }
    return &operators.back();
}

void MediaReport::assess(bool answered) {
    const bool customer_silent = customer_to_operator.packets == 0;
    const bool operator_silent = operator_to_customer.packets == 0;
    one_way = answered && customer_silent != operator_silent;
    no_audio = answered && customer_silent && operator_silent;
}

}  // namespace ff::calls
