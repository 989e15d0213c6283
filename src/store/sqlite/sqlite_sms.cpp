// The SMS after calls in SQLite: the decision and its row in one transaction, and the call's own list.
#include "store/sqlite/sqlite_helpers.hpp"
#include "store/sqlite/sqlite_storage.hpp"
#include "wire/call_json.hpp"

namespace ff::store::sqlite {

calls::Result<SmsDecision> SqliteStorage::begin_sms(const SmsAttempt& attempt) {
    auto transaction = Transaction::begin(connection_);
    if (!transaction) return transaction.error();
    {
        auto had = connection_.query("SELECT 1 FROM call_sms WHERE call_id = ?1 AND kind = ?2");
        if (!had) return had.error();
        had.value().bind_all(attempt.call_id, attempt.kind);
        auto row = had.value().step();
        if (!row) return row.error();
        if (row.value()) return SmsDecision{SmsDecision::Outcome::already, 0};
    }
    std::optional<std::int64_t> last_to_number;
    {
        auto last = connection_.query(
            "SELECT max(created_ms) FROM call_sms WHERE phone = ?1 AND status IN ('sending', 'sent')");
        if (!last) return last.error();
        last.value().bind(1, attempt.phone);
        auto row = last.value().step();
        if (!row) return row.error();
        if (row.value()) last_to_number = last.value().optional_integer(0);
    }
    const auto skipped = sms_skip_reason(attempt, last_to_number);
    auto insert = connection_.query(
        "INSERT INTO call_sms (call_id, kind, phone, text, created_ms, status, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    if (!insert) return insert.error();
    insert.value().bind_all(attempt.call_id, attempt.kind, attempt.phone, attempt.text, attempt.at_ms,
                            skipped ? "skipped" : "sending", skipped.value_or(""));
    if (auto status = insert.value().run(); !status) return status.error();
    const SmsDecision decision{skipped ? SmsDecision::Outcome::skipped : SmsDecision::Outcome::send,
                               connection_.last_insert_rowid()};
    if (auto status = refresh_sms_column(attempt.call_id); !status) return status.error();
    if (auto status = transaction.value().commit(); !status) return status.error();
    return decision;
}

calls::Status SqliteStorage::finish_sms(std::int64_t id, const std::string& status, const std::string& detail) {
    auto transaction = Transaction::begin(connection_);
    if (!transaction) return transaction.error();
    auto update = connection_.query("UPDATE call_sms SET status = ?2, detail = ?3 WHERE id = ?1 RETURNING call_id");
    if (!update) return update.error();
    update.value().bind_all(id, status, detail);
    auto row = update.value().step();
    if (!row) return row.error();
    if (!row.value()) return calls::make_error(calls::ErrorCode::not_found, "no SMS with id " + std::to_string(id));
    const std::string call_id = update.value().text(0);
    if (auto done = update.value().run(); !done) return done;
    if (auto refreshed = refresh_sms_column(call_id); !refreshed) return refreshed;
    return transaction.value().commit();
}

calls::Status SqliteStorage::refresh_sms_column(const std::string& call_id) {
    std::vector<calls::SmsMessage> sms;
    {
        auto query = connection_.query(
            "SELECT kind, phone, text, created_ms, status, detail FROM call_sms WHERE call_id = ?1 ORDER BY id");
        if (!query) return query.error();
        query.value().bind(1, call_id);
        for (;;) {
            auto row = query.value().step();
            if (!row) return row.error();
            if (!row.value()) break;
            const Query& r = query.value();
            sms.push_back(calls::SmsMessage{r.text(0), r.text(1), r.text(2), from_ms(r.integer(3)), r.text(4), r.text(5)});
        }
    }
    auto update = connection_.query("UPDATE calls SET sms = ?2 WHERE id = ?1");
    if (!update) return update.error();
    update.value().bind_all(call_id, wire::to_json(sms).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    return update.value().run();
}

}  // namespace ff::store::sqlite
