// The connection check's request and report in JSON: accounts from the body or the saved ones, errors
// naming the entry, steps with only the fields they have.
#include <gtest/gtest.h>

#include "api/connection_check_json.hpp"

namespace ff::api {
namespace {

const std::vector<config::SipUser> saved{{"operator1", "pass-one", "1001", "One"},
                                         {"operator2", "pass-two", "1002", "Two"}};

TEST(ApiConnectionCheckJson, without_users_every_saved_account_is_tried_with_its_password) {
    const auto accounts = accounts_to_check(nlohmann::json::object(), saved);
    ASSERT_TRUE(accounts);
    ASSERT_EQ(accounts->size(), 2u);
    EXPECT_EQ(accounts.value()[1].username, "operator2");
    EXPECT_EQ(accounts.value()[1].password, "pass-two");
}

TEST(ApiConnectionCheckJson, a_password_left_out_is_the_saved_one_of_that_extension) {
    const auto body = nlohmann::json::parse(
        R"({"users":[{"extension":"1001","username":"renamed"},{"extension":"1002","username":"operator2","password":"typed"}]})");
    const auto accounts = accounts_to_check(body, saved);
    ASSERT_TRUE(accounts);
    EXPECT_EQ(accounts.value()[0].username, "renamed");
    EXPECT_EQ(accounts.value()[0].password, "pass-one");
    EXPECT_EQ(accounts.value()[1].password, "typed");
}

TEST(ApiConnectionCheckJson, errors_name_the_entry_and_field) {
    const auto expect_error = [](const char* text, const std::string& start) {
        const auto accounts = accounts_to_check(nlohmann::json::parse(text), saved);
        ASSERT_FALSE(accounts) << text;
        EXPECT_EQ(accounts.error().message.rfind(start, 0), 0u) << accounts.error().message;
    };
    expect_error(R"({"users":"operator1"})", "users must be an array");
    expect_error(R"({"users":[{"extension":"1009","username":"new"}]})", "users[0].password is required");
    expect_error(R"({"users":[{"extension":"1001","username":"a"},{"username":"b","password":"x"}]})",
                 "users[1].extension");
    expect_error(R"({"users":[{"extension":"1","username":"a","password":"x"}]})", "users[0].extension");
    expect_error(R"({"users":[{"extension":"1001","username":"a b","password":"x"}]})", "users[0].username");
}

TEST(ApiConnectionCheckJson, report_lists_steps_with_only_the_fields_they_have) {
    calls::ConnectionReport report;
    calls::CheckStep transport;
    transport.step = "transport";
    transport.title = "Связь с АТС";
    transport.status = calls::StepStatus::ok;
    transport.outcome = "answered";
    transport.rtt_ms = 3;
    transport.sip_status = 200;
    report.steps.push_back(transport);
    calls::CheckStep account;
    account.step = "account";
    account.status = calls::StepStatus::failed;
    account.outcome = "unknown_user";
    account.extension = "1009";
    report.steps.push_back(account);
    const auto json = to_json(report);
    EXPECT_EQ(json["success"], true);
    EXPECT_EQ(json["ok"], false);
    EXPECT_EQ(json["steps"][0]["rttMs"], 3);
    EXPECT_EQ(json["steps"][0]["status"], "ok");
    EXPECT_FALSE(json["steps"][0].contains("extension"));
    EXPECT_EQ(json["steps"][1]["status"], "failed");
    EXPECT_EQ(json["steps"][1]["extension"], "1009");
    EXPECT_FALSE(json["steps"][1].contains("rttMs"));
}

}  // namespace
}  // namespace ff::api
