// The SMS after calls in PostgreSQL: the decision and its row in one transaction, and the call's own list.
#include "store/postgres/postgres_helpers.hpp"
#include "store/postgres/postgres_storage.hpp"
#include "wire/call_json.hpp"

namespace ff::store::postgres {

calls::Result<SmsDecision> PostgresStorage::begin_sms(const SmsAttempt& attempt) {
    auto transaction = Transaction::begin(connection_);
    if (!transaction) return transaction.error();
    // Two instances deciding for the same number at once: the second waits for the first's row.
    if (auto locked = connection_.run("SELECT pg_advisory_xact_lock(hashtext($1))", parameters(attempt.phone)); !locked)
        return locked.error();
    auto had = connection_.run("SELECT 1 FROM call_sms WHERE call_id = $1 AND kind = $2", parameters(attempt.call_id, attempt.kind));
    if (!had) return had.error();
    if (had.value().size() > 0) return SmsDecision{SmsDecision::Outcome::already, 0};
    auto last = connection_.run("SELECT max(created_ms) FROM call_sms WHERE phone = $1 AND status IN ('sending', 'sent')",
                                parameters(attempt.phone));
    if (!last) return last.error();
    const auto skipped = sms_skip_reason(attempt, last.value().optional_integer(0, 0));
    auto inserted = connection_.run(
        "INSERT INTO call_sms (call_id, kind, phone, text, created_ms, status, detail) VALUES ($1, $2, $3, $4, $5, $6, $7) "
        "RETURNING id",
        parameters(attempt.call_id, attempt.kind, attempt.phone, attempt.text, attempt.at_ms,
                   std::string(skipped ? "skipped" : "sending"), skipped.value_or("")));
    if (!inserted) return inserted.error();
    const SmsDecision decision{skipped ? SmsDecision::Outcome::skipped : SmsDecision::Outcome::send,
                               inserted.value().integer(0, 0)};
    if (auto status = refresh_sms_column(attempt.call_id); !status) return status.error();
    if (auto status = transaction.value().commit(); !status) return status.error();
    return decision;
}

calls::Status PostgresStorage::finish_sms(std::int64_t id, const std::string& status, const std::string& detail) {
    auto transaction = Transaction::begin(connection_);
    if (!transaction) return transaction.error();
    auto updated = connection_.run("UPDATE call_sms SET status = $2, detail = $3 WHERE id = $1 RETURNING call_id",
                                   parameters(id, status, detail));
    if (!updated) return updated.error();
    if (updated.value().size() == 0)
        return calls::make_error(calls::ErrorCode::not_found, "no SMS with id " + std::to_string(id));
    if (auto refreshed = refresh_sms_column(updated.value().text(0, 0)); !refreshed) return refreshed;
    return transaction.value().commit();
}

calls::Status PostgresStorage::refresh_sms_column(const std::string& call_id) {
    auto rows = connection_.run(
        "SELECT kind, phone, text, created_ms, status, detail FROM call_sms WHERE call_id = $1 ORDER BY id",
        parameters(call_id));
    if (!rows) return rows.error();
    std::vector<calls::SmsMessage> sms;
    const Rows& r = rows.value();
    for (int row = 0; row < r.size(); ++row)
        sms.push_back(calls::SmsMessage{r.text(row, 0), r.text(row, 1), r.text(row, 2), from_ms(r.integer(row, 3)),
                                        r.text(row, 4), r.text(row, 5)});
    auto updated = connection_.run(
        "UPDATE calls SET sms = $2 WHERE id = $1",
        parameters(call_id, wire::to_json(sms).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)));
    if (!updated) return updated.error();
    return calls::Done{};
}

}  // namespace ff::store::postgres
