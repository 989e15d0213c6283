// Feeds: a call log spool file as a crashed run may leave it (JSON lines of calls or of calls with webhook
// events, the last one perhaps cut short).
// Asserts: no more records than lines; the file rewritten at opening opens again to the same
// records; a record appended after them comes back last.
#include "store/call_log_spool.hpp"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "call_without_clock.hpp"
#include "fuzz_check.hpp"
#include "wire/call_json.hpp"

namespace {

std::filesystem::path spool_path() {
    // Each input is written, read and rewritten with fdatasync: memory-backed when the machine has it.
    const std::filesystem::path base =
        std::filesystem::is_directory("/dev/shm") ? "/dev/shm" : std::filesystem::temp_directory_path();
    return base / ("ff-fuzz-spool-" + std::to_string(::getpid())) / "calls.jsonl";
}

// A record as comparable text: the call (without its talk times, which run with the clock for an active call)
// and the webhook events.
std::string json_of(const ff::store::LogRecord& record) {
    nlohmann::json json = nlohmann::json::object();
    if (record.call) json["call"] = call_without_clock(ff::wire::to_json(*record.call));
    for (const auto& event : record.events)
        json["events"].push_back({event.id, event.type, event.ordering_key, event.occurred_ms, event.body, event.webhook_ids});
    return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    spdlog::set_level(spdlog::level::off);  // a warning per damaged line would cost more than the parsing
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const std::filesystem::path path = spool_path();
    static const struct Cleanup {
        ~Cleanup() {
            std::error_code ignored;
            std::filesystem::remove_all(path.parent_path(), ignored);
        }
    } cleanup;
    std::filesystem::create_directories(path.parent_path());
    {
        std::ofstream file(path, std::ios::binary | std::ios::trunc);
        file.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    }
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto lines = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) + 1;

    std::vector<std::string> records;
    {
        auto spool = ff::store::CallLogSpool::open(path, 1 << 20);
        FUZZ_CHECK(spool);
        FUZZ_CHECK((*spool)->size() <= lines);
        FUZZ_CHECK((*spool)->file_bytes() <= size + 1);
        while (!(*spool)->empty()) {
            records.push_back(json_of((*spool)->front()));
            (*spool)->pop_front();
        }
    }
    auto reopened = ff::store::CallLogSpool::open(path, 1 << 20);
    FUZZ_CHECK(reopened && (*reopened)->size() == records.size());
    for (const auto& record : records) {
        FUZZ_CHECK(json_of((*reopened)->front()) == record);
        (*reopened)->pop_front();
    }
    if (records.empty()) return 0;

    ff::calls::Call call;
    call.id = "appended";
    FUZZ_CHECK((*reopened)->append(ff::store::LogRecord{call, {}}));
    reopened.value().reset();
    auto last = ff::store::CallLogSpool::open(path, 1 << 20);
    FUZZ_CHECK(last && (*last)->size() == records.size() + 1);
    while ((*last)->size() > 1) (*last)->pop_front();
    FUZZ_CHECK((*last)->front().call && (*last)->front().call->id == "appended");
    return 0;
}
