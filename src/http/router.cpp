// Routes are few (tens), so a linear scan over pre-split patterns is both simple and fast enough.
#include "http/router.hpp"

#include <algorithm>

namespace ff::http {
namespace {

template <class Out>
std::vector<Out> split_path(std::string_view path) {
    std::vector<Out> segments;
    std::size_t start = 0;
    while (start <= path.size()) {
        const auto slash = path.find('/', start);
        const auto end = slash == std::string_view::npos ? path.size() : slash;
        if (end > start) segments.emplace_back(path.substr(start, end - start));
        if (slash == std::string_view::npos) break;
        start = slash + 1;
    }
    return segments;
}

}  // namespace

void Router::add(beast_http::verb method, std::string pattern, RouteHandler handler) {
    routes_.push_back(Route{method, split_path<std::string>(pattern), std::move(handler)});
}

bool Router::matches(const Route& route, const std::vector<std::string_view>& segments,
                     std::map<std::string, std::string>& params) {
    if (route.segments.size() != segments.size()) return false;
    params.clear();
    for (std::size_t i = 0; i < segments.size(); ++i) {
        const std::string& expected = route.segments[i];
        if (!expected.empty() && expected.front() == ':') {
            params.emplace(expected.substr(1), std::string(segments[i]));
        } else if (expected != segments[i]) {
            return false;
        }
    }
    return true;
}

Router::Match Router::match(beast_http::verb method, std::string_view path) const {
    Match result;
    const auto segments = split_path<std::string_view>(path);
    std::map<std::string, std::string> params;
    // Literal routes win over parameterised ones ("/api/calls/active" before "/api/calls/:id").
    for (int pass = 0; pass < 2; ++pass) {
        for (const auto& route : routes_) {
            const bool literal = std::none_of(route.segments.begin(), route.segments.end(),
                                              [](const std::string& s) { return !s.empty() && s.front() == ':'; });
            if (literal != (pass == 0)) continue;
            if (!matches(route, segments, params)) continue;
            if (route.method == method) {
                if (result.outcome != Outcome::found) {
                    result.outcome = Outcome::found;
                    result.handler = &route.handler;
                    result.params = params;
                }
            } else if (result.outcome == Outcome::not_found) {
                result.outcome = Outcome::method_not_allowed;
            }
            result.allowed.push_back(route.method);
        }
    }
    return result;
}

}  // namespace ff::http
