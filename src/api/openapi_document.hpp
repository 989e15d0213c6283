// The OpenAPI 3.0 description of the REST API, kept beside the routes it describes.
#pragma once

#include <string_view>

namespace ff::api {

// JSON text; a unit test checks that every route of route_table() is in it.
std::string_view openapi_document();
// The object of its "components" (openapi_components.cpp).
std::string_view openapi_components();

}  // namespace ff::api
