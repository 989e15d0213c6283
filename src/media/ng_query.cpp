// Reading rtpengine's query answer: tags -> medias -> streams, each stream flagged RTP or RTCP with its stats.
#include "media/ng_query.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace ff::media {

namespace {

std::uint64_t counter(const nlohmann::json& object, const char* key) {
    if (!object.is_object()) return 0;
    const auto found = object.find(key);
    return found != object.end() && found->is_number_unsigned() ? found->get<std::uint64_t>() : 0;
}

bool has_flag(const nlohmann::json& stream, const char* flag) {
    const auto flags = stream.find("flags");
    if (flags == stream.end() || !flags->is_array()) return false;
    for (const auto& item : *flags) {
        if (item.is_string() && item.get<std::string>() == flag) return true;
    }
    return false;
}

std::string endpoint_text(const nlohmann::json& stream) {
    const auto endpoint = stream.find("endpoint");
    if (endpoint == stream.end() || !endpoint->is_object()) return {};
    const auto address = endpoint->find("address");
    const std::uint64_t port = counter(*endpoint, "port");
    if (address == endpoint->end() || !address->is_string() || port == 0) return {};
    const std::string host = address->get<std::string>();
    return (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

PartyStats party_from(const std::string& tag, const nlohmann::json& entry) {
    PartyStats party;
    party.tag = tag;
    const auto medias = entry.find("medias");
    if (medias == entry.end() || !medias->is_array()) return party;
    for (const auto& media : *medias) {
        const auto streams = media.find("streams");
        if (!media.is_object() || streams == media.end() || !streams->is_array()) continue;
        for (const auto& stream : *streams) {
            if (!stream.is_object()) continue;
            const auto stats = stream.find("stats");
            const nlohmann::json empty = nlohmann::json::object();
            const nlohmann::json& numbers = stats != stream.end() ? *stats : empty;
            if (has_flag(stream, "RTCP")) {
                party.rtcp_packets += counter(numbers, "packets");
                continue;
            }
            party.rtp_packets += counter(numbers, "packets");
            party.rtp_bytes += counter(numbers, "bytes");
            party.rtp_errors += counter(numbers, "errors");
            if (party.local_port == 0) party.local_port = static_cast<std::uint16_t>(counter(stream, "local port"));
            if (party.ssrc == 0) party.ssrc = static_cast<std::uint32_t>(counter(stream, "SSRC"));
            if (party.endpoint.empty()) party.endpoint = endpoint_text(stream);
        }
    }
    return party;
}

// The receiver reports about the party's source: rtpengine keys them by SSRC at the top of its answer, and
// gives them only once a report came.
void add_reports(PartyStats& party, const nlohmann::json& sources) {
    if (party.ssrc == 0 || !sources.is_object()) return;
    const auto source = sources.find(std::to_string(party.ssrc));
    if (source == sources.end() || !source->is_object()) return;
    if (const auto lost = source->find("cumulative loss"); lost != source->end() && lost->is_number_integer())
        party.lost = static_cast<std::uint64_t>(std::max<std::int64_t>(lost->get<std::int64_t>(), 0));
    if (const auto average = source->find("average MOS"); average != source->end() && average->is_object()) {
        if (const auto jitter = average->find("jitter"); jitter != average->end() && jitter->is_number())
            party.jitter_ms = std::max(jitter->get<double>(), 0.0);
    }
}

}  // namespace

const PartyStats* CallStats::party(const std::string& tag) const {
    for (const auto& candidate : parties) {
        if (candidate.tag == tag) return &candidate;
    }
    return nullptr;
}

CallStats parse_query_answer(const nlohmann::json& answer) {
    CallStats stats;
    if (!answer.is_object()) return stats;
    if (const auto tags = answer.find("tags"); tags != answer.end() && tags->is_object()) {
        for (const auto& [tag, entry] : tags->items()) {
            if (entry.is_object()) stats.parties.push_back(party_from(tag, entry));
        }
    }
    if (const auto sources = answer.find("SSRC"); sources != answer.end()) {
        for (auto& party : stats.parties) add_reports(party, *sources);
    }
    if (const auto totals = answer.find("totals"); totals != answer.end() && totals->is_object()) {
        if (const auto rtp = totals->find("RTP"); rtp != totals->end()) {
            stats.total_rtp_packets = counter(*rtp, "packets");
            stats.total_rtp_errors = counter(*rtp, "errors");
        }
    }
    return stats;
}

}  // namespace ff::media
