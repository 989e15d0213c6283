// The registrar's binding table: several phones per extension, refresh, removal, expiry, a cap per extension.
#include <gtest/gtest.h>

#include "sip/phones/device_bindings.hpp"

using namespace ff::sip;
using std::chrono::seconds;

namespace {

const DeviceBindings::Clock::time_point start{seconds(1000)};

DeviceContact phone(const std::string& extension, const std::string& contact, seconds registered_at,
                    seconds lifetime) {
    DeviceContact phone;
    phone.extension = extension;
    phone.contact = contact;
    phone.uri = contact;
    phone.registered = start + registered_at;
    phone.expires = start + registered_at + lifetime;
    return phone;
}

}  // namespace

TEST(SipDeviceBindings, two_phones_of_one_extension_are_both_listed_newest_first) {
    DeviceBindings bindings;
    bindings.bind(phone("1001", "sip:desk@10.0.0.1", seconds(0), seconds(600)));
    bindings.bind(phone("1001", "sip:soft@10.0.0.2", seconds(5), seconds(600)));
    bindings.bind(phone("1002", "sip:other@10.0.0.3", seconds(1), seconds(600)));
    const auto phones = bindings.of("1001");
    ASSERT_EQ(phones.size(), 2u);
    EXPECT_EQ(phones[0].contact, "sip:soft@10.0.0.2");
    EXPECT_EQ(phones[1].contact, "sip:desk@10.0.0.1");
    EXPECT_EQ(bindings.count("1002"), 1);
    EXPECT_EQ(bindings.count("1003"), 0);
}

TEST(SipDeviceBindings, registering_the_same_contact_again_refreshes_it) {
    DeviceBindings bindings;
    bindings.bind(phone("1001", "sip:desk@10.0.0.1", seconds(0), seconds(60)));
    bindings.bind(phone("1001", "sip:desk@10.0.0.1", seconds(50), seconds(60)));
    ASSERT_EQ(bindings.count("1001"), 1);
    EXPECT_EQ(bindings.of("1001")[0].expires, start + seconds(110));
    EXPECT_TRUE(bindings.expire(start + seconds(100)).empty());
    EXPECT_EQ(bindings.count("1001"), 1);
}

TEST(SipDeviceBindings, unbind_removes_one_phone_and_unbind_all_every_phone) {
    DeviceBindings bindings;
    bindings.bind(phone("1001", "sip:a@10.0.0.1", seconds(0), seconds(600)));
    bindings.bind(phone("1001", "sip:b@10.0.0.2", seconds(0), seconds(600)));
    EXPECT_TRUE(bindings.unbind("1001", "sip:a@10.0.0.1"));
    EXPECT_FALSE(bindings.unbind("1001", "sip:a@10.0.0.1"));
    EXPECT_EQ(bindings.count("1001"), 1);
    bindings.bind(phone("1001", "sip:c@10.0.0.3", seconds(0), seconds(600)));
    EXPECT_EQ(bindings.unbind_all("1001"), 2u);
    EXPECT_EQ(bindings.count("1001"), 0);
    EXPECT_TRUE(bindings.extensions().empty());
    EXPECT_EQ(bindings.unbind_all("1001"), 0u);
}

TEST(SipDeviceBindings, expiry_drops_only_the_phones_whose_time_is_up_and_names_their_extensions) {
    DeviceBindings bindings;
    bindings.bind(phone("1001", "sip:short@10.0.0.1", seconds(0), seconds(60)));
    bindings.bind(phone("1001", "sip:long@10.0.0.2", seconds(0), seconds(600)));
    bindings.bind(phone("1002", "sip:short@10.0.0.3", seconds(0), seconds(90)));
    EXPECT_EQ(bindings.next_expiry(), start + seconds(60));

    EXPECT_TRUE(bindings.expire(start + seconds(59)).empty());
    EXPECT_EQ(bindings.expire(start + seconds(60)), std::vector<std::string>{"1001"});
    EXPECT_EQ(bindings.count("1001"), 1);
    EXPECT_EQ(bindings.next_expiry(), start + seconds(90));

    EXPECT_EQ(bindings.expire(start + seconds(600)), (std::vector<std::string>{"1001", "1002"}));
    EXPECT_TRUE(bindings.extensions().empty());
    EXPECT_FALSE(bindings.next_expiry().has_value());
}

TEST(SipDeviceBindings, a_phone_beyond_the_cap_replaces_the_one_closest_to_expiring) {
    DeviceBindings bindings(2);
    bindings.bind(phone("1001", "sip:a@10.0.0.1", seconds(0), seconds(600)));
    bindings.bind(phone("1001", "sip:b@10.0.0.2", seconds(0), seconds(100)));
    bindings.bind(phone("1001", "sip:c@10.0.0.3", seconds(1), seconds(600)));
    const auto phones = bindings.of("1001");
    ASSERT_EQ(phones.size(), 2u);
    EXPECT_EQ(phones[0].contact, "sip:c@10.0.0.3");
    EXPECT_EQ(phones[1].contact, "sip:a@10.0.0.1");
}
