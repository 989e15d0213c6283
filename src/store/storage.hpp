// One storage backend: call log (and the callback list it implies), tokens, settings, the operators' states
// and the webhooks' outbox, opened from DATABASE_URL.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "calls/result.hpp"
#include "store/call_log_store.hpp"
#include "store/callback_store.hpp"
#include "store/operator_state_store.hpp"
#include "store/queue_call_store.hpp"
#include "store/settings_store.hpp"
#include "store/log_record.hpp"
#include "store/sms_store.hpp"
#include "store/token_store.hpp"
#include "store/webhook_store.hpp"

namespace ff::store {

// Not thread-safe: the StoreWorker owns it and calls it from its own thread only.
class Storage : public CallLogStore, public TokenStore, public SettingsStore, public OperatorStateStore,
                public CallbackStore, public QueueCallStore, public WebhookStore,
                public SmsStore {
  public:
    // Call snapshots (record_call) and the webhook events that came with them, in one transaction: the outbox
    // holds an event exactly when the log holds what it tells of, and a burst of call events costs one commit
    // instead of one each. All or none: after a failure the caller learns which record it was by writing each
    // alone.
    virtual calls::Status record(const std::vector<LogRecord>& records) = 0;

    // A cheap round trip to a database server, so its absence shows while nothing is written. A local file
    // (SQLite) is always there.
    virtual calls::Status check_reachable() { return calls::Done{}; }
};

// "sqlite:./data/calls.db", "sqlite:///abs/path.db", "sqlite::memory:" or "postgresql://…". Runs migrations.
calls::Result<std::unique_ptr<Storage>> open_storage(const std::string& database_url);

// Up to `count` further connections to an opened database, for the StoreWorker's reads. None for an
// in-memory SQLite database, where every connection would be a database of its own. A connection that
// cannot be opened is logged and left out: reads then share the others, or the write connection.
std::vector<std::unique_ptr<Storage>> open_readers(const std::string& database_url, int count);

}  // namespace ff::store
