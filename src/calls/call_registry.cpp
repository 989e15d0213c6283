// Events are published while the table is locked so that every subscriber sees them in order.
#include "calls/call_registry.hpp"

#include <algorithm>
#include <array>
#include <random>
#include <type_traits>

namespace ff::calls {
namespace {

CallEventKind event_of(const Transition& change, const Call& after) {
    return std::visit(
        [&after](const auto& event) {
            using T = std::decay_t<decltype(event)>;
            if constexpr (std::is_same_v<T, transition::Ringing>) return CallEventKind::ringing;
            if constexpr (std::is_same_v<T, transition::Answered>) return CallEventKind::answered;
            if constexpr (std::is_same_v<T, transition::Held>) return CallEventKind::held;
            if constexpr (std::is_same_v<T, transition::Unheld>) return CallEventKind::unheld;
            if constexpr (std::is_same_v<T, transition::TransferStarted>) return CallEventKind::transferred;
            // For the operator it was moved to, a re-offered call is a new call.
            if constexpr (std::is_same_v<T, transition::Reoffered>) return CallEventKind::created;
            if constexpr (std::is_same_v<T, transition::Offered>) return CallEventKind::created;
            if constexpr (std::is_same_v<T, transition::TransferFailed>) return CallEventKind::updated;
            if constexpr (std::is_same_v<T, transition::ConsultStarted>) return CallEventKind::transferred;
            if constexpr (std::is_same_v<T, transition::ConsultAnswered>) return CallEventKind::updated;
            if constexpr (std::is_same_v<T, transition::RecordingSwitched>) return CallEventKind::updated;
            if constexpr (std::is_same_v<T, transition::KeyPressed>) return CallEventKind::updated;
            if constexpr (std::is_same_v<T, transition::Ended>) return CallEventKind::ended;
            (void)after;
        },
        change);
}

}  // namespace

std::string new_uuid() {
    thread_local std::mt19937_64 generator{std::random_device{}()};
    std::array<unsigned char, 16> bytes{};
    for (std::size_t i = 0; i < bytes.size(); i += 8) {
        const std::uint64_t chunk = generator();
        for (std::size_t j = 0; j < 8; ++j) bytes[i + j] = static_cast<unsigned char>(chunk >> (8 * j));
    }
    bytes[6] = static_cast<unsigned char>((bytes[6] & 0x0F) | 0x40);  // version 4
    bytes[8] = static_cast<unsigned char>((bytes[8] & 0x3F) | 0x80);  // RFC 4122 variant
    static constexpr char hex[] = "0123456789abcdef";
    std::string text;
    text.reserve(36);
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) text.push_back('-');
        text.push_back(hex[bytes[i] >> 4]);
        text.push_back(hex[bytes[i] & 0x0F]);
    }
    return text;
}

Result<Call> CallRegistry::create(Call call) {
    if (call.id.empty()) call.id = new_uuid();
    if (call.start_time == TimePoint{}) call.start_time = now_ms();
    call.status = CallStatus::ringing;
    call.end_reason = EndReason::none;
    call.current_turn();  // the first operator's turn, from the start
    std::lock_guard lock(mutex_);
    if (calls_.contains(call.id)) return make_error(ErrorCode::conflict, "call " + call.id + " already exists");
    calls_.emplace(call.id, call);
    return publish_locked(CallEventKind::created, call);
}

Result<Call> CallRegistry::apply(const std::string& call_id, const Transition& change) {
    std::lock_guard lock(mutex_);
    const auto found = calls_.find(call_id);
    if (found == calls_.end()) return make_error(ErrorCode::not_found, "no active call " + call_id);
    Call next = found->second;
    const std::string previous_extension = next.extension;
    const std::vector<std::string> offered_before = next.offered_to;
    if (auto status = apply_transition(next, change); !status) return status.error();
    const CallEventKind kind = event_of(change, next);
    if (next.status == CallStatus::ended) {
        calls_.erase(found);
    } else {
        found->second = next;
    }
    const bool moved = std::holds_alternative<transition::Reoffered>(change) ||
                       (std::holds_alternative<transition::Offered>(change) && previous_extension != next.extension);
    return publish_locked(kind, next, moved ? previous_extension : std::string{}, offered_before);
}

Result<Call> CallRegistry::update(const std::string& call_id, const std::function<void(Call&)>& change) {
    std::lock_guard lock(mutex_);
    const auto found = calls_.find(call_id);
    if (found == calls_.end()) return make_error(ErrorCode::not_found, "no active call " + call_id);
    Call next = found->second;
    change(next);
    next.id = found->second.id;  // the id and the state are not the caller's to change here
    next.status = found->second.status;
    found->second = next;
    return publish_locked(CallEventKind::updated, next);
}

Result<Call> CallRegistry::publish_locked(CallEventKind kind, const Call& call, std::string previous_extension,
                                          std::vector<std::string> offered_before) {
    ++version_;
    bus_.publish(CallEvent{kind, call, std::move(previous_extension), std::move(offered_before)});
    return call;
}

std::optional<Call> CallRegistry::find(const std::string& call_id) const {
    std::lock_guard lock(mutex_);
    const auto found = calls_.find(call_id);
    if (found == calls_.end()) return std::nullopt;
    return found->second;
}

std::optional<Call> CallRegistry::find_by_sip_call_id(const std::string& sip_call_id) const {
    std::lock_guard lock(mutex_);
    for (const auto& [id, call] : calls_) {
        if (call.sip_call_id == sip_call_id) return call;
    }
    return std::nullopt;
}

std::vector<Call> CallRegistry::active() const {
    std::vector<Call> result;
    {
        std::lock_guard lock(mutex_);
        result.reserve(calls_.size());
        for (const auto& [id, call] : calls_) result.push_back(call);
    }
    std::stable_sort(result.begin(), result.end(),
                     [](const Call& a, const Call& b) { return a.start_time < b.start_time; });
    return result;
}

std::size_t CallRegistry::size() const {
    std::lock_guard lock(mutex_);
    return calls_.size();
}

std::uint64_t CallRegistry::version() const {
    std::lock_guard lock(mutex_);
    return version_;
}

}  // namespace ff::calls
