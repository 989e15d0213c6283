// Maps a method and a path such as "/api/calls/hangup/:callId" to a handler, with its parameters.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "http/http_types.hpp"
#include "http/url.hpp"

namespace ff::http {

// Everything a route handler gets: the request, its decoded path parameters and query, and the reply.
struct RequestContext {
    Request request;
    PeerInfo peer;
    Target target;
    std::map<std::string, std::string> params;  // ":callId" -> value
    Reply reply;
};

using RouteHandler = std::function<void(std::shared_ptr<RequestContext>)>;

class Router {
public:
    void add(beast_http::verb method, std::string pattern, RouteHandler handler);

    enum class Outcome { found, method_not_allowed, not_found };
    struct Match {
        Outcome outcome = Outcome::not_found;
        const RouteHandler* handler = nullptr;
        std::map<std::string, std::string> params;
        std::vector<beast_http::verb> allowed;  // for 405 and CORS preflight
    };

    Match match(beast_http::verb method, std::string_view path) const;

private:
    struct Route {
        beast_http::verb method;
        std::vector<std::string> segments;  // ":name" segments capture
        RouteHandler handler;
    };
    static bool matches(const Route& route, const std::vector<std::string_view>& segments,
                        std::map<std::string, std::string>& params);

    std::vector<Route> routes_;
};

}  // namespace ff::http
