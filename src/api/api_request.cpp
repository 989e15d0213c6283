// Replies leave through the connection's Reply, which may be called once from any thread.
#include "api/api_request.hpp"

#include <boost/asio/post.hpp>

#include "api/json_response.hpp"

namespace ff::api {

const std::string& ApiRequest::param(const std::string& name) const {
    static const std::string none;
    const auto found = context->params.find(name);
    return found == context->params.end() ? none : found->second;
}

void reply_json(const ApiRequestPtr& request, http::beast_http::status status, const nlohmann::json& body) {
    request->context->reply(json_response(status, body));
}

void reply_error(const ApiRequestPtr& request, const ApiError& error) {
    request->context->reply(error_response(error));
}

void reply_json_later(ApiServices& services, const ApiRequestPtr& request, http::beast_http::status status,
                      nlohmann::json body) {
    boost::asio::post(services.io,
                      [request, status, body = std::move(body)] { reply_json(request, status, body); });
}

void reply_error_later(ApiServices& services, const ApiRequestPtr& request, ApiError error) {
    boost::asio::post(services.io, [request, error = std::move(error)] { reply_error(request, error); });
}

}  // namespace ff::api
