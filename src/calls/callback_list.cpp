#include "calls/callback_list.hpp"

#include <algorithm>
#include <map>

namespace ff::calls {

bool CallbackContact::unanswered() const {
    return direction == Direction::inbound && !answered && ended && end_reason != EndReason::none &&
           end_reason != EndReason::transferred;
}

std::string_view to_string(CallbackStatus status) {
    switch (status) {
        case CallbackStatus::waiting: return "waiting";
        case CallbackStatus::called_back: return "calledBack";
        case CallbackStatus::called_again: return "calledAgain";
    }
    return "waiting";
}

std::optional<CallbackStatus> parse_callback_status(std::string_view text) {
    for (const auto status : {CallbackStatus::waiting, CallbackStatus::called_back, CallbackStatus::called_again}) {
        if (text == to_string(status)) return status;
    }
    return std::nullopt;
}

bool is_internal_number(std::string_view phone) {
    return !phone.starts_with('+') && phone.size() <= 6;
}

namespace {

// When a contact counts: an unanswered call once it ended, an answered one from its answer.
TimePoint moment(const CallbackContact& contact) {
    return contact.connected() ? *contact.answered : *contact.ended;
}

}  // namespace

std::vector<Callback> build_callbacks(std::vector<CallbackContact> contacts) {
    std::erase_if(contacts, [](const CallbackContact& contact) {
        return is_internal_number(contact.phone) || !(contact.connected() || contact.unanswered());
    });
    std::stable_sort(contacts.begin(), contacts.end(),
                     [](const CallbackContact& a, const CallbackContact& b) { return moment(a) < moment(b); });

    std::vector<Callback> done;
    std::map<std::string, Callback> open;  // by number: the run of unanswered calls not yet connected
    for (const auto& contact : contacts) {
        auto found = open.find(contact.phone);
        if (contact.connected()) {
            if (found == open.end()) continue;
            Callback entry = std::move(found->second);
            open.erase(found);
            entry.status = contact.direction == Direction::outbound ? CallbackStatus::called_back
                                                                    : CallbackStatus::called_again;
            entry.resolved_at = contact.answered;
            entry.resolved_by = contact.extension;
            entry.resolved_call_id = contact.call_id;
            done.push_back(std::move(entry));
            continue;
        }
        if (found == open.end()) {
            Callback entry;
            entry.phone = contact.phone;
            entry.first_missed = moment(contact);
            found = open.emplace(contact.phone, std::move(entry)).first;
        }
        Callback& entry = found->second;
        ++entry.attempts;
        entry.last_missed = moment(contact);
        entry.last_call_id = contact.call_id;
        entry.last_reason = contact.end_reason;
        if (contact.customer) entry.customer = contact.customer;
    }
    for (auto& [phone, entry] : open) done.push_back(std::move(entry));
    std::stable_sort(done.begin(), done.end(),
                     [](const Callback& a, const Callback& b) { return a.first_missed < b.first_missed; });
    return done;
}

CallbackStats summarize_callbacks(const std::vector<Callback>& callbacks, TimePoint from, TimePoint until) {
    CallbackStats stats;
    std::vector<double> waits;
    for (const auto& entry : callbacks) {
        if (entry.first_missed < from || entry.first_missed >= until) continue;
        ++stats.missed_callers;
        switch (entry.status) {
            case CallbackStatus::waiting:
                ++stats.waiting;
                if (!stats.oldest_waiting || entry.first_missed < *stats.oldest_waiting)
                    stats.oldest_waiting = entry.first_missed;
                break;
            case CallbackStatus::called_back:
                ++stats.called_back;
                waits.push_back(std::chrono::duration<double>(*entry.resolved_at - entry.first_missed).count());
                break;
            case CallbackStatus::called_again: ++stats.called_again; break;
        }
    }
    if (!waits.empty()) {
        std::sort(waits.begin(), waits.end());
        const auto middle = waits.size() / 2;
        stats.median_seconds_to_call_back =
            waits.size() % 2 == 1 ? waits[middle] : (waits[middle - 1] + waits[middle]) / 2;
    }
    return stats;
}

}  // namespace ff::calls
