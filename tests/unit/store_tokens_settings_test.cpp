// API tokens and settings-page data on both backends: round trips, revocation, "never saved".
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "support/storage_backends.hpp"
#include "support/temp_dir.hpp"
#include "store/storage.hpp"
#include "support/read_value.hpp"

using namespace ff;
using namespace ff::store;
using calls::TimePoint;

using ff::testing::Backend;
using ff::testing::TempDir;

using ff::testing::read_value;

namespace {

TimePoint at_ms(std::int64_t ms) {
    return TimePoint{std::chrono::milliseconds{ms}};
}

class StorageFixture : public ::testing::TestWithParam<Backend> {
  protected:
    void SetUp() override {
        auto url = ff::testing::fresh_storage_url(GetParam(), dir_);
        ASSERT_TRUE(url) << url.error().message;
        url_ = url.value();
        reopen();
    }

    // Closes and opens the storage again, so a round trip proves the data is stored, not cached.
    void reopen() {
        storage.reset();
        auto opened = open_storage(url_);
        ASSERT_TRUE(opened) << opened.error().message;
        storage = std::move(opened).value();
    }

    TempDir dir_;
    std::string url_;
    std::unique_ptr<Storage> storage;
};

class StoreTokens : public StorageFixture {};
class StoreSettings : public StorageFixture {};

TokenRecord token(const std::string& id, const std::string& hash, std::int64_t created_ms) {
    return TokenRecord{id, "name-" + id, "operator", "1001", hash, at_ms(created_ms), std::nullopt};
}

}  // namespace

TEST_P(StoreTokens, inserted_tokens_are_listed_oldest_first) {
    ASSERT_TRUE(storage->insert_token(token("t2", "hash-2", 2'000)));
    TokenRecord admin{"t1", "first admin", "admin", "", "hash-1", at_ms(1'000), std::nullopt};
    ASSERT_TRUE(storage->insert_token(admin));
    reopen();
    const auto tokens = read_value(storage->list_tokens());
    ASSERT_EQ(tokens.size(), 2u);
    EXPECT_EQ(tokens[0].id, "t1");
    EXPECT_EQ(tokens[0].name, "first admin");
    EXPECT_EQ(tokens[0].role, "admin");
    EXPECT_EQ(tokens[0].extension, "");
    EXPECT_EQ(tokens[0].hash, "hash-1");
    EXPECT_EQ(tokens[0].created_at, at_ms(1'000));
    EXPECT_FALSE(tokens[0].revoked_at);
    EXPECT_EQ(tokens[1].id, "t2");
    EXPECT_EQ(tokens[1].extension, "1001");
}

TEST_P(StoreTokens, revoked_token_stays_listed_with_its_first_revocation_time) {
    ASSERT_TRUE(storage->insert_token(token("t1", "hash-1", 1'000)));
    ASSERT_TRUE(storage->revoke_token("t1", at_ms(5'000)));
    ASSERT_TRUE(storage->revoke_token("t1", at_ms(9'000)));
    reopen();
    const auto tokens = read_value(storage->list_tokens());
    ASSERT_EQ(tokens.size(), 1u);
    EXPECT_EQ(tokens[0].revoked_at, at_ms(5'000));
}

TEST_P(StoreTokens, revoking_an_unknown_token_is_not_found) {
    const auto status = storage->revoke_token("no-such-token", at_ms(1));
    ASSERT_FALSE(status);
    EXPECT_EQ(status.error().code, calls::ErrorCode::not_found);
    EXPECT_NE(status.error().message.find("no-such-token"), std::string::npos);
}

TEST_P(StoreTokens, duplicate_id_or_hash_is_a_conflict_that_does_not_show_the_hash) {
    ASSERT_TRUE(storage->insert_token(token("t1", "secret-hash", 1'000)));
    for (const auto& duplicate : {token("t1", "other-hash", 2'000), token("t2", "secret-hash", 2'000)}) {
        const auto status = storage->insert_token(duplicate);
        ASSERT_FALSE(status);
        EXPECT_EQ(status.error().code, calls::ErrorCode::conflict);
        EXPECT_EQ(status.error().message.find("secret-hash"), std::string::npos) << status.error().message;
    }
    EXPECT_EQ(read_value(storage->list_tokens()).size(), 1u);
}

TEST_P(StoreSettings, nothing_saved_yet_is_nullopt) {
    EXPECT_FALSE(read_value(storage->load_pbx_settings()));
    EXPECT_FALSE(read_value(storage->load_sip_users()));
}

TEST_P(StoreSettings, pbx_settings_round_trip_and_are_replaced_by_a_later_save) {
    config::PbxSettings settings;
    settings.server = "pbx.example.com";
    settings.port = 5080;
    settings.transport = config::SipTransport::tls;
    settings.rtp_port_min = 10000;
    settings.rtp_port_max = 10100;
    settings.stun_server = "stun.example.com:3478";
    ASSERT_TRUE(storage->save_pbx_settings(settings));
    reopen();
    auto loaded = read_value(storage->load_pbx_settings());
    ASSERT_TRUE(loaded);
    EXPECT_EQ(loaded->server, "pbx.example.com");
    EXPECT_EQ(loaded->port, 5080);
    EXPECT_EQ(loaded->transport, config::SipTransport::tls);
    EXPECT_EQ(loaded->rtp_port_min, 10000);
    EXPECT_EQ(loaded->rtp_port_max, 10100);
    EXPECT_EQ(loaded->stun_server, "stun.example.com:3478");

    settings.server = "192.168.1.100";
    settings.transport = config::SipTransport::udp;
    settings.stun_server.clear();
    ASSERT_TRUE(storage->save_pbx_settings(settings));
    loaded = read_value(storage->load_pbx_settings());
    ASSERT_TRUE(loaded);
    EXPECT_EQ(loaded->server, "192.168.1.100");
    EXPECT_EQ(loaded->transport, config::SipTransport::udp);
    EXPECT_EQ(loaded->stun_server, "");
}

TEST_P(StoreSettings, pause_reasons_round_trip_and_are_none_until_saved) {
    EXPECT_FALSE(read_value(storage->load_pause_reasons()));
    ASSERT_TRUE(storage->save_pause_reasons({"обед", "обучение \"по ТБ\""}));
    reopen();
    const auto saved = read_value(storage->load_pause_reasons());
    ASSERT_TRUE(saved);
    EXPECT_EQ(*saved, (std::vector<std::string>{"обед", "обучение \"по ТБ\""}));
}

TEST_P(StoreSettings, sms_texts_round_trip_and_are_none_until_saved) {
    EXPECT_FALSE(read_value(storage->load_sms_texts()));
    ASSERT_TRUE(storage->save_sms_texts({"Перезвоним \"скоро\"", ""}));
    reopen();
    const auto saved = read_value(storage->load_sms_texts());
    ASSERT_TRUE(saved);
    EXPECT_EQ(saved->missed, "Перезвоним \"скоро\"");
    EXPECT_EQ(saved->order, "") << "an empty text is a choice: none of that kind";
}

TEST_P(StoreSettings, sip_users_round_trip_in_list_order) {
    const std::vector<config::SipUser> users{
        {"operator2", "pass456", "1002", "Петров П.П."},
        {"operator1", "pass123", "1001", "Иванов И.И."},
    };
    ASSERT_TRUE(storage->save_sip_users(users));
    reopen();
    const auto loaded = read_value(storage->load_sip_users());
    ASSERT_TRUE(loaded);
    ASSERT_EQ(loaded->size(), 2u);
    EXPECT_EQ((*loaded)[0].username, "operator2");
    EXPECT_EQ((*loaded)[0].password, "pass456");
    EXPECT_EQ((*loaded)[0].extension, "1002");
    EXPECT_EQ((*loaded)[0].display_name, "Петров П.П.");
    EXPECT_EQ((*loaded)[1].extension, "1001");
}

TEST_P(StoreSettings, saved_list_replaces_the_previous_one_and_empty_is_a_saved_choice) {
    ASSERT_TRUE(storage->save_sip_users({{"operator1", "pass123", "1001", "Иванов"}}));
    ASSERT_TRUE(storage->save_sip_users({{"operator3", "pass789", "1003", "Сидоров"}}));
    auto loaded = read_value(storage->load_sip_users());
    ASSERT_TRUE(loaded);
    ASSERT_EQ(loaded->size(), 1u);
    EXPECT_EQ((*loaded)[0].extension, "1003");

    ASSERT_TRUE(storage->save_sip_users({}));
    reopen();
    loaded = read_value(storage->load_sip_users());
    ASSERT_TRUE(loaded);  // saved once: the database list, even empty, is the whole list
    EXPECT_TRUE(loaded->empty());
}

TEST_P(StoreSettings, duplicate_extension_is_refused_and_the_previous_list_kept) {
    ASSERT_TRUE(storage->save_sip_users({{"operator1", "pass123", "1001", "Иванов"}}));
    const auto status =
        storage->save_sip_users({{"a", "secret-a", "1005", "A"}, {"b", "secret-b", "1005", "B"}});
    ASSERT_FALSE(status);
    EXPECT_EQ(status.error().code, calls::ErrorCode::invalid_argument);
    EXPECT_NE(status.error().message.find("1005"), std::string::npos);
    EXPECT_EQ(status.error().message.find("secret"), std::string::npos);
    const auto loaded = read_value(storage->load_sip_users());
    ASSERT_TRUE(loaded);
    ASSERT_EQ(loaded->size(), 1u);
    EXPECT_EQ((*loaded)[0].extension, "1001");
}

FF_STORAGE_BACKENDS(StoreTokens);
FF_STORAGE_BACKENDS(StoreSettings);
