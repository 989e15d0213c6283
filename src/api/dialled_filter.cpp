#include "api/dialled_filter.hpp"

#include "directory/phone_normalizer.hpp"

namespace ff::api {

ApiResult<std::optional<std::string>> dialled_filter(const ApiRequest& request, const directory::PhoneNormalizer& phones) {
    const auto& query = request.query();
    const auto found = query.find("dialled");
    if (found == query.end()) return std::optional<std::string>{};
    auto number = phones.try_normalize(found->second);
    if (!number)
        return validation_error("dialled must be one of the centre's phone numbers (got \"" + found->second + "\")");
    return std::optional<std::string>(std::move(*number));
}

}  // namespace ff::api
