// Feeds: a REST request body, its first line taken as the Content-Type, then the fields the routes read
// from it (dial, link, note, PBX settings, users, the connection check's accounts). Asserts: only a JSON
// object is accepted; a string field is accepted only within its length, counted in characters after
// trimming; an integer only within its bounds.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "api/connection_check_json.hpp"
#include "api/fields.hpp"
#include "api/request_body.hpp"
#include "fuzz_check.hpp"

using namespace ff::api;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const auto newline = input.find('\n');
    ff::http::Request request{ff::http::beast_http::verb::post, "/api/calls/dial", 11};
    if (newline != std::string_view::npos) {
        const auto content_type = input.substr(0, newline);
        // Beast refuses header values with line breaks or NUL, as the wire could never carry them.
        if (content_type.find_first_of(std::string_view("\r\0", 2)) == std::string_view::npos)
            request.set(ff::http::beast_http::field::content_type, std::string(content_type));
        request.body() = std::string(input.substr(newline + 1));
    } else {
        request.body() = std::string(input);
    }
    const auto body = parse_json_body(request);
    if (!body) return 0;
    FUZZ_CHECK(body->is_object());

    struct Field {
        const char* name;
        std::size_t min;
        std::size_t max;
    };
    for (const Field field : {Field{"from", 1, 32}, Field{"note", 1, 2000}, Field{"customerName", 0, 200}}) {
        if (const auto text = optional_string(*body, field.name, field.min, field.max);
            text && text.value()) {
            const auto length = utf8_length(**text);
            FUZZ_CHECK(length >= field.min && length <= field.max);
        }
    }
    (void)required_string(*body, "target", 64);
    (void)optional_bool(*body, "autoAnswer");
    if (const auto port = optional_integer(*body, "port", 1, 65535); port && port.value())
        FUZZ_CHECK(**port >= 1 && **port <= 65535);

    static const std::vector<ff::config::SipUser> saved{{"operator1", "secret-one", "1001", "Anna"}};
    (void)accounts_to_check(*body, saved);
    return 0;
}
