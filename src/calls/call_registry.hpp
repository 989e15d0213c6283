// The table of active calls: the one place that changes a call and publishes what changed.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "calls/call.hpp"
#include "calls/call_state_machine.hpp"
#include "calls/call_view.hpp"
#include "calls/event_bus.hpp"

namespace ff::calls {

class CallRegistry final : public CallView {
public:
    explicit CallRegistry(EventBus& bus) : bus_(bus) {}

    // Adds a new ringing call (id and start time filled in when empty) and publishes call:new.
    Result<Call> create(Call call);

    // Applies a transition and publishes its event; an ended call leaves the table.
    Result<Call> apply(const std::string& call_id, const Transition& change);

    // Changes what the CRM linked to an active call (customer, orders, notes) and publishes call:updated.
    Result<Call> update(const std::string& call_id, const std::function<void(Call&)>& change);

    std::optional<Call> find(const std::string& call_id) const override;
    std::optional<Call> find_by_sip_call_id(const std::string& sip_call_id) const;
    std::vector<Call> active() const override;  // oldest first
    std::size_t size() const override;
    std::uint64_t version() const override;

private:
    Result<Call> publish_locked(CallEventKind kind, const Call& call, std::string previous_extension = {},
                                std::vector<std::string> offered_before = {});

    EventBus& bus_;
    mutable std::mutex mutex_;
    std::map<std::string, Call> calls_;
    std::uint64_t version_ = 0;
};

// A random (version 4) UUID in its usual text form.
std::string new_uuid();

}  // namespace ff::calls
