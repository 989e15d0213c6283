// Call history: newest first, paged, with the total; operators see only their own extension's calls.
#include "api/dialled_filter.hpp"
#include "api/fields.hpp"
#include "api/route_handlers.hpp"
#include "directory/phone_normalizer.hpp"
#include "store/store_worker.hpp"
#include "wire/call_json.hpp"

namespace ff::api {
namespace {

void list_calls(ApiServices& services, const ApiRequestPtr& request, std::optional<std::string> phone) {
    auto limit = query_integer(request->query(), "limit", 100, 1, 500);
    if (!limit) return reply_error(request, limit.error());
    auto offset = query_integer(request->query(), "offset", 0, 0, 1'000'000'000);
    if (!offset) return reply_error(request, offset.error());
    auto dialled = dialled_filter(*request, services.phones);
    if (!dialled) return reply_error(request, dialled.error());
    store::CallQuery query;
    query.dialled = std::move(*dialled);
    if (!request->principal.sees_all_calls()) query.extension = request->principal.extension;
    query.phone = std::move(phone);
    query.limit = static_cast<int>(*limit);
    query.offset = static_cast<int>(*offset);
    services.store.post_read([&services, request, query](store::Storage& storage) {
        const auto page = storage.list_calls(query);
        if (!page) return reply_error_later(services, request, database_unavailable(page.error()));
        nlohmann::json calls = nlohmann::json::array();
        for (const auto& call : page->calls) calls.push_back(wire::to_json(call));
        reply_json_later(services, request, http::beast_http::status::ok,
                         {{"calls", std::move(calls)},
                          {"total", page->total},
                          {"limit", query.limit},
                          {"offset", query.offset}});
    });
}

}  // namespace

void handle_logs(ApiServices& services, const ApiRequestPtr& request) {
    list_calls(services, request, std::nullopt);
}

void handle_logs_by_phone(ApiServices& services, const ApiRequestPtr& request) {
    const std::string& written = request->param("phone");
    // Any written form finds the same calls: the log stores numbers normalised the same way.
    auto phone = services.phones.try_normalize(written);
    if (!phone)
        return reply_error(request, validation_error("phone must be a phone number or an extension (got \"" +
                                                     written + "\")"));
    list_calls(services, request, std::move(phone));
}

}  // namespace ff::api
