// Feeds: what rtpengine sends the service besides SDP: a key report from its DTMF log socket (any process that
// can reach that port can send one), and the JSON of a "query" answer (its counters per party). Asserts: a
// key report names a call and one of the 16 keys; each party read from the counters is found by its tag.
#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "media/key_report.hpp"
#include "media/ng_query.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    // A copy of exactly the input's size, so that ASan sees any read past its end.
    const std::string input(reinterpret_cast<const char*>(data), size);
    if (const auto report = ff::media::parse_key_report(input)) {
        FUZZ_CHECK(!report->call_id.empty());
        FUZZ_CHECK(std::string_view("0123456789*#ABCD").find(report->key) != std::string_view::npos);
    }
    const nlohmann::json answer = nlohmann::json::parse(input, nullptr, false);
    if (!answer.is_discarded()) {
        const ff::media::CallStats stats = ff::media::parse_query_answer(answer);
        for (const auto& party : stats.parties) FUZZ_CHECK(stats.party(party.tag) != nullptr);
    }
    return 0;
}
