// Building JSON responses: serialisation that never throws and headers every API answer carries.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "http/http_types.hpp"

namespace ff::api {

// Serialises; bytes that are not UTF-8 (e.g. echoed from a path) are replaced instead of throwing.
std::string dump_json(const nlohmann::json& value);

// application/json; charset=utf-8 with Cache-Control: no-store.
http::Response json_response(http::beast_http::status status, const nlohmann::json& body);
http::Response json_text_response(http::beast_http::status status, std::string body);

}  // namespace ff::api
