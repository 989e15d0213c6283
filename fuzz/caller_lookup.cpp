// Feeds: what identifies a caller from outside: a CRM's answer to the customer lookup, its first line taken
// as the caller's number as the PBX wrote it. Asserts: a normalised number is empty or a '+' and digits, and
// normalising it again changes nothing; a customer read from the CRM has an id or a name and a phone.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "directory/http_customer_lookup.hpp"
#include "directory/phone_normalizer.hpp"
#include "fuzz_check.hpp"

namespace {

bool is_number_text(const std::string& text) {
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (!((text[i] >= '0' && text[i] <= '9') || (text[i] == '+' && i == 0))) return false;
    }
    return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const auto newline = input.find('\n');
    const std::string_view written = input.substr(0, newline);
    const std::string_view body = newline == std::string_view::npos ? input : input.substr(newline + 1);

    static const ff::directory::PhoneNormalizer normalizer("RU");
    const std::string number = normalizer.normalize(written);
    FUZZ_CHECK(is_number_text(number));
    if (const auto dialled = normalizer.try_normalize(written)) {
        FUZZ_CHECK(*dialled == number);
        FUZZ_CHECK(normalizer.normalize(*dialled) == *dialled);
    }
    FUZZ_CHECK(is_number_text(normalizer.national_digits(written)));

    if (const auto customer =
            ff::directory::parse_customer_json(body, number.empty() ? "+79991234567" : number)) {
        FUZZ_CHECK(!customer->id.empty() || !customer->name.empty());
        FUZZ_CHECK(!customer->phone.empty());
    }
    return 0;
}
