// What one write of the call log carries: a call's snapshot, the webhook events it brought, or both. The
// call log writer hands records to the storage, alone or several in one transaction, and to the spool while
// the database is away.
#pragma once

#include <optional>
#include <vector>

#include "calls/call.hpp"
#include "store/webhook_store.hpp"

namespace ff::store {

struct LogRecord {
    LogRecord() = default;
    LogRecord(calls::Call snapshot) : call(std::move(snapshot)) {}  // NOLINT: a snapshot alone is a record
    LogRecord(std::optional<calls::Call> snapshot, std::vector<OutboxEvent> outbox)
        : call(std::move(snapshot)), events(std::move(outbox)) {}

    std::optional<calls::Call> call;
    std::vector<OutboxEvent> events;
};

}  // namespace ff::store
