// The spool's JSON form of a call: written by the spool when the database is away, read back on replay.
#include "store/spooled_call.hpp"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>

#include "store/storage_helpers.hpp"

namespace ff::store {
namespace {

using nlohmann::json;

calls::Error bad_line(const std::string& why) {
    return calls::make_error(calls::ErrorCode::invalid_argument, "spooled call record: " + why);
}

json optional_ms(const std::optional<calls::TimePoint>& time) {
    if (!time) return nullptr;
    return to_ms(*time);
}

const json* field(const json& object, const char* name, json::value_t type) {
    const auto found = object.find(name);
    if (found == object.end() || found->type() != type) return nullptr;
    return &*found;
}

bool read_text(const json& object, const char* name, std::string& out) {
    const json* value = field(object, name, json::value_t::string);
    if (value == nullptr) return false;
    out = value->get<std::string>();
    return true;
}

// Integers come back as signed or unsigned depending on their sign: both are fine.
std::optional<std::int64_t> read_integer(const json& object, const char* name) {
    const auto found = object.find(name);
    if (found == object.end() || !found->is_number_integer()) return std::nullopt;
    return found->get<std::int64_t>();
}

// Absent and null both mean "no such time"; anything else must be an integer.
bool read_optional_time(const json& object, const char* name, std::optional<calls::TimePoint>& out) {
    const auto found = object.find(name);
    if (found == object.end() || found->is_null()) {
        out.reset();
        return true;
    }
    if (!found->is_number_integer()) return false;
    out = from_ms(found->get<std::int64_t>());
    return true;
}

}  // namespace

std::string spool_line(const calls::Call& call) {
    json line = {
        {"id", call.id},
        {"sipCallId", call.sip_call_id},
        {"direction", calls::to_string(call.direction)},
        {"from", call.from},
        {"to", call.to},
        {"extension", call.extension},
        {"status", calls::to_string(call.status)},
        {"endReason", calls::to_string(call.end_reason)},
        {"startMs", to_ms(call.start_time)},
        {"answerMs", optional_ms(call.answer_time)},
        {"endMs", optional_ms(call.end_time)},
        {"transferTarget", call.transfer_target},
        {"customer", nullptr},
    };
    if (call.customer) {
        line["customer"] = {
            {"id", call.customer->id}, {"name", call.customer->name}, {"phone", call.customer->phone}};
    }
    // Invalid UTF-8 (a display name from the wire) is replaced rather than making the dump throw.
    return line.dump(-1, ' ', false, json::error_handler_t::replace);
}

calls::Result<calls::Call> call_from_spool_line(std::string_view text) {
    const json line = json::parse(text, nullptr, false);
    if (line.is_discarded() || !line.is_object()) return bad_line("not a JSON object");
    calls::Call call;
    std::string direction;
    std::string status;
    std::string reason;
    if (!read_text(line, "id", call.id) || call.id.empty()) return bad_line("no id");
    if (!read_text(line, "sipCallId", call.sip_call_id)) return bad_line("no sipCallId");
    if (!read_text(line, "from", call.from)) return bad_line("no from");
    if (!read_text(line, "to", call.to)) return bad_line("no to");
    if (!read_text(line, "extension", call.extension)) return bad_line("no extension");
    if (!read_text(line, "transferTarget", call.transfer_target)) return bad_line("no transferTarget");
    if (!read_text(line, "direction", direction) || !calls::parse_direction(direction))
        return bad_line("bad direction");
    call.direction = *calls::parse_direction(direction);
    if (!read_text(line, "status", status) || !calls::parse_call_status(status))
        return bad_line("bad status");
    call.status = *calls::parse_call_status(status);
    if (!read_text(line, "endReason", reason) || !calls::parse_end_reason(reason))
        return bad_line("bad endReason");
    call.end_reason = *calls::parse_end_reason(reason);
    const auto start = read_integer(line, "startMs");
    if (!start) return bad_line("no startMs");
    call.start_time = from_ms(*start);
    if (!read_optional_time(line, "answerMs", call.answer_time)) return bad_line("bad answerMs");
    if (!read_optional_time(line, "endMs", call.end_time)) return bad_line("bad endMs");
    const auto customer = line.find("customer");
    if (customer != line.end() && !customer->is_null()) {
        calls::Customer found;
        if (!customer->is_object() || !read_text(*customer, "id", found.id) ||
            !read_text(*customer, "name", found.name) || !read_text(*customer, "phone", found.phone))
            return bad_line("bad customer");
        call.customer = std::move(found);
    }
    return call;
}

}  // namespace ff::store
