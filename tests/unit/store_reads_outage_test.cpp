// Every read of the storage while its database is away answers an error naming what failed, on both
// backends: never an empty page, zero figures or "no such call" in its place (which the API would pass on
// as "no calls" to the CRM). PostgreSQL is stopped (pg_ctl stop -m fast); a SQLite file cannot be stopped,
// so its tables are dropped behind the storage's back, and every statement then fails as on a broken file.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>
#include <memory>
#include <string>

#include "store/storage.hpp"
#include "support/sample_calls.hpp"
#include "support/storage_backends.hpp"
#include "support/temp_dir.hpp"

using namespace ff;
using namespace ff::store;
using ff::testing::Backend;
using ff::testing::numbered_ended_call;
using ff::testing::PostgresServer;
using ff::testing::TempDir;

namespace {

std::string sqlite_path(const std::string& url) {
    return url.substr(std::string("sqlite:").size());
}

// A storage with one ended call (an order and a customer linked to it), a token and saved settings, whose
// database is then taken away. The PostgreSQL server comes back at the end, for the next test of the process.
class StoreReadsOutage : public ::testing::TestWithParam<Backend> {
  protected:
    void SetUp() override {
        auto url = ff::testing::fresh_storage_url(GetParam(), dir_);
        ASSERT_TRUE(url) << url.error().message;
        url_ = url.value();
        auto opened = open_storage(url_);
        ASSERT_TRUE(opened) << opened.error().message;
        storage = std::move(opened).value();
        call = numbered_ended_call(1);
        ASSERT_TRUE(storage->record_call(call));
        ASSERT_TRUE(storage->link_order(call.id, "order-1"));
        ASSERT_TRUE(storage->link_customer(call.id, calls::Customer{"customer-1", "Анна", call.from}));
        ASSERT_TRUE(storage->insert_token(TokenRecord{"token-1", "console", "operator", "1001",
                                                      std::string(64, 'a'), calls::now_ms(), std::nullopt}));
        ASSERT_TRUE(storage->save_pbx_settings(config::PbxSettings{}));
        ASSERT_TRUE(storage->save_sip_users({config::SipUser{"operator1", "secret", "1001", "One"}}));
    }

    void TearDown() override {
        if (taken_down_) (void)PostgresServer::instance().bring_back();
    }

    void take_database_away() {
        if (GetParam() == Backend::postgres) {
            ASSERT_TRUE(PostgresServer::instance().take_down());
            taken_down_ = true;
            return;
        }
        sqlite3* other = nullptr;
        ASSERT_EQ(sqlite3_open(sqlite_path(url_).c_str(), &other), SQLITE_OK);
        char* message = nullptr;
        const int code = sqlite3_exec(other,
                                      "DROP TABLE call_notes; DROP TABLE call_orders; DROP TABLE calls; "
                                      "DROP TABLE api_tokens; DROP TABLE sip_users; DROP TABLE settings;",
                                      nullptr, nullptr, &message);
        const std::string reason = message != nullptr ? message : "";
        sqlite3_free(message);
        sqlite3_close(other);
        ASSERT_EQ(code, SQLITE_OK) << reason;
    }

    StatsQuery today() const {
        return StatsQuery{call.extension, calls::now_ms() - std::chrono::hours(1),
                          calls::now_ms() + std::chrono::hours(1)};
    }

    TempDir dir_;
    std::string url_;
    std::unique_ptr<Storage> storage;
    calls::Call call;
    bool taken_down_ = false;
};

// The error's message starts with what failed, in words.
void expect_failed(const calls::Error& error, const std::string& doing) {
    EXPECT_EQ(error.message.rfind(doing + ": ", 0), 0u) << error.message;
    EXPECT_NE(error.code, calls::ErrorCode::not_found) << error.message;
}

TEST_P(StoreReadsOutage, the_reads_work_before_the_database_goes_away) {
    // The baseline the other tests change one thing in.
    ASSERT_TRUE(storage->list_calls(CallQuery{}));
    EXPECT_EQ(storage->list_calls(CallQuery{})->total, 1);
    EXPECT_EQ(storage->stats(today())->orders_linked, 1);
}

TEST_P(StoreReadsOutage, listing_the_calls_answers_the_error_not_an_empty_page) {
    take_database_away();
    const auto page = storage->list_calls(CallQuery{});
    ASSERT_FALSE(page) << "a page of " << page->calls.size() << " calls";
    expect_failed(page.error(), "listing calls");

    CallQuery by_phone;
    by_phone.phone = call.from;
    const auto found = storage->list_calls(by_phone);
    ASSERT_FALSE(found) << "a page of " << found->calls.size() << " calls";
    expect_failed(found.error(), "listing calls");
}

TEST_P(StoreReadsOutage, reading_a_call_answers_the_error_not_no_such_call) {
    take_database_away();
    const auto found = storage->find_call(call.id);
    ASSERT_FALSE(found) << (found.value() ? "the call" : "no such call");
    expect_failed(found.error(), "reading call " + call.id);
}

TEST_P(StoreReadsOutage, statistics_answer_the_error_not_zeros) {
    take_database_away();
    const auto stats = storage->stats(today());
    ASSERT_FALSE(stats) << stats->total_calls << " calls";
    expect_failed(stats.error(), "computing statistics of extension " + call.extension);
}

TEST_P(StoreReadsOutage, the_popups_customer_lookup_answers_the_error_not_no_customer) {
    take_database_away();
    const auto customer = storage->last_customer_for_phone(call.from);
    ASSERT_FALSE(customer);
    expect_failed(customer.error(), "looking up the customer of a phone number");
    EXPECT_EQ(customer.error().message.find(call.from), std::string::npos) << "the phone reached the message";
}

TEST_P(StoreReadsOutage, linking_to_a_call_answers_the_database_error_not_call_not_found) {
    take_database_away();
    const auto customer = storage->link_customer(call.id, calls::Customer{"customer-2", "Борис", ""});
    ASSERT_FALSE(customer);
    EXPECT_NE(customer.error().code, calls::ErrorCode::not_found) << customer.error().message;
    const auto order = storage->link_order(call.id, "order-2");
    ASSERT_FALSE(order);
    EXPECT_NE(order.error().code, calls::ErrorCode::not_found) << order.error().message;
    const auto note = storage->add_note(call.id, "перезвонить", "console");
    ASSERT_FALSE(note);
    EXPECT_NE(note.error().code, calls::ErrorCode::not_found) << note.error().message;
}

TEST_P(StoreReadsOutage, tokens_and_settings_answer_the_error_not_nothing_saved) {
    take_database_away();
    const auto tokens = storage->list_tokens();
    ASSERT_FALSE(tokens) << tokens->size() << " tokens";
    expect_failed(tokens.error(), "listing API tokens");
    const auto pbx = storage->load_pbx_settings();
    ASSERT_FALSE(pbx);
    expect_failed(pbx.error(), "loading PBX settings");
    const auto users = storage->load_sip_users();
    ASSERT_FALSE(users);
    expect_failed(users.error(), "loading PBX users");
}

FF_STORAGE_BACKENDS(StoreReadsOutage);

}  // namespace
