// Feeds: a call or a line in its JSON form as another instance publishes it. Asserts: an accepted call,
// written again with to_json, reads back to the same JSON (talk times aside, which run with the clock);
// the same for a line.
#include "wire/call_json.hpp"

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>

#include "call_without_clock.hpp"
#include "fuzz_check.hpp"
#include "wire/call_from_json.hpp"

using nlohmann::json;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const json parsed = json::parse(data, data + size, nullptr, false);
    if (parsed.is_discarded()) return 0;

    if (const auto call = ff::wire::call_from_json(parsed)) {
        const json written = ff::wire::to_json(call.value());
        const auto again = ff::wire::call_from_json(written);
        FUZZ_CHECK(again);
        FUZZ_CHECK(call_without_clock(ff::wire::to_json(again.value())) == call_without_clock(written));
    }
    if (const auto line = ff::wire::line_from_json(parsed)) {
        const json written = ff::wire::to_json(line.value());
        const auto again = ff::wire::line_from_json(written);
        FUZZ_CHECK(again && ff::wire::to_json(again.value()) == written);
    }
    return 0;
}
