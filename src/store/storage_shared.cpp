// The parts of Storage written once for every backend: the readers (their errors named and logged, never
// turned into an empty value), the call read back after a CRM link, the statistics arithmetic and the
// assembly of calls with their orders, notes and operator turns. A backend brings only its SQL and its
// connection.
#include <spdlog/spdlog.h>

#include <chrono>
#include <mutex>

#include "store/callback_store.hpp"
#include "store/queue_call_store.hpp"
#include "store/settings_store.hpp"
#include "store/storage_helpers.hpp"
#include "store/token_store.hpp"
#include "wire/call_from_json.hpp"
#include "wire/call_json.hpp"
#include "wire/queue_json.hpp"

namespace ff::store {
namespace {

// Passes a read's value through; an error gets `doing` in front of its message and is logged.
template <class T>
calls::Result<T> reported(calls::Result<T>&& result, const std::string& doing) {
    if (result) return std::move(result);
    log_read_failure(doing, result.error().message);
    return calls::make_error(result.error().code, doing + ": " + result.error().message);
}

}  // namespace

void log_read_failure(std::string_view doing, const std::string& message) {
    using Clock = std::chrono::steady_clock;
    static std::mutex mutex;
    static std::optional<Clock::time_point> last_logged;
    static std::uint64_t held_back = 0;
    std::lock_guard lock(mutex);
    const auto now = Clock::now();
    if (last_logged && now - *last_logged < std::chrono::seconds(10)) {
        ++held_back;
        return;
    }
    if (held_back > 0) {
        spdlog::error("storage: {} failed: {} ({} earlier read failure(s) in the last 10 s not logged)",
                      doing, message, held_back);
    } else {
        spdlog::error("storage: {} failed: {}", doing, message);
    }
    last_logged = now;
    held_back = 0;
}

void CallAssembly::add_call(calls::Call call) {
    index_of_.emplace(call.id, calls_.size());
    calls_.push_back(std::move(call));
}

calls::Call* CallAssembly::call_named(const std::string& call_id) {
    const auto found = index_of_.find(call_id);
    return found == index_of_.end() ? nullptr : &calls_[found->second];
}

void CallAssembly::add_order(const std::string& call_id, calls::OrderLink order) {
    if (calls::Call* call = call_named(call_id)) call->orders.push_back(std::move(order));
}

void CallAssembly::add_note(const std::string& call_id, calls::Note note) {
    if (calls::Call* call = call_named(call_id)) call->notes.push_back(std::move(note));
}

void CallAssembly::add_turn(const std::string& call_id, calls::OperatorTurn turn) {
    if (calls::Call* call = call_named(call_id)) call->operators.push_back(std::move(turn));
}

std::vector<calls::Call> CallAssembly::take() {
    for (calls::Call& call : calls_) call.current_turn();
    index_of_.clear();
    return std::move(calls_);
}

std::vector<calls::OperatorTurn> turns_to_record(const calls::Call& call) {
    if (!call.operators.empty()) return call.operators;
    calls::Call copy = call;
    copy.current_turn();
    return copy.operators;
}

std::optional<std::string> media_column(const calls::Call& call) {
    if (!call.media) return std::nullopt;
    return wire::to_json(*call.media).dump();
}

std::optional<calls::MediaReport> media_from_column(const std::string& call_id,
                                                    const std::optional<std::string>& text) {
    if (!text) return std::nullopt;
    const auto json = nlohmann::json::parse(*text, nullptr, false);
    auto media = wire::media_report_from_json(json);
    if (!media) {
        spdlog::warn("storage: call {}: its media report is unreadable ({}); shown without it", call_id,
                     media.error().message);
        return std::nullopt;
    }
    return std::move(*media);
}

std::string recording_column(const calls::Recording& recording) {
    return wire::to_json(recording, {}).dump();
}

std::optional<std::string> recording_column(const calls::Call& call) {
    if (!call.recording) return std::nullopt;
    return recording_column(*call.recording);
}

std::optional<calls::Recording> recording_from_column(const std::string& call_id,
                                                      const std::optional<std::string>& text) {
    if (!text) return std::nullopt;
    auto recording = wire::recording_from_json(nlohmann::json::parse(*text, nullptr, false));
    if (!recording) {
        spdlog::warn("storage: call {}: its recording's state is unreadable ({}); shown without it", call_id,
                     recording.error().message);
        return std::nullopt;
    }
    return std::move(*recording);
}

std::vector<calls::SmsMessage> sms_from_column(const std::string& call_id, const std::optional<std::string>& text) {
    if (!text) return {};
    auto sms = wire::sms_from_json(nlohmann::json::parse(*text, nullptr, false));
    if (!sms) {
        spdlog::warn("storage: call {}: its SMS are unreadable ({}); shown without them", call_id, sms.error().message);
        return {};
    }
    return std::move(*sms);
}

std::optional<std::string> sms_skip_reason(const SmsAttempt& attempt, std::optional<std::int64_t> last_to_number) {
    if (!last_to_number || attempt.at_ms - *last_to_number >= attempt.min_interval_ms) return std::nullopt;
    const auto minutes = (attempt.at_ms - *last_to_number) / 60000;
    return "an SMS went to this number " + std::to_string(minutes) + " min ago (SMS_MIN_INTERVAL_MINUTES: " +
           std::to_string(attempt.min_interval_ms / 60000) + ")";
}

OperatorStats operator_stats(const std::string& extension, const StatsCounts& counts) {
    OperatorStats stats;
    stats.extension = extension;
    stats.total_calls = counts.total_calls;
    stats.inbound_calls = counts.inbound_calls;
    stats.outbound_calls = counts.outbound_calls;
    stats.answered_calls = counts.answered_calls;
    stats.missed_calls = counts.missed_calls;
    stats.total_duration = counts.total_duration;
    stats.orders_linked = counts.orders_linked;
    stats.calls_with_orders = counts.calls_with_orders;
    stats.one_way_audio_calls = counts.one_way_audio_calls;
    if (stats.answered_calls > 0) {
        // Rounded half up, in integers: (2t + a) / 2a.
        stats.average_duration =
            (2 * stats.total_duration + stats.answered_calls) / (2 * stats.answered_calls);
    }
    if (stats.total_calls > 0) {
        stats.conversion_rate =
            static_cast<double>(stats.calls_with_orders) / static_cast<double>(stats.total_calls);
    }
    return stats;
}

calls::Result<std::optional<calls::Call>> CallLogStore::find_call(const std::string& call_id) {
    return reported(select_call(call_id), "reading call " + call_id);
}

calls::Result<CallPage> CallLogStore::list_calls(const CallQuery& query) {
    return reported(select_calls(query), "listing calls");
}

calls::Result<OperatorStats> CallLogStore::stats(const StatsQuery& query) {
    auto counts = reported(count_calls(query), "computing statistics of extension " + query.extension);
    if (!counts) return counts.error();
    return operator_stats(query.extension, counts.value());
}

calls::Result<std::optional<calls::Customer>> CallLogStore::last_customer_for_phone(
    const std::string& phone) {
    if (phone.empty()) return std::optional<calls::Customer>{};
    // The phone is the customer's: it stays out of the message and the log line.
    return reported(select_last_customer(phone), "looking up the customer of a phone number");
}

calls::Result<calls::Call> CallLogStore::read_back(const std::string& call_id, calls::Status written) {
    if (!written) {
        // Names the call only: the customer's data and the note's text stay out of logs.
        return calls::make_error(written.error().code,
                                 "linking to call " + call_id + ": " + written.error().message);
    }
    auto call = find_call(call_id);
    if (!call) return call.error();
    if (!call.value())
        return calls::make_error(calls::ErrorCode::not_found, "no call " + call_id + " in the call log");
    return std::move(*call.value());
}

calls::Result<calls::Call> CallLogStore::link_customer(const std::string& call_id,
                                                       const calls::Customer& customer) {
    return read_back(call_id, write_customer(call_id, customer));
}

calls::Result<calls::Call> CallLogStore::set_recording(const std::string& call_id,
                                                       const calls::Recording& recording) {
    return read_back(call_id, write_recording(call_id, recording));
}

calls::Result<calls::Call> CallLogStore::link_order(const std::string& call_id, const std::string& order_id) {
    return read_back(call_id, write_order(call_id, order_id));
}

calls::Result<calls::Call> CallLogStore::add_note(const std::string& call_id, const std::string& text,
                                                  const std::string& author) {
    return read_back(call_id, write_note(call_id, text, author));
}

calls::Result<std::vector<TokenRecord>> TokenStore::list_tokens() {
    return reported(select_tokens(), "listing API tokens");
}

calls::Result<std::optional<config::PbxSettings>> SettingsStore::load_pbx_settings() {
    return reported(select_pbx_settings(), "loading PBX settings");
}

calls::Result<std::optional<std::vector<config::SipUser>>> SettingsStore::load_sip_users() {
    return reported(select_sip_users(), "loading PBX users");
}

namespace {

constexpr std::string_view pause_reasons_key = "pause_reasons";

calls::Result<std::optional<std::vector<std::string>>> parse_pause_reasons(const std::optional<std::string>& text) {
    using Reasons = std::optional<std::vector<std::string>>;
    if (!text) return Reasons{};
    const auto parsed = nlohmann::json::parse(*text, nullptr, false);
    if (!parsed.is_array())
        return calls::make_error(calls::ErrorCode::internal, "the saved pause reasons are not a JSON array");
    std::vector<std::string> reasons;
    for (const auto& reason : parsed) {
        if (!reason.is_string())
            return calls::make_error(calls::ErrorCode::internal, "a saved pause reason is not a string");
        reasons.push_back(reason.get<std::string>());
    }
    return Reasons(std::move(reasons));
}

}  // namespace

calls::Result<std::optional<std::vector<std::string>>> SettingsStore::load_pause_reasons() {
    auto text = read_setting(pause_reasons_key);
    if (!text) return reported(calls::Result<std::optional<std::vector<std::string>>>(text.error()), "loading pause reasons");
    return reported(parse_pause_reasons(text.value()), "loading pause reasons");
}

calls::Status SettingsStore::save_pause_reasons(const std::vector<std::string>& reasons) {
    return write_setting(pause_reasons_key, nlohmann::json(reasons).dump());
}

namespace {

constexpr std::string_view sms_texts_key = "sms_texts";

calls::Result<std::optional<config::SmsTexts>> parse_sms_texts(const std::optional<std::string>& text) {
    using Texts = std::optional<config::SmsTexts>;
    if (!text) return Texts{};
    const auto parsed = nlohmann::json::parse(*text, nullptr, false);
    const auto missed = parsed.is_object() ? parsed.find("missedText") : parsed.end();
    const auto order = parsed.is_object() ? parsed.find("orderText") : parsed.end();
    if (missed == parsed.end() || order == parsed.end() || !missed->is_string() || !order->is_string())
        return calls::make_error(calls::ErrorCode::internal, "the saved SMS texts are not {missedText, orderText}");
    return Texts(config::SmsTexts{missed->get<std::string>(), order->get<std::string>()});
}

}  // namespace

calls::Result<std::optional<config::SmsTexts>> SettingsStore::load_sms_texts() {
    auto text = read_setting(sms_texts_key);
    if (!text) return reported(calls::Result<std::optional<config::SmsTexts>>(text.error()), "loading SMS texts");
    return reported(parse_sms_texts(text.value()), "loading SMS texts");
}

calls::Status SettingsStore::save_sms_texts(const config::SmsTexts& texts) {
    return write_setting(sms_texts_key, nlohmann::json{{"missedText", texts.missed}, {"orderText", texts.order}}.dump());
}

namespace {

constexpr std::string_view queues_key = "queues";

calls::Result<std::vector<calls::QueueConfig>> parse_queues(const std::optional<std::string>& text) {
    std::vector<calls::QueueConfig> queues;
    if (!text) return queues;
    const auto parsed = nlohmann::json::parse(*text, nullptr, false);
    if (!parsed.is_array()) return calls::make_error(calls::ErrorCode::internal, "the saved queues are not a JSON array");
    for (const auto& entry : parsed) {
        auto queue = wire::queue_from_json(entry);
        if (!queue) return calls::make_error(calls::ErrorCode::internal, "a saved queue is unreadable: " + queue.error().message);
        queues.push_back(std::move(queue).value());
    }
    return queues;
}

}  // namespace

calls::Result<std::vector<calls::QueueConfig>> SettingsStore::load_queues() {
    auto text = read_setting(queues_key);
    if (!text) return reported(calls::Result<std::vector<calls::QueueConfig>>(text.error()), "loading queues");
    return reported(parse_queues(text.value()), "loading queues");
}

calls::Status SettingsStore::save_queues(const std::vector<calls::QueueConfig>& queues) {
    nlohmann::json saved = nlohmann::json::array();
    for (const auto& queue : queues) saved.push_back(wire::to_json(queue));
    return write_setting(queues_key, saved.dump());
}

calls::Result<std::vector<calls::Callback>> CallbackStore::callbacks(calls::TimePoint since) {
    auto contacts = reported(select_callback_contacts(since), "reading the callback list");
    if (!contacts) return contacts.error();
    return calls::build_callbacks(std::move(contacts).value());
}

calls::Result<std::vector<calls::Callback>> CallbackStore::callbacks_around(const std::string& phone,
                                                                           calls::TimePoint since,
                                                                           calls::TimePoint call_start) {
    auto contacts =
        reported(select_callback_contacts_around(phone, since, call_start), "reading a number's callback entry");
    if (!contacts) return contacts.error();
    return calls::build_callbacks(std::move(contacts).value());
}

calls::Result<calls::QueueStats> QueueCallStore::queue_stats(const std::string& queue, calls::TimePoint from,
                                                            calls::TimePoint until,
                                                            const calls::QueueStatsOptions& options) {
    auto calls = reported(select_queue_calls(queue, from, until), "computing statistics of queue " + queue);
    if (!calls) return calls.error();
    return calls::summarize_queue_calls(calls.value(), options);
}

}  // namespace ff::store
