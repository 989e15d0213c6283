// Origins are compared after normalising case and a trailing slash, as browsers serialise them.
#include "api/cors_policy.hpp"

#include <algorithm>
#include <cctype>

namespace ff::api {
namespace {

std::string normalise_origin(std::string_view origin) {
    std::string text(origin);
    while (!text.empty() && (text.back() == '/' || text.back() == ' ')) text.pop_back();
    while (!text.empty() && text.front() == ' ') text.erase(text.begin());
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

}  // namespace

CorsPolicy::CorsPolicy(std::vector<std::string> origins) {
    for (const auto& origin : origins) {
        std::string normal = normalise_origin(origin);
        if (normal == "*") {
            any_ = true;
        } else if (!normal.empty()) {
            origins_.push_back(std::move(normal));
        }
    }
}

bool CorsPolicy::allows(std::string_view origin) const {
    if (origin.empty()) return false;
    if (any_) return true;
    const std::string normal = normalise_origin(origin);
    return std::find(origins_.begin(), origins_.end(), normal) != origins_.end();
}

void CorsPolicy::decorate(http::Response& response, std::string_view origin) const {
    using http::beast_http::field;
    if (!any_) response.set(field::vary, "Origin");  // the answer depends on who asks
    if (!allows(origin)) return;
    response.set(field::access_control_allow_origin, any_ ? std::string("*") : std::string(origin));
}

http::Response CorsPolicy::preflight(std::string_view origin,
                                     const std::vector<http::beast_http::verb>& methods) const {
    using http::beast_http::field;
    http::Response response{http::beast_http::status::no_content, 11};
    decorate(response, origin);
    response.set(field::access_control_allow_methods, method_list(methods));
    response.set(field::access_control_allow_headers, "Authorization, Content-Type");
    response.set(field::access_control_max_age, "600");
    response.set(field::cache_control, "no-store");
    return response;
}

std::string method_list(std::vector<http::beast_http::verb> methods) {
    methods.push_back(http::beast_http::verb::options);
    std::sort(methods.begin(), methods.end());
    methods.erase(std::unique(methods.begin(), methods.end()), methods.end());
    std::string text;
    for (const auto method : methods) {
        if (!text.empty()) text += ", ";
        text += std::string(http::beast_http::to_string(method));
    }
    return text;
}

}  // namespace ff::api
