// The spool file: read back and rewritten whole at start-up, then only appended to (and fsync'd) or emptied.
#include "store/call_log_spool.hpp"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <system_error>

#include "wire/call_from_json.hpp"
#include "wire/call_json.hpp"

namespace ff::store {
namespace {

calls::Error spool_error(const std::filesystem::path& path, const std::string& doing, int error_number) {
    return calls::make_error(calls::ErrorCode::unavailable, "call log spool " + path.string() + ": " + doing +
                                                                ": " + std::strerror(error_number));
}

// write() until all of `text` is written or the disk refuses; false with errno set on refusal.
bool write_all(int file, const std::string& text) {
    std::size_t done = 0;
    while (done < text.size()) {
        const ssize_t written = ::write(file, text.data() + done, text.size() - done);
        if (written < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        done += static_cast<std::size_t>(written);
    }
    return true;
}

nlohmann::json event_json(const OutboxEvent& event) {
    return {{"id", event.id},           {"type", event.type}, {"orderingKey", event.ordering_key},
            {"occurredMs", event.occurred_ms}, {"body", event.body}, {"webhookIds", event.webhook_ids}};
}

calls::Result<OutboxEvent> event_of(const nlohmann::json& json) {
    const auto bad = [] { return calls::make_error(calls::ErrorCode::invalid_argument, "a webhook event is damaged"); };
    if (!json.is_object()) return bad();
    OutboxEvent event;
    try {
        json.at("id").get_to(event.id);
        json.at("type").get_to(event.type);
        json.at("orderingKey").get_to(event.ordering_key);
        // Milliseconds since the epoch: a whole number that fits. Converting a float out of range (or a larger
        // unsigned) would not be defined; the fuzzer found such a line (fuzz/corpus/call_log_spool/).
        const auto& occurred = json.at("occurredMs");
        if (!occurred.is_number_integer() ||
            (occurred.is_number_unsigned() &&
             occurred.get<std::uint64_t>() > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())))
            return bad();
        event.occurred_ms = occurred.get<std::int64_t>();
        json.at("body").get_to(event.body);
        json.at("webhookIds").get_to(event.webhook_ids);
    } catch (const nlohmann::json::exception&) {
        return bad();
    }
    if (event.id.empty()) return bad();
    return event;
}

// A snapshot alone is the call's API form (wire::to_json) on one line, as spools of earlier versions hold;
// invalid UTF-8 (a display name from the wire) is replaced rather than making the dump throw. The line holds
// no newline: dump() escapes those in strings.
std::string line_of(const LogRecord& record) {
    nlohmann::json json;
    if (record.events.empty()) {
        json = wire::to_json(*record.call);
    } else {
        json = {{"webhookEvents", nlohmann::json::array()}};
        for (const auto& event : record.events) json["webhookEvents"].push_back(event_json(event));
        if (record.call) json["call"] = wire::to_json(*record.call);
    }
    return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// The record back from its line; refuses, naming the field, a line cut short or altered.
calls::Result<LogRecord> record_of(const std::string& line) {
    const auto json = nlohmann::json::parse(line, nullptr, false);
    if (json.is_discarded()) return calls::make_error(calls::ErrorCode::invalid_argument, "not JSON");
    LogRecord record;
    if (!json.is_object() || !json.contains("webhookEvents")) {
        auto call = wire::call_from_json(json);
        if (!call) return call.error();
        record.call = std::move(call).value();
        return record;
    }
    const auto& events = json["webhookEvents"];
    if (!events.is_array() || events.empty())
        return calls::make_error(calls::ErrorCode::invalid_argument, "webhookEvents is not a list of events");
    for (const auto& item : events) {
        auto event = event_of(item);
        if (!event) return event.error();
        record.events.push_back(std::move(event).value());
    }
    if (json.contains("call")) {
        auto call = wire::call_from_json(json["call"]);
        if (!call) return call.error();
        record.call = std::move(call).value();
    }
    return record;
}

// A rename is durable once the directory holding the name is flushed too.
void sync_directory(const std::filesystem::path& directory) {
    const int handle = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (handle < 0) return;
    ::fsync(handle);
    ::close(handle);
}

struct Loaded {
    std::deque<LogRecord> records;
    std::string text;  // the good lines, each ending with a newline
};

Loaded load(const std::filesystem::path& path) {
    Loaded loaded;
    std::ifstream file(path, std::ios::binary);
    std::string line;
    std::size_t number = 0;
    while (std::getline(file, line)) {
        ++number;
        if (line.empty()) continue;
        auto record = record_of(line);
        if (!record) {
            spdlog::warn(
                "call log spool {}: line {} skipped ({}); a crash while it was written leaves such a line",
                path.string(), number, record.error().message);
            continue;
        }
        loaded.text += line;
        loaded.text += '\n';
        loaded.records.push_back(std::move(record).value());
    }
    return loaded;
}

// Writes `text` to a new file beside `path`, flushed, then puts it in place of `path`.
calls::Status replace_file(const std::filesystem::path& path, const std::string& text) {
    const std::filesystem::path fresh = path.string() + ".new";
    const int file = ::open(fresh.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (file < 0) return spool_error(fresh, "cannot create", errno);
    const bool written = write_all(file, text) && ::fdatasync(file) == 0;
    const int error_number = errno;
    ::close(file);
    if (!written) {
        ::unlink(fresh.c_str());
        return spool_error(fresh, "cannot write", error_number);
    }
    if (::rename(fresh.c_str(), path.c_str()) != 0) return spool_error(path, "cannot replace", errno);
    sync_directory(path.parent_path());
    return calls::Done{};
}

}  // namespace

calls::Result<std::unique_ptr<CallLogSpool>> CallLogSpool::open(const std::filesystem::path& path,
                                                                std::uint64_t max_bytes) {
    std::error_code error;
    if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), error);
    if (error) return spool_error(path.parent_path(), "cannot create the directory", error.value());

    Loaded loaded;
    if (std::filesystem::exists(path, error)) {
        loaded = load(path);
        // Rewritten even when every line was good: a last line without its newline would otherwise
        // swallow the first record appended after it.
        if (auto status = replace_file(path, loaded.text); !status) return status.error();
    }
    // Call records hold customers' numbers and names: the file is the service's own.
    const int file = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (file < 0) return spool_error(path, "cannot open", errno);
    std::unique_ptr<CallLogSpool> spool(new CallLogSpool(path, max_bytes, file));
    spool->file_bytes_ = loaded.text.size();
    spool->records_ = std::move(loaded.records);
    return spool;
}

CallLogSpool::CallLogSpool(std::filesystem::path path, std::uint64_t max_bytes, int file)
    : path_(std::move(path)), max_bytes_(max_bytes), file_(file) {}

CallLogSpool::~CallLogSpool() {
    ::close(file_);
}

calls::Status CallLogSpool::append(const LogRecord& record) {
    const std::string line = line_of(record) + "\n";
    if (file_bytes_ + line.size() > max_bytes_) {
        return calls::make_error(
            calls::ErrorCode::unavailable,
            "call log spool " + path_.string() + " is full (" + std::to_string(max_bytes_) + " bytes)");
    }
    if (!write_all(file_, line) || ::fdatasync(file_) != 0) {
        const int error_number = errno;
        // A line cut short by a full disk must not stay in front of the next append.
        if (::ftruncate(file_, static_cast<off_t>(file_bytes_)) != 0)
            spdlog::error("call log spool {}: cannot cut a failed write off: {}", path_.string(),
                          std::strerror(errno));
        return spool_error(path_, "cannot write", error_number);
    }
    file_bytes_ += line.size();
    records_.push_back(record);
    return calls::Done{};
}

calls::Status CallLogSpool::clear() {
    if (::ftruncate(file_, 0) != 0 || ::fdatasync(file_) != 0)
        return spool_error(path_, "cannot empty", errno);
    file_bytes_ = 0;
    records_.clear();
    return calls::Done{};
}

}  // namespace ff::store
