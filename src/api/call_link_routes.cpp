// What the CRM attaches to a call: the customer, orders and notes. A call up at this instance, or over, is
// linked here (call_links.cpp); a call up at another instance is linked there, and its answer is ours.
#include "api/call_links.hpp"
#include "api/fields.hpp"
#include "api/route_handlers.hpp"
#include "calls/call_link.hpp"
#include "directory/phone_normalizer.hpp"
#include "wire/call_json.hpp"

namespace ff::api {
namespace {

// Storage errors as every storage route answers them; the caller's rights and another instance that could
// not be asked as the call buttons answer them.
ApiError link_error(const calls::Error& error) {
    switch (error.code) {
        case calls::ErrorCode::forbidden:
        case calls::ErrorCode::timeout:
        case calls::ErrorCode::unreachable:
            return from_error(error, Subject::call);
        default:
            return from_storage_error(error, Subject::call);
    }
}

calls::Status may_change(const ApiRequestPtr& request, const calls::Call& call) {
    if (request->principal.may_see_extension(call.extension)) return calls::Done{};
    return calls::make_error(calls::ErrorCode::forbidden,
                             "call " + call.id + " belongs to extension " + call.extension +
                                 "; an operator token may change only its own extension's calls");
}

void link_to_call(ApiServices& services, const ApiRequestPtr& request, calls::CallLink link) {
    const std::string call_id = request->param("callId");
    auto answer = [&services, request](calls::Result<calls::Call> result) {
        if (!result) return reply_error_later(services, request, link_error(result.error()));
        reply_json_later(services, request, http::beast_http::status::ok,
                         {{"success", true}, {"call", wire::to_json(result.value())}});
    };
    if (services.links != nullptr) {
        if (auto elsewhere = services.links->live_elsewhere(call_id)) {
            if (auto allowed = may_change(request, elsewhere->call); !allowed)
                return reply_error(request, link_error(allowed.error()));
            return services.links->forward(*elsewhere, std::move(link), std::move(answer));
        }
    }
    apply_link(
        services, call_id, std::move(link),
        [request](const calls::Call& stored) { return may_change(request, stored); }, std::move(answer));
}

}  // namespace

void handle_link_customer(ApiServices& services, const ApiRequestPtr& request) {
    const auto& body = request->body;
    auto id = required_string(body, "customerId", 100);
    if (!id) return reply_error(request, id.error());
    auto name = optional_string(body, "customerName", 0, 200);
    if (!name) return reply_error(request, name.error());
    auto phone = optional_string(body, "customerPhone", 0, 64);
    if (!phone) return reply_error(request, phone.error());
    calls::CallLink link;
    link.kind = calls::CallLink::Kind::customer;
    link.customer = {*id, name->value_or(""), ""};
    if (phone->has_value() && !phone->value().empty()) {
        auto normal = services.phones.try_normalize(phone->value());
        if (!normal)
            return reply_error(request, validation_error("customerPhone must be a phone number (got \"" +
                                                         phone->value() + "\")"));
        link.customer.phone = *normal;
    }
    link_to_call(services, request, std::move(link));
}

void handle_link_order(ApiServices& services, const ApiRequestPtr& request) {
    auto order = required_string(request->body, "orderId", 100);
    if (!order) return reply_error(request, order.error());
    calls::CallLink link;
    link.kind = calls::CallLink::Kind::order;
    link.order_id = *order;
    link_to_call(services, request, std::move(link));
}

void handle_add_note(ApiServices& services, const ApiRequestPtr& request) {
    auto note = required_string(request->body, "note", 2000);
    if (!note) return reply_error(request, note.error());
    calls::CallLink link;
    link.kind = calls::CallLink::Kind::note;
    link.text = *note;
    link.author = request->principal.name;
    link_to_call(services, request, std::move(link));
}

}  // namespace ff::api
