// Which browser origins may call the API (CORS_ORIGIN), and the headers that tell the browser so.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "http/http_types.hpp"

namespace ff::api {

class CorsPolicy {
  public:
    // Exact origins ("https://crm.example.com"); the entry "*" allows any origin, and only it does.
    explicit CorsPolicy(std::vector<std::string> origins);

    bool allows_any() const { return any_; }
    bool allows(std::string_view origin) const;

    // Adds Access-Control-Allow-Origin (the origin itself, or * when configured) for an allowed origin.
    void decorate(http::Response& response, std::string_view origin) const;

    // The answer to a preflight from an allowed origin: 204 with the methods the path accepts.
    http::Response preflight(std::string_view origin,
                             const std::vector<http::beast_http::verb>& methods) const;

  private:
    std::vector<std::string> origins_;  // normalised: lower case, no trailing slash
    bool any_ = false;
};

// "GET, POST, OPTIONS" for the Allow and Access-Control-Allow-Methods headers.
std::string method_list(std::vector<http::beast_http::verb> methods);

}  // namespace ff::api
