// Phone numbers as the call log stores and compares them: E.164 via libphonenumber, extensions as written.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace ff::directory {

// Immutable after construction and safe to share between threads (libphonenumber's PhoneNumberUtil
// is a thread-safe singleton for parsing and formatting).
class PhoneNormalizer {
  public:
    // `default_region`: how numbers written without a country code are read, e.g. "RU".
    explicit PhoneNormalizer(std::string default_region);

    // Always gives something to store and search by:
    //   "8 (999) 123-45-67", "+7 999 123 45 67", "79991234567", "9991234567" (RU) -> "+79991234567";
    //   an internal extension ("1001", "10 01") -> "1001";
    //   anything libphonenumber cannot read or deems impossible -> its digits, with the leading '+' if any.
    std::string normalize(std::string_view written) const;

    // Like normalize(), but nullopt when the text is not a phone number at all: empty, letters or other
    // symbols, a '+' anywhere but first, more than 20 digits. For validating what the API is asked to dial.
    std::optional<std::string> try_normalize(std::string_view written) const;

    // How the number is written for dialling from this country: "+79991234567" -> "89991234567" in RU
    // (libphonenumber's national format, digits only). Extensions and unreadable numbers: their digits.
    std::string national_digits(std::string_view written) const;

    // What was typed, reduced to its digits and a leading '+'.
    static std::string typed_digits(std::string_view written);

    // Only digits (blanks ignored), 1 to 6 of them: an internal extension, not a public number.
    static bool is_extension(std::string_view written);

    const std::string& region() const { return region_; }

  private:
    std::string parse_normal(std::string_view text) const;  // normalize()'s reading, without its memory

    std::string region_;
};

}  // namespace ff::directory
