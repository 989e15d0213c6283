// ?dialled=<number>: the history and the statistics of the calls that dialled one of the centre's numbers.
#pragma once

#include <optional>
#include <string>

#include "api/api_error.hpp"
#include "api/api_request.hpp"

namespace ff::directory {
class PhoneNormalizer;
}

namespace ff::api {

// Absent: nullopt. Present: the number as the log keeps it (any written form finds the same calls), or a
// validation error naming the parameter.
ApiResult<std::optional<std::string>> dialled_filter(const ApiRequest& request, const directory::PhoneNormalizer& phones);

}  // namespace ff::api
