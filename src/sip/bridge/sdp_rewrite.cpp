// Parse, change, print: Sofia owns the SDP grammar; this file only decides what to change.
#include "sip/bridge/sdp_rewrite.hpp"

#include <sofia-sip/sdp.h>
#include <sofia-sip/su_alloc.h>

#include <algorithm>
#include <functional>
#include <random>

namespace ff::sip {
namespace {

bool is_token_char(char c) {  // RFC 4566's token-char
    return c == '!' || (c >= '#' && c <= '\'') || c == '*' || c == '+' || c == '-' || c == '.' ||
           (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= '^' && c <= '~');
}

bool is_token(std::string_view text) {
    return !text.empty() && std::all_of(text.begin(), text.end(), is_token_char);
}

// m=<media> <port>[/<count>] <proto> <fmt> ...: tokens, the proto's joined by '/', separated by spaces
// (RFC 4566; a tab is no separator there).
bool is_media_line(std::string_view line) {
    std::size_t field = 0;
    while (!line.empty()) {
        const auto end = line.find(' ');
        const std::string_view word = line.substr(0, end);
        line = end == std::string_view::npos ? std::string_view{} : line.substr(end + 1);
        if (word.empty()) continue;  // blanks in a row
        bool good = true;
        if (field == 1) {  // a port Sofia would wrap round ("4294967296" printed as 0) is no port either
            const auto port = word.substr(0, word.find('/'));
            good = word.find_first_not_of("0123456789/") == std::string_view::npos && !port.empty() &&
                   port.size() <= 5 && std::stoul(std::string(port)) <= 65535;
        } else if (field == 2) {
            for (std::size_t start = 0; good && start <= word.size();) {
                const auto slash = std::min(word.find('/', start), word.size());
                good = is_token(word.substr(start, slash - start));
                start = slash + 1;
            }
        } else {
            good = is_token(word);
        }
        if (!good) return false;
        ++field;
    }
    return true;
}

// Sofia-SIP's parser (1.12.11, Debian 12) allocates without end on an m= line off the grammar: a character
// outside it in the transport ("m=audio 9 UD(/TLS"), a format that is not a token ("m=audio 9 RTP/AVP \xff0",
// "m=audio 9 x /"), a tab after the transport ("m=video 9 x \t"). One such body from a phone or the PBX
// would take all the memory there is; it is no SDP anyway, so it is refused before Sofia sees it.
bool has_malformed_media_line(std::string_view text) {
    while (!text.empty()) {
        const auto end = text.find_first_of("\r\n");
        std::string_view line = text.substr(0, end);
        text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
        line.remove_prefix(std::min(line.size(), line.find_first_not_of(" \t")));  // Sofia skips these too
        if (line.starts_with("m=") && !is_media_line(line.substr(2))) return true;
    }
    return false;
}

// One parse on its own memory home, freed with the object.
class ParsedSdp {
  public:
    explicit ParsedSdp(std::string_view text) {
        su_home_init(home_);
        if (has_malformed_media_line(text)) return;
        parser_ = sdp_parse(home_, text.data(), static_cast<issize_t>(text.size()), sdp_f_c_missing);
        session_ = parser_ != nullptr ? sdp_session(parser_) : nullptr;
    }
    ~ParsedSdp() {
        if (parser_ != nullptr) sdp_parser_free(parser_);
        su_home_deinit(home_);
    }
    ParsedSdp(const ParsedSdp&) = delete;
    ParsedSdp& operator=(const ParsedSdp&) = delete;

    sdp_session_t* session() const { return session_; }
    su_home_t* home() { return home_; }

    std::optional<std::string> print() {
        if (session_ == nullptr) return std::nullopt;
        sdp_printer_t* printer = sdp_print(home_, session_, nullptr, 0, sdp_f_mode_always);
        std::optional<std::string> text;
        if (printer != nullptr && sdp_message(printer) != nullptr)
            text = std::string(sdp_message(printer), static_cast<std::size_t>(sdp_message_size(printer)));
        if (printer != nullptr) sdp_printer_free(printer);
        return text;
    }

  private:
    su_home_t home_[1] = {};
    sdp_parser_t* parser_ = nullptr;
    sdp_session_t* session_ = nullptr;
};

unsigned to_sofia_mode(MediaDirection direction) {
    switch (direction) {
        case MediaDirection::sendonly:
            return sdp_sendonly;
        case MediaDirection::recvonly:
            return sdp_recvonly;
        case MediaDirection::inactive:
            return sdp_inactive;
        case MediaDirection::sendrecv:
            break;
    }
    return sdp_sendrecv;
}

MediaDirection from_sofia_mode(unsigned mode) {
    switch (mode) {
        case sdp_sendonly:
            return MediaDirection::sendonly;
        case sdp_recvonly:
            return MediaDirection::recvonly;
        case sdp_inactive:
            return MediaDirection::inactive;
        default:
            return MediaDirection::sendrecv;
    }
}

bool unspecified_address(const sdp_connection_t* connection) {
    return connection != nullptr && connection->c_address != nullptr &&
           (std::string_view(connection->c_address) == "0.0.0.0" ||
            std::string_view(connection->c_address) == "::");
}

void for_each_media(sdp_session_t* session, const std::function<void(sdp_media_t&)>& change) {
    for (sdp_media_t* media = session->sdp_media; media != nullptr; media = media->m_next) change(*media);
}

}  // namespace

std::optional<MediaDirection> media_direction(std::string_view sdp) {
    ParsedSdp parsed(sdp);
    if (parsed.session() == nullptr || parsed.session()->sdp_media == nullptr) return std::nullopt;
    return from_sofia_mode(parsed.session()->sdp_media->m_mode);
}

bool is_hold(std::string_view sdp) {
    ParsedSdp parsed(sdp);
    const sdp_session_t* session = parsed.session();
    if (session == nullptr || session->sdp_media == nullptr) return false;
    const sdp_media_t* media = session->sdp_media;
    const sdp_connection_t* connection =
        media->m_connections ? media->m_connections : session->sdp_connection;
    const auto direction = from_sofia_mode(media->m_mode);
    return direction == MediaDirection::sendonly || direction == MediaDirection::inactive ||
           unspecified_address(connection);
}

std::optional<std::string> with_direction(std::string_view sdp, MediaDirection direction) {
    ParsedSdp parsed(sdp);
    if (parsed.session() == nullptr) return std::nullopt;
    for_each_media(parsed.session(), [&](sdp_media_t& media) { media.m_mode = to_sofia_mode(direction); });
    return parsed.print();
}

std::optional<std::string> black_hole_answer(std::string_view offer) {
    ParsedSdp parsed(offer);
    sdp_session_t* session = parsed.session();
    if (session == nullptr) return std::nullopt;
    static char nowhere[] = "0.0.0.0";
    const auto park = [](sdp_connection_t* connection) {
        for (; connection != nullptr; connection = connection->c_next) {
            connection->c_addrtype = sdp_addr_ip4;
            connection->c_address = nowhere;
        }
    };
    park(session->sdp_connection);
    for_each_media(session, [&](sdp_media_t& media) {
        media.m_mode = sdp_inactive;
        park(media.m_connections);
    });
    return parsed.print();
}

LegOrigin::LegOrigin() {
    // Seeded once per thread: opening the kernel's generator for every leg cost more than the rest of the id.
    thread_local std::mt19937_64 random{std::random_device{}()};
    // Keep it within 53 bits, as some endpoints parse the id as a double.
    session_id_ = random() & ((1ULL << 53) - 1);
    version_ = session_id_ % 100000;
}

std::string LegOrigin::stamp(std::string_view sdp) {
    ParsedSdp parsed(sdp);
    sdp_session_t* session = parsed.session();
    if (session == nullptr || session->sdp_origin == nullptr) return std::string(sdp);
    if (const std::size_t hash = std::hash<std::string_view>{}(sdp); hash != last_body_hash_) {
        ++version_;
        last_body_hash_ = hash;
    }
    static char user[] = "pjsip-service";
    session->sdp_origin->o_username = user;
    session->sdp_origin->o_id = session_id_;
    session->sdp_origin->o_version = version_;
    return parsed.print().value_or(std::string(sdp));
}

std::string two_way(std::string_view sdp) {
    return with_direction(sdp, MediaDirection::sendrecv).value_or(std::string(sdp));
}

std::string with_address_of(std::string_view sdp, std::string_view source) {
    ParsedSdp from(source);
    ParsedSdp parsed(sdp);
    if (from.session() == nullptr || parsed.session() == nullptr) return std::string(sdp);
    const sdp_connection_t* connection = from.session()->sdp_connection;
    if (connection == nullptr && from.session()->sdp_media != nullptr)
        connection = from.session()->sdp_media->m_connections;
    if (connection == nullptr || connection->c_address == nullptr) return std::string(sdp);
    std::string address = connection->c_address;
    const sdp_addrtype_e type = connection->c_addrtype;
    const auto readdress = [&](sdp_connection_t* each) {
        for (; each != nullptr; each = each->c_next) {
            each->c_addrtype = type;
            each->c_address = address.data();
        }
    };
    readdress(parsed.session()->sdp_connection);
    for_each_media(parsed.session(), [&](sdp_media_t& media) { readdress(media.m_connections); });
    return parsed.print().value_or(std::string(sdp));
}

}  // namespace ff::sip
