// Phone numbers to E.164 with libphonenumber; extensions and unreadable numbers kept searchable.
#include "directory/phone_normalizer.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

using ff::directory::PhoneNormalizer;

TEST(Phone, russian_number_in_every_written_form_gives_one_e164) {
    const PhoneNormalizer phones("RU");
    for (const char* written : {"8 (999) 123-45-67", "+7 999 123 45 67", "79991234567", "9991234567",
                                "+7(999)123-45-67", "  8-999-123-45-67\t", "8 999 123 45 67"}) {
        EXPECT_EQ(phones.normalize(written), "+79991234567") << written;
    }
}

TEST(Phone, belarus_number_with_region_by) {
    const PhoneNormalizer phones("BY");
    EXPECT_EQ(phones.normalize("8 029 123-45-67"), "+375291234567");
    EXPECT_EQ(phones.normalize("+375 29 123 45 67"), "+375291234567");
    EXPECT_EQ(phones.region(), "BY");
}

TEST(Phone, kazakhstan_number_with_region_kz) {
    const PhoneNormalizer phones("KZ");
    EXPECT_EQ(phones.normalize("8 (701) 123-45-67"), "+77011234567");
    EXPECT_EQ(phones.normalize("+7 701 123 4567"), "+77011234567");
}

TEST(Phone, international_number_keeps_its_own_country_whatever_the_region) {
    const PhoneNormalizer phones("RU");
    EXPECT_EQ(phones.normalize("+375 29 123-45-67"), "+375291234567");
    EXPECT_EQ(phones.normalize("+44 20 7946 0958"), "+442079460958");
}

TEST(Phone, short_internal_extensions_stay_as_written) {
    const PhoneNormalizer phones("RU");
    EXPECT_EQ(phones.normalize("1001"), "1001");
    EXPECT_EQ(phones.normalize(" 10 01 "), "1001");
    EXPECT_EQ(phones.normalize("101"), "101");
    EXPECT_EQ(phones.normalize("123456"), "123456");
    EXPECT_TRUE(PhoneNormalizer::is_extension("1001"));
    EXPECT_TRUE(PhoneNormalizer::is_extension("12 34"));
    EXPECT_FALSE(PhoneNormalizer::is_extension("1234567"));
    EXPECT_FALSE(PhoneNormalizer::is_extension("+1001"));
    EXPECT_FALSE(PhoneNormalizer::is_extension("10-01"));
    EXPECT_FALSE(PhoneNormalizer::is_extension(""));
}

TEST(Phone, impossible_numbers_fall_back_to_their_digits) {
    const PhoneNormalizer phones("RU");
    EXPECT_EQ(phones.normalize("+7 999 12"), "+799912");
    EXPECT_EQ(phones.normalize("12-34-56-78-90-12-34-56"), "1234567890123456");
}

TEST(Phone, a_number_written_with_tabs_is_read_from_its_digits_and_normalises_to_itself) {
    const PhoneNormalizer phones("RU");
    EXPECT_EQ(phones.normalize("8 (99\t9) 123-45-67"), "+79991234567");
    EXPECT_EQ(phones.normalize(phones.normalize("8 (99\t9) 123-45-67")), "+79991234567");
}

TEST(Phone, a_number_libphonenumber_would_change_on_a_second_reading_is_kept_as_its_digits) {
    const PhoneNormalizer phones("RU");
    EXPECT_EQ(phones.normalize("+49 0049 00"), "+49004900");
    EXPECT_EQ(phones.normalize(phones.normalize("+49 0049 00")), "+49004900");
}

TEST(Phone, garbage_and_empty) {
    const PhoneNormalizer phones("RU");
    EXPECT_EQ(phones.normalize(""), "");
    EXPECT_EQ(phones.normalize("   "), "");
    EXPECT_EQ(phones.normalize("abc"), "");
    EXPECT_FALSE(phones.try_normalize(""));
    EXPECT_FALSE(phones.try_normalize("abc"));
    EXPECT_FALSE(phones.try_normalize("+7 999 CALL-NOW"));
    EXPECT_FALSE(phones.try_normalize("79991234567; DROP TABLE calls"));
    EXPECT_FALSE(phones.try_normalize("7+9991234567"));
    EXPECT_FALSE(phones.try_normalize("123456789012345678901"));  // 21 digits
}

TEST(Phone, try_normalize_accepts_what_people_write) {
    const PhoneNormalizer phones("RU");
    EXPECT_EQ(phones.try_normalize("8 (999) 123-45-67"), "+79991234567");
    EXPECT_EQ(phones.try_normalize("1002"), "1002");
    EXPECT_EQ(phones.try_normalize("+7.999.123.45.67"), "+79991234567");
}

TEST(Phone, normalizer_is_usable_from_many_threads) {
    const PhoneNormalizer phones("RU");
    std::vector<std::thread> threads;
    std::atomic<int> mismatches{0};
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&] {
            for (int i = 0; i < 200; ++i) {
                if (phones.normalize("8 (999) 123-45-67") != "+79991234567") ++mismatches;
            }
        });
    }
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(mismatches.load(), 0);
}
