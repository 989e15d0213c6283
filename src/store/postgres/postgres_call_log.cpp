// The call log in PostgreSQL: recording calls, reading them back with their orders and notes, and the CRM
// links.
#include <algorithm>

#include "store/postgres/postgres_helpers.hpp"
#include "store/postgres/postgres_storage.hpp"
#include "store/row_readers.hpp"

namespace ff::store::postgres {
namespace {

// The call's own fields are overwritten by every newer snapshot. The customer is the CRM's: a snapshot
// may bring one to a row that has none, never replace one (SET expressions see the row's old values).
constexpr std::string_view upsert_call_sql = R"sql(
INSERT INTO calls (id, sip_call_id, direction, from_number, to_number, extension, status, end_reason, start_ms,
                   answer_ms, end_ms, transfer_target, customer_id, customer_name, customer_phone, media,
                   one_way_audio, recording, dialled_number, dialled_name, ivr_choice)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18,
        $19, $20, $21)
ON CONFLICT (id) DO UPDATE SET
    sip_call_id = excluded.sip_call_id, direction = excluded.direction, from_number = excluded.from_number,
    to_number = excluded.to_number, extension = excluded.extension, status = excluded.status,
    end_reason = excluded.end_reason, start_ms = excluded.start_ms, answer_ms = excluded.answer_ms,
    end_ms = excluded.end_ms, transfer_target = excluded.transfer_target,
    dialled_number = excluded.dialled_number, dialled_name = excluded.dialled_name, ivr_choice = excluded.ivr_choice,
    media = coalesce(excluded.media, calls.media),
    one_way_audio = CASE WHEN excluded.media IS NULL THEN calls.one_way_audio ELSE excluded.one_way_audio END,
    recording = coalesce(excluded.recording, calls.recording),
    customer_id = CASE WHEN calls.customer_id IS NULL THEN excluded.customer_id ELSE calls.customer_id END,
    customer_name = CASE WHEN calls.customer_id IS NULL THEN excluded.customer_name ELSE calls.customer_name END,
    customer_phone = CASE WHEN calls.customer_id IS NULL THEN excluded.customer_phone ELSE calls.customer_phone END
)sql";

constexpr std::string_view upsert_turn_sql = R"sql(
INSERT INTO call_operators (call_id, position, extension, from_ms, answered_ms, until_ms, transferred_to)
VALUES ($1, $2, $3, $4, $5, $6, $7)
ON CONFLICT (call_id, position) DO UPDATE SET
    extension = excluded.extension, from_ms = excluded.from_ms, answered_ms = excluded.answered_ms,
    until_ms = excluded.until_ms, transferred_to = excluded.transferred_to
)sql";

// What is linked to the calls whose ids `ids` selects (its parameters are the caller's); the first column
// is always the call's id.

std::string linked_sql(Linked linked, const std::string& ids) {
    switch (linked) {
        case Linked::orders:
            return "SELECT call_id, order_id, linked_ms FROM call_orders WHERE call_id IN (" + ids +
                   ") ORDER BY call_id, linked_ms, id";
        case Linked::notes:
            return "SELECT call_id, id, text, author, created_ms FROM call_notes WHERE call_id IN (" + ids +
                   ") ORDER BY call_id, id";
        case Linked::operators:
            return "SELECT call_id, extension, from_ms, answered_ms, until_ms, transferred_to FROM call_operators "
                   "WHERE call_id IN (" + ids + ") ORDER BY call_id, position";
    }
    return {};
}

// Adds each row of a linked_sql() result to the call it belongs to.
void attach_links(const Rows& rows, Linked linked, CallAssembly& assembly) {
    for (int row = 0; row < rows.size(); ++row) add_linked_row(RowView(rows, row), linked, assembly);
}

// A WHERE clause for the query's filters and the values of its parameters $1..$n, in order.
struct CallFilter {
    std::string where;
    std::vector<Parameter> values;
};

CallFilter call_filter(const CallQuery& query) {
    CallFilter filter;
    if (query.extension) {
        // Every operator who had the call finds it, not only the one who had it last.
        filter.values.push_back(*query.extension);
        filter.where += " WHERE id IN (SELECT call_id FROM call_operators WHERE extension = $" +
                        std::to_string(filter.values.size()) + ")";
    }
    if (query.phone) {
        filter.values.push_back(*query.phone);
        const std::string parameter = "$" + std::to_string(filter.values.size());
        filter.where += filter.where.empty() ? " WHERE " : " AND ";
        filter.where += "(from_number = " + parameter + " OR to_number = " + parameter + ")";
    }
    if (query.dialled) {
        filter.values.push_back(*query.dialled);
        filter.where += filter.where.empty() ? " WHERE " : " AND ";
        filter.where += "dialled_number = $" + std::to_string(filter.values.size());
    }
    return filter;
}

}  // namespace

calls::Status PostgresStorage::record_call(const calls::Call& call) {
    const auto customer_field = [&call](std::string calls::Customer::*field) -> std::optional<std::string> {
        if (!call.customer) return std::nullopt;
        return (*call.customer).*field;
    };
    const std::optional<std::string> reason =
        call.end_reason == calls::EndReason::none
            ? std::nullopt
            : std::optional<std::string>(std::string(calls::to_string(call.end_reason)));
    auto rows = connection_.run(
        upsert_call_sql,
        parameters(call.id, call.sip_call_id, calls::to_string(call.direction), call.from, call.to,
                   call.extension, calls::to_string(call.status), reason, to_ms(call.start_time),
                   to_ms(call.answer_time), to_ms(call.end_time), call.transfer_target,
                   customer_field(&calls::Customer::id), customer_field(&calls::Customer::name),
                   customer_field(&calls::Customer::phone), media_column(call),
                   std::string(call.media && call.media->one_way ? "true" : "false"), recording_column(call),
                   call.dialled_number, call.dialled_name, call.ivr_choice));
    // Names the call only: the customer's data stays out of logs.
    const auto failed = [&call](const calls::Error& error) {
        return calls::make_error(error.code, "recording call " + call.id + ": " + error.message);
    };
    if (!rows) return failed(rows.error());
    const std::vector<calls::OperatorTurn> turns = turns_to_record(call);
    for (std::size_t position = 0; position < turns.size(); ++position) {
        const calls::OperatorTurn& turn = turns[position];
        auto upserted = connection_.run(upsert_turn_sql,
                                        parameters(call.id, static_cast<std::int64_t>(position), turn.extension,
                                                   to_ms(turn.from), to_ms(turn.answered_at), to_ms(turn.until),
                                                   turn.transferred_to));
        if (!upserted) return failed(upserted.error());
    }
    return calls::Done{};
}

calls::Result<std::optional<calls::Call>> PostgresStorage::select_call(const std::string& call_id) {
    CallAssembly found;
    {
        auto rows = connection_.read("SELECT " + std::string(call_columns) + " FROM calls WHERE id = $1",
                                     parameters(call_id));
        if (!rows) return rows.error();
        if (rows.value().size() == 0) return std::optional<calls::Call>{};
        found.add_call(call_from_row(RowView(rows.value(), 0)));
    }
    for (const Linked linked : every_link) {
        auto rows = connection_.read(linked_sql(linked, "$1"), parameters(call_id));
        if (!rows) return rows.error();
        attach_links(rows.value(), linked, found);
    }
    return std::optional<calls::Call>(std::move(found.take().front()));
}

calls::Result<CallPage> PostgresStorage::select_calls(const CallQuery& request) {
    const CallFilter filter = call_filter(request);
    const std::string limit = "$" + std::to_string(filter.values.size() + 1);
    const std::string offset = "$" + std::to_string(filter.values.size() + 2);
    const std::string page_ids = "SELECT id FROM calls" + filter.where +
                                 " ORDER BY start_ms DESC, id DESC LIMIT " + limit + " OFFSET " + offset;
    std::vector<Parameter> page_values = filter.values;
    page_values.push_back(parameter(static_cast<std::int64_t>(std::max(request.limit, 0))));
    page_values.push_back(parameter(static_cast<std::int64_t>(std::max(request.offset, 0))));

    CallPage page;
    CallAssembly assembly;
    {
        auto rows = connection_.read("SELECT count(*) FROM calls" + filter.where, filter.values);
        if (!rows) return rows.error();
        page.total = rows.value().size() > 0 ? rows.value().integer(0, 0) : 0;
    }
    {
        auto rows =
            connection_.read("SELECT " + std::string(call_columns) + " FROM calls" + filter.where +
                                 " ORDER BY start_ms DESC, id DESC LIMIT " + limit + " OFFSET " + offset,
                             page_values);
        if (!rows) return rows.error();
        for (int row = 0; row < rows.value().size(); ++row) assembly.add_call(call_from_row(RowView(rows.value(), row)));
    }
    if (assembly.empty()) return page;

    // What is linked to the whole page in one query per kind, rather than one per call.
    for (const Linked linked : every_link) {
        auto rows = connection_.read(linked_sql(linked, page_ids), page_values);
        if (!rows) return rows.error();
        attach_links(rows.value(), linked, assembly);
    }
    page.calls = assembly.take();
    return page;
}

calls::Status PostgresStorage::write_customer(const std::string& call_id, const calls::Customer& customer) {
    auto rows = connection_.run(
        "UPDATE calls SET customer_id = $2, customer_name = $3, customer_phone = $4 WHERE id = $1",
        parameters(call_id, customer.id, customer.name, customer.phone));
    if (!rows) return rows.error();
    return calls::Done{};
}

calls::Status PostgresStorage::write_recording(const std::string& call_id, const calls::Recording& recording) {
    auto rows = connection_.run("UPDATE calls SET recording = $2 WHERE id = $1",
                                parameters(call_id, recording_column(recording)));
    if (!rows) return rows.error();
    return calls::Done{};
}

calls::Status PostgresStorage::write_order(const std::string& call_id, const std::string& order_id) {
    // One statement: the call must exist, and an order already linked stays as it was (with its time).
    // The casts type the parameters, which a SELECT list alone leaves as unknown.
    auto rows = connection_.run(
        "INSERT INTO call_orders (call_id, order_id, linked_ms) SELECT $1::text, $2::text, $3::bigint "
        "WHERE EXISTS (SELECT 1 FROM calls WHERE id = $1::text) ON CONFLICT (call_id, order_id) DO NOTHING",
        parameters(call_id, order_id, to_ms(calls::now_ms())));
    if (!rows) return rows.error();
    return calls::Done{};
}

calls::Status PostgresStorage::write_note(const std::string& call_id, const std::string& text,
                                          const std::string& author) {
    auto rows = connection_.run(
        "INSERT INTO call_notes (call_id, text, author, created_ms) SELECT $1::text, $2::text, $3::text, "
        "$4::bigint WHERE EXISTS (SELECT 1 FROM calls WHERE id = $1::text)",
        parameters(call_id, text, author, to_ms(calls::now_ms())));
    if (!rows) return rows.error();
    return calls::Done{};
}

}  // namespace ff::store::postgres

namespace ff::store::postgres {

calls::Result<std::vector<calls::Call>> PostgresStorage::calls_after(const std::string& after_id, int limit) {
    const std::string batch_ids = "SELECT id FROM calls WHERE id > $1 ORDER BY id LIMIT $2";
    const auto values = parameters(after_id, static_cast<std::int64_t>(std::max(limit, 0)));
    CallAssembly batch;
    {
        auto rows = connection_.read(
            "SELECT " + std::string(call_columns) + " FROM calls WHERE id > $1 ORDER BY id LIMIT $2", values);
        if (!rows) return rows.error();
        for (int row = 0; row < rows.value().size(); ++row) batch.add_call(call_from_row(RowView(rows.value(), row)));
    }
    if (batch.empty()) return batch.take();
    for (const Linked linked : every_link) {
        auto rows = connection_.read(linked_sql(linked, batch_ids), values);
        if (!rows) return rows.error();
        attach_links(rows.value(), linked, batch);
    }
    return batch.take();
}

calls::Result<ImportCounts> PostgresStorage::import_calls(const std::vector<calls::Call>& batch) {
    auto transaction = Transaction::begin(connection_);
    if (!transaction) return transaction.error();
    ImportCounts counts;
    for (const calls::Call& call : batch) {
        auto exists = connection_.run("SELECT 1 FROM calls WHERE id = $1", parameters(call.id));
        if (!exists) return exists.error();
        if (exists.value().size() > 0) continue;
        if (auto status = record_call(call); !status) return status.error();
        ++counts.calls;
        for (const calls::OrderLink& order : call.orders) {
            auto rows = connection_.run(
                "INSERT INTO call_orders (call_id, order_id, linked_ms) VALUES ($1, $2, $3) "
                "ON CONFLICT (call_id, order_id) DO NOTHING",
                parameters(call.id, order.order_id, to_ms(order.linked_at)));
            if (!rows) return rows.error();
            counts.orders += rows.value().affected();
        }
        for (const calls::Note& note : call.notes) {
            // The note keeps its id unless this log gave that id to another note already.
            auto kept = connection_.run(
                "INSERT INTO call_notes (id, call_id, text, author, created_ms) OVERRIDING SYSTEM VALUE "
                "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING",
                parameters(note.id, call.id, note.text, note.author, to_ms(note.created_at)));
            if (!kept) return kept.error();
            if (kept.value().affected() == 0) {
                auto renumbered = connection_.run(
                    "INSERT INTO call_notes (id, call_id, text, author, created_ms) OVERRIDING SYSTEM VALUE "
                    "SELECT coalesce(max(id), 0) + 1, $1::text, $2::text, $3::text, $4::bigint FROM "
                    "call_notes",
                    parameters(call.id, note.text, note.author, to_ms(note.created_at)));
                if (!renumbered) return renumbered.error();
            }
            ++counts.notes;
        }
    }
    // Notes written with their own ids leave the identity behind: the next note must not take one of them.
    if (counts.notes > 0) {
        auto rows = connection_.run(
            "SELECT setval(pg_get_serial_sequence('call_notes', 'id'), "
            "(SELECT coalesce(max(id), 0) + 1 FROM call_notes), false)");
        if (!rows) return rows.error();
    }
    if (auto status = transaction.value().commit(); !status) return status.error();
    return counts;
}

}  // namespace ff::store::postgres
