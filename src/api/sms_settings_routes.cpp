// The "SMS" tab: the texts sent to a customer after a missed call and after an order. Saved to the database and
// used from the next SMS on. The gateway is configuration (SMS_GATEWAY_URL may hold its key): only its host
// is shown.
#include "api/fields.hpp"
#include "api/route_handlers.hpp"
#include "config/live_settings.hpp"
#include "store/store_worker.hpp"

namespace ff::api {
namespace {

using http::beast_http::status;

// Long enough for a few SMS parts; an SMS text is not a letter.
constexpr std::size_t longest_text = 500;

nlohmann::json sms_settings_json(const ApiServices& services, const config::SmsTexts& texts) {
    return {{"missedText", texts.missed},
            {"orderText", texts.order},
            {"gateway", services.sms_gateway.empty() ? nlohmann::json(nullptr) : nlohmann::json(services.sms_gateway)},
            {"minIntervalMinutes", services.sms_min_interval_minutes}};
}

// Fields absent from the body keep their current text, so the page may send only what changed.
ApiResult<config::SmsTexts> merged_texts(const nlohmann::json& body, config::SmsTexts texts) {
    for (auto [field, text] : {std::pair{"missedText", &texts.missed}, std::pair{"orderText", &texts.order}}) {
        auto given = optional_string(body, field, 0, longest_text);
        if (!given) return given.error();
        if (*given) *text = **given;
    }
    return texts;
}

}  // namespace

void handle_get_sms_settings(ApiServices& services, const ApiRequestPtr& request) {
    reply_json(request, status::ok, {{"settings", sms_settings_json(services, services.settings.sms_texts())}});
}

void handle_put_sms_settings(ApiServices& services, const ApiRequestPtr& request) {
    auto texts = merged_texts(request->body, services.settings.sms_texts());
    if (!texts) return reply_error(request, texts.error());
    services.store.post([&services, request, texts = texts.value()](store::Storage& storage) {
        if (auto saved = storage.save_sms_texts(texts); !saved)
            return reply_error_later(services, request, database_unavailable(saved.error()));
        // Applied only once stored: what runs is always what a restart would load.
        services.settings.replace_sms_texts(texts);
        reply_json_later(services, request, status::ok, {{"success", true}, {"settings", sms_settings_json(services, texts)}});
    });
}

}  // namespace ff::api
