// The call log in SQLite: recording calls, reading them back with their orders and notes, and the CRM links.
#include <algorithm>

#include "store/sqlite/sqlite_helpers.hpp"
#include "store/sqlite/sqlite_storage.hpp"
#include "store/row_readers.hpp"

namespace ff::store::sqlite {
namespace {

// The call's own fields are overwritten by every newer snapshot. The customer is the CRM's: a snapshot
// may bring one to a row that has none, never replace one (SET expressions see the row's old values).
constexpr std::string_view upsert_call_sql = R"sql(
INSERT INTO calls (id, sip_call_id, direction, from_number, to_number, extension, status, end_reason, start_ms,
                   answer_ms, end_ms, transfer_target, customer_id, customer_name, customer_phone, media,
                   one_way_audio, recording, dialled_number, dialled_name, ivr_choice)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,
        ?19, ?20, ?21)
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
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
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
                   ") ORDER BY call_id, linked_ms, rowid";
        case Linked::notes:
            return "SELECT call_id, id, text, author, created_ms FROM call_notes WHERE call_id IN (" + ids +
                   ") ORDER BY call_id, id";
        case Linked::operators:
            return "SELECT call_id, extension, from_ms, answered_ms, until_ms, transferred_to FROM call_operators "
                   "WHERE call_id IN (" + ids + ") ORDER BY call_id, position";
    }
    return {};
}

// Runs a query of linked_sql() and adds each row to the call it belongs to.
calls::Status attach_links(Query& query, Linked linked, CallAssembly& assembly) {
    for (;;) {
        auto row = query.step();
        if (!row) return row.error();
        if (!row.value()) return calls::Done{};
        add_linked_row(query, linked, assembly);
    }
}

// A WHERE clause for the query's filters and the values of its parameters ?1..?n, in order.
struct CallFilter {
    std::string where;
    std::vector<std::string> values;
};

CallFilter call_filter(const CallQuery& query) {
    CallFilter filter;
    if (query.extension) {
        // Every operator who had the call finds it, not only the one who had it last.
        filter.values.push_back(*query.extension);
        filter.where += " WHERE id IN (SELECT call_id FROM call_operators WHERE extension = ?" +
                        std::to_string(filter.values.size()) + ")";
    }
    if (query.phone) {
        filter.values.push_back(*query.phone);
        const std::string parameter = "?" + std::to_string(filter.values.size());
        filter.where += filter.where.empty() ? " WHERE " : " AND ";
        filter.where += "(from_number = " + parameter + " OR to_number = " + parameter + ")";
    }
    if (query.dialled) {
        filter.values.push_back(*query.dialled);
        filter.where += filter.where.empty() ? " WHERE " : " AND ";
        filter.where += "dialled_number = ?" + std::to_string(filter.values.size());
    }
    return filter;
}

void bind_filter(Query& query, const CallFilter& filter) {
    int index = 0;
    for (const auto& value : filter.values) query.bind(++index, value);
}

}  // namespace

calls::Status SqliteStorage::record_call(const calls::Call& call) {
    auto query = connection_.query(upsert_call_sql);
    if (!query) return query.error();
    const std::string_view reason = calls::to_string(call.end_reason);
    const auto customer_field = [&call](std::string calls::Customer::*field) -> std::optional<std::string> {
        if (!call.customer) return std::nullopt;
        return (*call.customer).*field;
    };
    query.value().bind_all(call.id, call.sip_call_id, calls::to_string(call.direction), call.from, call.to,
                           call.extension, calls::to_string(call.status));
    if (call.end_reason == calls::EndReason::none) {
        query.value().bind_null(8);
    } else {
        query.value().bind(8, reason);
    }
    query.value()
        .bind(9, to_ms(call.start_time))
        .bind(10, to_ms(call.answer_time))
        .bind(11, to_ms(call.end_time))
        .bind(12, call.transfer_target)
        .bind(13, customer_field(&calls::Customer::id))
        .bind(14, customer_field(&calls::Customer::name))
        .bind(15, customer_field(&calls::Customer::phone))
        .bind(16, media_column(call))
        .bind(17, std::int64_t{call.media && call.media->one_way})
        .bind(18, recording_column(call))
        .bind(19, call.dialled_number)
        .bind(20, call.dialled_name)
        .bind(21, call.ivr_choice);
    // Names the call only: the customer's data stays out of logs.
    const auto failed = [&call](const calls::Error& error) {
        return calls::make_error(error.code, "recording call " + call.id + ": " + error.message);
    };
    if (auto status = query.value().run(); !status) return failed(status.error());
    const std::vector<calls::OperatorTurn> turns = turns_to_record(call);
    for (std::size_t position = 0; position < turns.size(); ++position) {
        const calls::OperatorTurn& turn = turns[position];
        auto upsert = connection_.query(upsert_turn_sql);
        if (!upsert) return failed(upsert.error());
        upsert.value().bind_all(call.id, static_cast<std::int64_t>(position), turn.extension, to_ms(turn.from));
        upsert.value().bind(5, to_ms(turn.answered_at)).bind(6, to_ms(turn.until)).bind(7, turn.transferred_to);
        if (auto status = upsert.value().run(); !status) return failed(status.error());
    }
    return calls::Done{};
}

calls::Result<std::optional<calls::Call>> SqliteStorage::select_call(const std::string& call_id) {
    CallAssembly found;
    {
        auto query = connection_.query("SELECT " + std::string(call_columns) + " FROM calls WHERE id = ?1");
        if (!query) return query.error();
        query.value().bind(1, call_id);
        auto row = query.value().step();
        if (!row) return row.error();
        if (!row.value()) return std::optional<calls::Call>{};
        found.add_call(call_from_row(query.value()));
    }
    for (const Linked linked : every_link) {
        auto query = connection_.query(linked_sql(linked, "?1"));
        if (!query) return query.error();
        query.value().bind(1, call_id);
        if (auto status = attach_links(query.value(), linked, found); !status) return status.error();
    }
    return std::optional<calls::Call>(std::move(found.take().front()));
}

calls::Result<CallPage> SqliteStorage::select_calls(const CallQuery& request) {
    const CallFilter filter = call_filter(request);
    const std::string limit = "?" + std::to_string(filter.values.size() + 1);
    const std::string offset = "?" + std::to_string(filter.values.size() + 2);
    const std::string page_ids = "SELECT id FROM calls" + filter.where +
                                 " ORDER BY start_ms DESC, id DESC LIMIT " + limit + " OFFSET " + offset;
    const std::int64_t limit_value = std::max(request.limit, 0);
    const std::int64_t offset_value = std::max(request.offset, 0);

    CallPage page;
    CallAssembly assembly;
    {
        auto query = connection_.query("SELECT count(*) FROM calls" + filter.where);
        if (!query) return query.error();
        bind_filter(query.value(), filter);
        auto row = query.value().step();
        if (!row) return row.error();
        page.total = row.value() ? query.value().integer(0) : 0;
    }
    {
        auto query =
            connection_.query("SELECT " + std::string(call_columns) + " FROM calls" + filter.where +
                              " ORDER BY start_ms DESC, id DESC LIMIT " + limit + " OFFSET " + offset);
        if (!query) return query.error();
        bind_filter(query.value(), filter);
        query.value().bind(static_cast<int>(filter.values.size()) + 1, limit_value);
        query.value().bind(static_cast<int>(filter.values.size()) + 2, offset_value);
        for (;;) {
            auto row = query.value().step();
            if (!row) return row.error();
            if (!row.value()) break;
            assembly.add_call(call_from_row(query.value()));
        }
    }
    if (assembly.empty()) return page;

    // What is linked to the whole page in one query per kind, rather than one per call.
    for (const Linked linked : every_link) {
        auto query = connection_.query(linked_sql(linked, page_ids));
        if (!query) return query.error();
        bind_filter(query.value(), filter);
        query.value().bind(static_cast<int>(filter.values.size()) + 1, limit_value);
        query.value().bind(static_cast<int>(filter.values.size()) + 2, offset_value);
        if (auto status = attach_links(query.value(), linked, assembly); !status) return status.error();
    }
    page.calls = assembly.take();
    return page;
}

calls::Status SqliteStorage::write_customer(const std::string& call_id, const calls::Customer& customer) {
    auto query = connection_.query(
        "UPDATE calls SET customer_id = ?2, customer_name = ?3, customer_phone = ?4 WHERE id = ?1");
    if (!query) return query.error();
    query.value().bind_all(call_id, customer.id, customer.name, customer.phone);
    return query.value().run();
}

calls::Status SqliteStorage::write_recording(const std::string& call_id, const calls::Recording& recording) {
    auto query = connection_.query("UPDATE calls SET recording = ?2 WHERE id = ?1");
    if (!query) return query.error();
    query.value().bind_all(call_id, recording_column(recording));
    return query.value().run();
}

calls::Status SqliteStorage::write_order(const std::string& call_id, const std::string& order_id) {
    // One statement: the call must exist, and an order already linked stays as it was (with its time).
    auto query = connection_.query(
        "INSERT INTO call_orders (call_id, order_id, linked_ms) SELECT ?1, ?2, ?3 "
        "WHERE EXISTS (SELECT 1 FROM calls WHERE id = ?1) ON CONFLICT (call_id, order_id) DO NOTHING");
    if (!query) return query.error();
    query.value().bind_all(call_id, order_id, to_ms(calls::now_ms()));
    return query.value().run();
}

calls::Status SqliteStorage::write_note(const std::string& call_id, const std::string& text,
                                        const std::string& author) {
    auto query = connection_.query(
        "INSERT INTO call_notes (call_id, text, author, created_ms) SELECT ?1, ?2, ?3, ?4 "
        "WHERE EXISTS (SELECT 1 FROM calls WHERE id = ?1)");
    if (!query) return query.error();
    query.value().bind_all(call_id, text, author, to_ms(calls::now_ms()));
    return query.value().run();
}

}  // namespace ff::store::sqlite

namespace ff::store::sqlite {

calls::Result<std::vector<calls::Call>> SqliteStorage::calls_after(const std::string& after_id, int limit) {
    const std::string batch_ids = "SELECT id FROM calls WHERE id > ?1 ORDER BY id LIMIT ?2";
    const std::int64_t limit_value = std::max(limit, 0);
    CallAssembly batch;
    {
        auto query = connection_.query("SELECT " + std::string(call_columns) +
                                       " FROM calls WHERE id > ?1 ORDER BY id LIMIT ?2");
        if (!query) return query.error();
        query.value().bind(1, after_id).bind(2, limit_value);
        for (;;) {
            auto row = query.value().step();
            if (!row) return row.error();
            if (!row.value()) break;
            batch.add_call(call_from_row(query.value()));
        }
    }
    if (batch.empty()) return batch.take();
    for (const Linked linked : every_link) {
        auto query = connection_.query(linked_sql(linked, batch_ids));
        if (!query) return query.error();
        query.value().bind(1, after_id).bind(2, limit_value);
        if (auto status = attach_links(query.value(), linked, batch); !status) return status.error();
    }
    return batch.take();
}

calls::Result<ImportCounts> SqliteStorage::import_calls(const std::vector<calls::Call>& batch) {
    auto transaction = Transaction::begin(connection_);
    if (!transaction) return transaction.error();
    ImportCounts counts;
    for (const calls::Call& call : batch) {
        auto exists = connection_.query("SELECT 1 FROM calls WHERE id = ?1");
        if (!exists) return exists.error();
        exists.value().bind(1, call.id);
        auto found = exists.value().step();
        if (!found) return found.error();
        if (found.value()) continue;
        if (auto status = record_call(call); !status) return status.error();
        ++counts.calls;
        for (const calls::OrderLink& order : call.orders) {
            auto query = connection_.query(
                "INSERT INTO call_orders (call_id, order_id, linked_ms) VALUES (?1, ?2, ?3) "
                "ON CONFLICT (call_id, order_id) DO NOTHING");
            if (!query) return query.error();
            query.value().bind_all(call.id, order.order_id, to_ms(order.linked_at));
            if (auto status = query.value().run(); !status) return status.error();
            counts.orders += connection_.changes();
        }
        for (const calls::Note& note : call.notes) {
            // The note keeps its id unless this log gave that id to another note already.
            auto query = connection_.query(
                "INSERT INTO call_notes (id, call_id, text, author, created_ms) VALUES "
                "(CASE WHEN EXISTS (SELECT 1 FROM call_notes WHERE id = ?1) THEN NULL ELSE ?1 END, ?2, ?3, "
                "?4, ?5)");
            if (!query) return query.error();
            query.value().bind_all(note.id, call.id, note.text, note.author, to_ms(note.created_at));
            if (auto status = query.value().run(); !status) return status.error();
            ++counts.notes;
        }
    }
    if (auto status = transaction.value().commit(); !status) return status.error();
    return counts;
}

}  // namespace ff::store::sqlite
