// Reading a request body as a JSON object: media type, syntax and shape checked before any route sees it.
#pragma once

#include <nlohmann/json.hpp>

#include "api/api_error.hpp"
#include "http/http_types.hpp"

namespace ff::api {

// An empty body is an empty object (POST /answer/:id has none); anything else must be
// application/json (415 UNSUPPORTED_MEDIA_TYPE), valid JSON (400 INVALID_JSON with the position)
// and an object (400 VALIDATION_FAILED).
ApiResult<nlohmann::json> parse_json_body(const http::Request& request);

}  // namespace ff::api
