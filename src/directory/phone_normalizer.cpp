// Extensions are kept as typed because libphonenumber would read "1001" as a (bogus) national number.
#include "directory/phone_normalizer.hpp"

#include <phonenumbers/phonenumberutil.h>

#include <unordered_map>

namespace ff::directory {
namespace {

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

constexpr std::size_t max_digits = 20;

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}
bool is_blank(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

std::string_view trim(std::string_view text) {
    while (!text.empty() && is_blank(text.front())) text.remove_prefix(1);
    while (!text.empty() && is_blank(text.back())) text.remove_suffix(1);
    return text;
}

// The digits of `text`, after a '+' when the text starts with one.
std::string digits_of(std::string_view text) {
    std::string result = text.starts_with('+') ? "+" : "";
    for (const char c : text) {
        if (is_digit(c)) result.push_back(c);
    }
    return result == "+" ? std::string() : result;
}

// The characters people write numbers with: digits, blanks, - ( ) . / and one leading '+'.
bool looks_like_a_number(std::string_view text) {
    std::size_t digits = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (is_digit(c)) {
            ++digits;
        } else if (c == '+') {
            if (i != 0) return false;
        } else if (!is_blank(c) && c != '-' && c != '(' && c != ')' && c != '.' && c != '/') {
            return false;
        }
    }
    return digits > 0 && digits <= max_digits;
}

}  // namespace

PhoneNormalizer::PhoneNormalizer(std::string default_region) : region_(std::move(default_region)) {}

bool PhoneNormalizer::is_extension(std::string_view written) {
    std::size_t digits = 0;
    for (const char c : trim(written)) {
        if (is_blank(c)) continue;
        if (!is_digit(c)) return false;
        ++digits;
    }
    return digits >= 1 && digits <= 6;
}

std::string PhoneNormalizer::typed_digits(std::string_view written) {
    return digits_of(trim(written));
}

std::string PhoneNormalizer::national_digits(std::string_view written) const {
    const std::string_view text = trim(written);
    if (is_extension(text)) return digits_of(text);
    const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
    PhoneNumber number;
    if (util.Parse(std::string(text), region_, &number) != PhoneNumberUtil::NO_PARSING_ERROR)
        return digits_of(text);
    std::string national;
    util.Format(number, PhoneNumberUtil::NATIONAL, &national);
    return digits_of(national);
}

std::string PhoneNormalizer::normalize(std::string_view written) const {
    const std::string_view text = trim(written);
    if (text.empty()) return {};
    if (is_extension(text)) return digits_of(text);
    // libphonenumber reads a number with ICU regular expressions, and here twice: the costliest step of a
    // call's arrival. The same numbers come again and again (regular callers, the centre's own numbers), so
    // each thread keeps its latest answers, forgotten all at once when there are too many.
    constexpr std::size_t remembered = 4096;
    thread_local std::unordered_map<std::string, std::string> answers;
    std::string key = region_ + ' ' + std::string(text);
    if (const auto found = answers.find(key); found != answers.end()) return found->second;
    if (answers.size() >= remembered) answers.clear();
    std::string normal = parse_normal(text);
    answers.emplace(std::move(key), normal);
    return normal;
}

std::string PhoneNormalizer::parse_normal(std::string_view text) const {
    const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
    // What libphonenumber cannot read as written (tabs among the digits, say) is read again from its digits:
    // the form stored must normalise to itself, or searching by it would not find the call.
    for (const std::string& candidate : {std::string(text), digits_of(text)}) {
        PhoneNumber number;
        if (util.Parse(candidate, region_, &number) == PhoneNumberUtil::NO_PARSING_ERROR &&
            util.IsPossibleNumber(number)) {
            std::string e164;
            util.Format(number, PhoneNumberUtil::E164, &e164);
            // libphonenumber drops a trunk 0 after some country codes once more on a second reading
            // ("+49 0049 00" -> "+4904900" -> "+494900"): a form that would change again is not stored.
            PhoneNumber again;
            std::string twice;
            if (util.Parse(e164, region_, &again) == PhoneNumberUtil::NO_PARSING_ERROR)
                util.Format(again, PhoneNumberUtil::E164, &twice);
            if (twice == e164) return e164;
        }
    }
    return digits_of(text);
}

std::optional<std::string> PhoneNormalizer::try_normalize(std::string_view written) const {
    const std::string_view text = trim(written);
    if (!looks_like_a_number(text)) return std::nullopt;
    return normalize(text);
}

}  // namespace ff::directory
