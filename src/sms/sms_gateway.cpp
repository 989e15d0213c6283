#include "sms/sms_gateway.hpp"

#include <nlohmann/json.hpp>

#include "http/url.hpp"

namespace ff::sms {
namespace {

// The contents of a JSON string, without its quotes.
std::string json_contents(std::string_view text) {
    const std::string quoted = nlohmann::json(std::string(text)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return quoted.substr(1, quoted.size() - 2);
}

std::string filled(std::string pattern, const std::string& phone, const std::string& text,
                   std::string (*encode)(std::string_view)) {
    for (const auto& [name, value] : {std::pair<std::string, std::string>{"{phone}", phone}, {"{text}", text}}) {
        const std::string encoded = encode(value);
        for (auto at = pattern.find(name); at != std::string::npos; at = pattern.find(name, at + encoded.size()))
            pattern.replace(at, name.size(), encoded);
    }
    return pattern;
}

}  // namespace

std::optional<http::ClientRequest> gateway_request(const GatewayOptions& options, const std::string& phone,
                                                   const std::string& text) {
    auto url = http::parse_client_url(filled(options.url, phone, text, http::percent_encode));
    if (!url) return std::nullopt;
    http::ClientRequest request;
    request.url = std::move(*url);
    request.timeout = options.timeout;
    request.headers = options.headers;
    if (options.method == "POST") {
        request.method = boost::beast::http::verb::post;
        const bool json = options.content_type.find("json") != std::string::npos;
        request.body = filled(options.body, phone, text, json ? json_contents : http::percent_encode);
        request.headers.emplace_back("Content-Type", options.content_type);
    }
    return request;
}

}  // namespace ff::sms
