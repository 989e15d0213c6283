// The log is written before the live call: a link the answer reports is never lost with the call's end.
#include "api/call_links.hpp"

#include <boost/asio/post.hpp>

#include "api/api_services.hpp"
#include "calls/call_registry.hpp"
#include "calls/event_bus.hpp"
#include "store/store_worker.hpp"

namespace ff::api {
namespace {

calls::Result<calls::Call> write_link(store::Storage& storage, const std::string& call_id, const calls::CallLink& link) {
    switch (link.kind) {
        case calls::CallLink::Kind::customer:
            return storage.link_customer(call_id, link.customer);
        case calls::CallLink::Kind::order:
            return storage.link_order(call_id, link.order_id);
        case calls::CallLink::Kind::note:
            return storage.add_note(call_id, link.text, link.author);
    }
    return calls::make_error(calls::ErrorCode::internal, "unknown link kind");
}

}  // namespace

void apply_link(ApiServices& services, const std::string& call_id, calls::CallLink link, LinkCheck allowed,
                calls::CallLinkRouter::Completion done) {
    services.store.post([&services, call_id, link = std::move(link), allowed = std::move(allowed),
                         done = std::move(done)](store::Storage& storage) {
        // Every answer leaves from the io_context: once it has stopped, nothing is answered to a part that is gone.
        const auto answer = [&services, &done](calls::Result<calls::Call> result) {
            boost::asio::post(services.io, [done, result = std::move(result)] { done(result); });
        };
        const auto stored = storage.find_call(call_id);
        // A log that cannot be read is not a call that does not exist: unavailable (503), not not_found.
        if (!stored) return answer(calls::make_error(calls::ErrorCode::unavailable, stored.error().message));
        if (!stored.value())
            return answer(calls::make_error(calls::ErrorCode::not_found, "no call with callId " + call_id));
        if (allowed) {
            if (auto verdict = allowed(*stored.value()); !verdict) return answer(verdict.error());
        }
        auto written = write_link(storage, call_id, link);
        if (!written) return answer(written.error());
        boost::asio::post(services.io, [&services, done, call = std::move(written).value()] {
            auto live = services.registry.update(call.id, [&call](calls::Call& active) {
                active.customer = call.customer;
                active.orders = call.orders;
                active.notes = call.notes;
            });
            if (live) return done(std::move(live).value());
            // Not up here any more: a call that is over is announced directly. One the log still shows as up
            // is not announced: published from here it would be taken for a call of this instance.
            if (!call.is_active()) services.bus.publish(calls::CallEvent{calls::CallEventKind::updated, call, {}});
            done(call);
        });
    });
}

}  // namespace ff::api
