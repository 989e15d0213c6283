// The SQLite backend of Storage: call log, tokens and settings in one database file (WAL).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "calls/result.hpp"
#include "store/sqlite/sqlite_connection.hpp"
#include "store/storage.hpp"

namespace ff::store::sqlite {

class SqliteStorage final : public Storage {
  public:
    // Opens or creates the database at `path` (":memory:" for a private in-memory one), creating
    // its directory, switching it to WAL and applying every pending migration.
    static calls::Result<std::unique_ptr<SqliteStorage>> open(const std::string& path);

    // Opens a call log this service wrote, as open() does, but never creates one: a missing file, a file
    // that is not SQLite, or a SQLite database without this service's schema is invalid_argument.
    static calls::Result<std::unique_ptr<SqliteStorage>> open_existing(const std::string& path);

    // CallLogStore (sqlite_call_log.cpp, sqlite_call_stats.cpp)
    calls::Status record_call(const calls::Call& call) override;
    calls::Result<std::vector<calls::Call>> calls_after(const std::string& after_id, int limit) override;
    calls::Result<ImportCounts> import_calls(const std::vector<calls::Call>& calls) override;

    // Storage: a snapshot and its webhook events in one transaction (sqlite_webhooks.cpp)
    calls::Status record(const std::vector<LogRecord>& records) override;

    // WebhookStore (sqlite_webhooks.cpp)
    calls::Result<std::vector<Webhook>> list_webhooks() override;
    calls::Status insert_webhook(const Webhook& webhook) override;
    calls::Status delete_webhook(const std::string& id) override;
    calls::Status write_outbox(const std::vector<OutboxEvent>& events) override;
    calls::Result<std::vector<DueDelivery>> claim_deliveries(const std::string& instance, std::int64_t now_ms,
                                                             std::int64_t lease_ms, int limit) override;
    calls::Status release_claims(const std::string& instance) override;
    calls::Status finish_delivery(const DeliveryOutcome& outcome) override;
    calls::Result<std::vector<DeliveryRecord>> list_deliveries(const std::string& webhook_id, int limit) override;
    calls::Result<std::vector<WebhookFigures>> webhook_figures() override;
    calls::Status prune_deliveries(std::int64_t before_ms) override;

    // SmsStore (sqlite_sms.cpp)
    calls::Result<SmsDecision> begin_sms(const SmsAttempt& attempt) override;
    calls::Status finish_sms(std::int64_t id, const std::string& status, const std::string& detail) override;

    // TokenStore (sqlite_tokens.cpp)
    calls::Status insert_token(const TokenRecord& token) override;
    calls::Status revoke_token(const std::string& id, calls::TimePoint at) override;

    // OperatorStateStore (sqlite_operator_states.cpp)
    calls::Status record_operator_state(const calls::OperatorStatus& status) override;
    calls::Status close_operator_states(calls::TimePoint at) override;

    // SettingsStore (sqlite_settings.cpp)
    calls::Status save_pbx_settings(const config::PbxSettings& settings) override;
    calls::Status save_sip_users(const std::vector<config::SipUser>& users) override;

  private:
    // The statements behind the shared readers and links (storage_shared.cpp).
    calls::Result<std::optional<calls::Call>> select_call(const std::string& call_id) override;
    calls::Result<CallPage> select_calls(const CallQuery& query) override;
    calls::Result<StatsCounts> count_calls(const StatsQuery& query) override;
    calls::Result<std::optional<calls::Customer>> select_last_customer(const std::string& phone) override;
    calls::Status write_customer(const std::string& call_id, const calls::Customer& customer) override;
    calls::Status write_recording(const std::string& call_id, const calls::Recording& recording) override;
    calls::Status write_order(const std::string& call_id, const std::string& order_id) override;
    calls::Status write_note(const std::string& call_id, const std::string& text,
                             const std::string& author) override;
    calls::Result<std::vector<TokenRecord>> select_tokens() override;
    calls::Result<std::vector<OperatorStateSpan>> select_operator_states(const std::string& extension,
                                                                         calls::TimePoint from,
                                                                         calls::TimePoint until) override;
    calls::Result<std::vector<calls::CallbackContact>> select_callback_contacts(
        calls::TimePoint since) override;  // sqlite_call_views.cpp
    calls::Result<std::vector<calls::CallbackContact>> select_callback_contacts_around(
        const std::string& phone, calls::TimePoint since, calls::TimePoint call_start) override;
    calls::Result<std::vector<calls::QueueCallTimes>> select_queue_calls(const std::string& queue, calls::TimePoint from,
                                                                         calls::TimePoint until) override;  // sqlite_call_views.cpp
    calls::Result<std::optional<config::PbxSettings>> select_pbx_settings() override;
    calls::Result<std::optional<std::vector<config::SipUser>>> select_sip_users() override;

    explicit SqliteStorage(Connection connection) : connection_(std::move(connection)) {}

    calls::Result<std::optional<std::string>> read_setting(std::string_view key) override;
    calls::Status write_setting(std::string_view key, const std::string& value) override;

    calls::Status refresh_sms_column(const std::string& call_id);  // calls.sms from call_sms

    Connection connection_;
};

}  // namespace ff::store::sqlite
