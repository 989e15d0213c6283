#include "media/key_report.hpp"

#include <nlohmann/json.hpp>

namespace ff::media {

std::optional<KeyReport> parse_key_report(std::string_view datagram) {
    using nlohmann::json;
    const json report = json::parse(datagram, nullptr, false);
    if (!report.is_object()) return std::nullopt;
    const auto text = [&report](const char* name) -> const std::string* {
        const auto found = report.find(name);
        return found != report.end() && found->is_string() ? found->get_ptr<const std::string*>() : nullptr;
    };
    const std::string* type = text("type");
    const std::string* call_id = text("callid");
    const std::string* tag = text("source_tag");
    const auto event = report.find("event");
    if (type == nullptr || *type != "DTMF" || call_id == nullptr || call_id->empty() || tag == nullptr ||
        event == report.end() || !event->is_number_unsigned())
        return std::nullopt;
    // RFC 4733's events 0-15 are the keys, in this order; higher ones are tones, not keys.
    constexpr std::string_view keys = "0123456789*#ABCD";
    const auto code = event->get<std::uint64_t>();
    if (code >= keys.size()) return std::nullopt;
    return KeyReport{*call_id, *tag, keys[code]};
}

}  // namespace ff::media
