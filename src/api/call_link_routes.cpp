// What the CRM attaches to a call: the customer, orders and notes. Written to the call log first; then
// the change is announced (through the registry while the call is up, straight on the bus after).
#include <boost/asio/post.hpp>

#include "api/fields.hpp"
#include "api/route_handlers.hpp"
#include "calls/call_registry.hpp"
#include "directory/phone_normalizer.hpp"
#include "store/store_worker.hpp"
#include "wire/call_json.hpp"

namespace ff::api {
namespace {

using LinkWrite = std::function<calls::Result<calls::Call>(store::Storage&, const std::string& call_id)>;

// Runs `write` on the storage thread for a call the caller may touch, then publishes and answers.
void link_to_call(ApiServices& services, const ApiRequestPtr& request, LinkWrite write) {
    const std::string call_id = request->param("callId");
    services.store.post([&services, request, call_id, write = std::move(write)](store::Storage& storage) {
        // A log that cannot be read is not a call that does not exist: 503, not 404.
        const auto stored = storage.find_call(call_id);
        if (!stored) return reply_error_later(services, request, database_unavailable(stored.error()));
        if (!stored.value()) return reply_error_later(services, request, call_not_found(call_id));
        const std::string& extension = stored.value()->extension;
        if (!request->principal.may_see_extension(extension))
            return reply_error_later(
                services, request,
                forbidden("call " + call_id + " belongs to extension " + extension +
                          "; an operator token may change only its own extension's calls"));
        auto written = write(storage, call_id);
        if (!written)
            return reply_error_later(services, request, from_storage_error(written.error(), Subject::call));
        boost::asio::post(services.io, [&services, request, call = std::move(written).value()] {
            auto live = services.registry.update(call.id, [&call](calls::Call& active) {
                active.customer = call.customer;
                active.orders = call.orders;
                active.notes = call.notes;
            });
            if (live) {
                reply_json(request, http::beast_http::status::ok,
                           {{"success", true}, {"call", wire::to_json(live.value())}});
                return;
            }
            // The call is over: it is no longer in the registry, so the update is announced directly.
            services.bus.publish(calls::CallEvent{calls::CallEventKind::updated, call, {}});
            reply_json(request, http::beast_http::status::ok,
                       {{"success", true}, {"call", wire::to_json(call)}});
        });
    });
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
    calls::Customer customer{*id, name->value_or(""), ""};
    if (phone->has_value() && !phone->value().empty()) {
        auto normal = services.phones.try_normalize(phone->value());
        if (!normal)
            return reply_error(request, validation_error("customerPhone must be a phone number (got \"" +
                                                         phone->value() + "\")"));
        customer.phone = *normal;
    }
    link_to_call(services, request, [customer](store::Storage& storage, const std::string& call_id) {
        return storage.link_customer(call_id, customer);
    });
}

void handle_link_order(ApiServices& services, const ApiRequestPtr& request) {
    auto order = required_string(request->body, "orderId", 100);
    if (!order) return reply_error(request, order.error());
    link_to_call(services, request, [order_id = *order](store::Storage& storage, const std::string& call_id) {
        return storage.link_order(call_id, order_id);
    });
}

void handle_add_note(ApiServices& services, const ApiRequestPtr& request) {
    auto note = required_string(request->body, "note", 2000);
    if (!note) return reply_error(request, note.error());
    link_to_call(services, request,
                 [text = *note, author = request->principal.name](store::Storage& storage,
                                                                  const std::string& call_id) {
                     return storage.add_note(call_id, text, author);
                 });
}

}  // namespace ff::api
