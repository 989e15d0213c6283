// Order matters: CORS preflight first (browsers send no token with it), then Socket.IO, then routes, then
// pages.
#include "api/front_door.hpp"

#include <spdlog/spdlog.h>

#include <exception>

#include "api/api_error.hpp"
#include "api/cors_policy.hpp"
#include "api/static_files.hpp"

namespace ff::api {
namespace {

using http::beast_http::status;
using http::beast_http::verb;

bool starts_with(std::string_view text, std::string_view prefix) {
    return text.substr(0, prefix.size()) == prefix;
}

bool is_realtime_path(std::string_view path) {
    return path == "/socket.io" || starts_with(path, "/socket.io/");
}
bool is_api_path(std::string_view path) {
    return path == "/api" || starts_with(path, "/api/");
}

class FrontDoor {
  public:
    FrontDoor(std::shared_ptr<const http::Router> router, FrontDoorOptions options,
              http::RequestHandler realtime)
        : router_(std::move(router)),
          cors_(std::make_shared<const CorsPolicy>(options.cors_origins)),
          web_dir_(std::move(options.web_dir)),
          realtime_(std::move(realtime)) {}

    void handle(http::Request request, http::PeerInfo peer, http::Reply reply) const {
        const auto origin_header = request[http::beast_http::field::origin];
        std::string origin(origin_header.data(), origin_header.size());
        // Every answer leaves with the CORS headers its origin is entitled to.
        http::Reply decorated = [cors = cors_, origin, reply = std::move(reply)](http::Response response) {
            cors->decorate(response, origin);
            reply(std::move(response));
        };
        try {
            dispatch(std::move(request), std::move(peer), origin, decorated);
        } catch (const std::exception& error) {
            spdlog::error("http: request failed: {}", error.what());
            decorated(error_response({status::internal_server_error, "INTERNAL_ERROR", "internal error"}));
        }
    }

  private:
    void dispatch(http::Request request, http::PeerInfo peer, const std::string& origin,
                  const http::Reply& reply) const {
        const std::string_view raw_target(request.target().data(), request.target().size());
        auto target = http::parse_target(raw_target);
        if (!target) {
            reply(error_response(validation_error("the request URL has a broken percent escape")));
            return;
        }
        const verb method = request.method();
        if (method == verb::options) {
            preflight(*target, origin, reply);
            return;
        }
        if (is_realtime_path(target->path)) {
            realtime_(std::move(request), std::move(peer), reply);
            return;
        }
        auto match = router_->match(method, target->path);
        if (match.outcome == http::Router::Outcome::found) {
            auto context = std::make_shared<http::RequestContext>(http::RequestContext{
                std::move(request), std::move(peer), std::move(*target), std::move(match.params), reply});
            (*match.handler)(std::move(context));
            return;
        }
        if (match.outcome == http::Router::Outcome::method_not_allowed) {
            auto response =
                error_response({status::method_not_allowed, "METHOD_NOT_ALLOWED",
                                std::string(http::beast_http::to_string(method)) + " is not allowed on " +
                                    target->path + " (allowed: " + method_list(match.allowed) + ")"});
            response.set(http::beast_http::field::allow, method_list(match.allowed));
            reply(std::move(response));
            return;
        }
        if ((method == verb::get || method == verb::head) && !is_api_path(target->path)) {
            if (auto page = serve_static(web_dir_, target->path, method == verb::head)) {
                reply(std::move(*page));
                return;
            }
        }
        reply(error_response(not_found("nothing at " + target->path)));
    }

    void preflight(const http::Target& target, const std::string& origin, const http::Reply& reply) const {
        std::vector<verb> methods;
        if (is_realtime_path(target.path)) {
            methods = {verb::get, verb::post};
        } else {
            const auto match = router_->match(verb::options, target.path);
            methods = match.allowed;
            if (methods.empty() && !is_api_path(target.path)) methods = {verb::get, verb::head};
        }
        if (!origin.empty() && !cors_->allows(origin)) {
            reply(error_response({status::forbidden, "ORIGIN_NOT_ALLOWED",
                                  "origin " + origin + " is not allowed: add it to CORS_ORIGIN"}));
            return;
        }
        if (methods.empty()) {
            reply(error_response(not_found("nothing at " + target.path)));
            return;
        }
        auto response = cors_->preflight(origin, methods);
        response.set(http::beast_http::field::allow, method_list(methods));
        reply(std::move(response));
    }

    std::shared_ptr<const http::Router> router_;
    std::shared_ptr<const CorsPolicy> cors_;
    std::string web_dir_;
    http::RequestHandler realtime_;
};

}  // namespace

http::RequestHandler make_front_door(std::shared_ptr<const http::Router> router, FrontDoorOptions options,
                                     http::RequestHandler realtime) {
    auto door = std::make_shared<const FrontDoor>(std::move(router), std::move(options), std::move(realtime));
    return [door](http::Request request, http::PeerInfo peer, http::Reply reply) {
        door->handle(std::move(request), std::move(peer), std::move(reply));
    };
}

}  // namespace ff::api
