// A call known nowhere goes to the local engine, whose "no such call" answer the API shows as it always did.
#include "cluster/routed_call_control.hpp"

#include <algorithm>

namespace ff::cluster {

std::optional<std::string> RoutedCallControl::remote_owner(const std::string& call_id) const {
    if (registry_.find(call_id)) return std::nullopt;
    if (auto owned = node_.remote().find(call_id)) return owned->owner;
    return std::nullopt;
}

void RoutedCallControl::forward(const std::string& owner, ControlRequest::Action action, std::string call_id,
                                std::string target, Completion done) {
    ControlRequest request;
    request.action = action;
    request.call_id = std::move(call_id);
    request.target = std::move(target);
    node_.forward(owner, std::move(request), std::move(done));
}

void RoutedCallControl::dial(calls::DialRequest request, Completion done) {
    const auto here = local_.status();
    const bool phone_here = std::any_of(here.lines.begin(), here.lines.end(), [&request](const calls::LineState& line) {
        return line.extension == request.extension && line.device_registered;
    });
    if (!phone_here) {
        if (const auto owner = node_.remote().instance_with_phone(request.extension)) {
            ControlRequest forwarded;
            forwarded.action = ControlRequest::Action::dial;
            forwarded.dial = std::move(request);
            node_.forward(*owner, std::move(forwarded), std::move(done));
            return;
        }
    }
    local_.dial(std::move(request), std::move(done));
}

void RoutedCallControl::answer(std::string call_id, Completion done) {
    if (const auto owner = remote_owner(call_id))
        return forward(*owner, ControlRequest::Action::answer, std::move(call_id), {}, std::move(done));
    local_.answer(std::move(call_id), std::move(done));
}

void RoutedCallControl::hangup(std::string call_id, Completion done) {
    if (const auto owner = remote_owner(call_id))
        return forward(*owner, ControlRequest::Action::hangup, std::move(call_id), {}, std::move(done));
    local_.hangup(std::move(call_id), std::move(done));
}

void RoutedCallControl::hold(std::string call_id, Completion done) {
    if (const auto owner = remote_owner(call_id))
        return forward(*owner, ControlRequest::Action::hold, std::move(call_id), {}, std::move(done));
    local_.hold(std::move(call_id), std::move(done));
}

void RoutedCallControl::unhold(std::string call_id, Completion done) {
    if (const auto owner = remote_owner(call_id))
        return forward(*owner, ControlRequest::Action::unhold, std::move(call_id), {}, std::move(done));
    local_.unhold(std::move(call_id), std::move(done));
}

void RoutedCallControl::transfer(std::string call_id, std::string target, Completion done) {
    if (const auto owner = remote_owner(call_id))
        return forward(*owner, ControlRequest::Action::transfer, std::move(call_id), std::move(target), std::move(done));
    local_.transfer(std::move(call_id), std::move(target), std::move(done));
}

void RoutedCallControl::consult(std::string call_id, std::string target, Completion done) {
    if (const auto owner = remote_owner(call_id))
        return forward(*owner, ControlRequest::Action::consult, std::move(call_id), std::move(target), std::move(done));
    local_.consult(std::move(call_id), std::move(target), std::move(done));
}

void RoutedCallControl::settle_transfer(std::string call_id, bool complete, Completion done) {
    if (const auto owner = remote_owner(call_id)) {
        const auto action = complete ? ControlRequest::Action::complete_transfer : ControlRequest::Action::cancel_transfer;
        return forward(*owner, action, std::move(call_id), {}, std::move(done));
    }
    local_.settle_transfer(std::move(call_id), complete, std::move(done));
}

void RoutedCallControl::media(std::string call_id, Completion done) {
    if (const auto owner = remote_owner(call_id))
        return forward(*owner, ControlRequest::Action::media, std::move(call_id), {}, std::move(done));
    local_.media(std::move(call_id), std::move(done));
}

void RoutedCallControl::record(std::string call_id, bool on, Completion done) {
    if (const auto owner = remote_owner(call_id)) {
        const auto action = on ? ControlRequest::Action::record_start : ControlRequest::Action::record_stop;
        return forward(*owner, action, std::move(call_id), {}, std::move(done));
    }
    local_.record(std::move(call_id), on, std::move(done));
}

calls::TelephonyStatus RoutedCallControl::status() const {
    auto status = local_.status();
    for (const auto& [owner, remote_line] : node_.remote().lines()) {
        for (auto& line : status.lines) {
            if (line.extension == remote_line.extension && remote_line.device_registered && !line.device_registered) {
                line.device_registered = true;
                line.detail += (line.detail.empty() ? "" : "; ") + std::string("phone registered at instance ") + owner;
            }
        }
    }
    return status;
}

}  // namespace ff::cluster
