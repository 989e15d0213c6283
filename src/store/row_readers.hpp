// The rows both backends read into the call model: the same columns in the same order, mapped once here so
// that a column added or a NULL read differently cannot land in one backend only. Each backend keeps its SQL
// and hands these readers a Row: its view of one result row, read by column (SQLite's Query on its current
// row, PostgreSQL's RowView) with text ("" for NULL), optional_text, integer (0 for NULL), optional_integer
// and is_null.
#pragma once

#include <string_view>

#include "calls/callback_list.hpp"
#include "store/storage_helpers.hpp"

namespace ff::store {

// The columns call_from_row reads, in its order.
inline constexpr std::string_view call_columns =
    "id, sip_call_id, direction, from_number, to_number, extension, status, end_reason, start_ms, answer_ms, "
    "end_ms, transfer_target, customer_id, customer_name, customer_phone, media, recording, dialled_number, "
    "dialled_name, ivr_choice, sms";

template <typename Row>
calls::Call call_from_row(const Row& row) {
    calls::Call call;
    call.id = row.text(0);
    call.sip_call_id = row.text(1);
    call.direction = calls::parse_direction(row.text(2)).value_or(calls::Direction::inbound);
    call.from = row.text(3);
    call.to = row.text(4);
    call.extension = row.text(5);
    call.status = calls::parse_call_status(row.text(6)).value_or(calls::CallStatus::ended);
    call.end_reason = calls::parse_end_reason(row.text(7)).value_or(calls::EndReason::none);
    call.start_time = from_ms(row.integer(8));
    call.answer_time = from_ms(row.optional_integer(9));
    call.end_time = from_ms(row.optional_integer(10));
    call.transfer_target = row.text(11);
    if (!row.is_null(12)) call.customer = calls::Customer{row.text(12), row.text(13), row.text(14)};
    call.media = media_from_column(call.id, row.optional_text(15));
    call.recording = recording_from_column(call.id, row.optional_text(16));
    call.dialled_number = row.text(17);
    call.dialled_name = row.text(18);
    call.ivr_choice = row.text(19);
    call.sms = sms_from_column(call.id, row.optional_text(20));
    return call;
}

// One row of a backend's linked query for `linked` (the call's id first, then the columns read below) added
// to the call it belongs to.
template <typename Row>
void add_linked_row(const Row& row, Linked linked, CallAssembly& assembly) {
    switch (linked) {
        case Linked::orders:
            assembly.add_order(row.text(0), calls::OrderLink{row.text(1), from_ms(row.integer(2))});
            break;
        case Linked::notes:
            assembly.add_note(row.text(0),
                              calls::Note{row.integer(1), row.text(2), row.text(3), from_ms(row.integer(4))});
            break;
        case Linked::operators:
            assembly.add_turn(row.text(0), calls::OperatorTurn{row.text(1), from_ms(row.integer(2)),
                                                               from_ms(row.optional_integer(3)),
                                                               from_ms(row.optional_integer(4)), row.text(5)});
            break;
    }
}

// The columns contact_from_row reads, and their table: the number is the customer's in either direction.
inline constexpr std::string_view contact_columns = R"sql(
SELECT id, direction, CASE WHEN direction = 'inbound' THEN from_number ELSE to_number END, extension,
       start_ms, answer_ms, end_ms, end_reason, customer_id, customer_name, customer_phone
FROM calls
)sql";

template <typename Row>
calls::CallbackContact contact_from_row(const Row& row) {
    calls::CallbackContact contact;
    contact.call_id = row.text(0);
    contact.direction = calls::parse_direction(row.text(1)).value_or(calls::Direction::inbound);
    contact.phone = row.text(2);
    contact.extension = row.text(3);
    contact.start = from_ms(row.integer(4));
    contact.answered = from_ms(row.optional_integer(5));
    contact.ended = from_ms(row.optional_integer(6));
    contact.end_reason = calls::parse_end_reason(row.text(7)).value_or(calls::EndReason::none);
    if (!row.is_null(8)) contact.customer = calls::Customer{row.text(8), row.text(9), row.text(10)};
    return contact;
}

}  // namespace ff::store
