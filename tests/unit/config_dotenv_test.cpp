// The .env reader: syntax it accepts, lines it reports, and the process environment winning over it.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "config/dotenv.hpp"

using namespace ff::config;

TEST(Dotenv, reads_pairs_comments_blank_lines_and_export) {
    const auto result = parse_dotenv(
        "# Service Configuration\n"
        "PORT=3009\n"
        "\n"
        "   # indented comment\n"
        "export SIP_SERVER=sip.example.com\n"
        "SIP_TRANSPORT = UDP   # trailing comment\n"
        "EMPTY=\n");
    EXPECT_TRUE(result.errors.empty());
    EXPECT_EQ(result.values.size(), 4u);
    EXPECT_EQ(result.values.at("PORT"), "3009");
    EXPECT_EQ(result.values.at("SIP_SERVER"), "sip.example.com");
    EXPECT_EQ(result.values.at("SIP_TRANSPORT"), "UDP");
    EXPECT_EQ(result.values.at("EMPTY"), "");
}

TEST(Dotenv, keeps_seed_sip_users_line_with_cyrillic_and_spaces) {
    const auto result =
        parse_dotenv("SIP_USERS=operator1:pass123:1001:Иванов И.И.,operator2:pass456:1002:Петров П.П.\n");
    ASSERT_TRUE(result.errors.empty());
    EXPECT_EQ(result.values.at("SIP_USERS"),
              "operator1:pass123:1001:Иванов И.И.,operator2:pass456:1002:Петров П.П.");
}

TEST(Dotenv, hash_inside_an_unquoted_value_is_not_a_comment) {
    const auto result = parse_dotenv("PASSWORD=pa#ss # comment\n");
    EXPECT_EQ(result.values.at("PASSWORD"), "pa#ss");
}

TEST(Dotenv, single_quotes_are_literal) {
    const auto result = parse_dotenv("A='x \\n # $HOME \"q\"'  # comment\n");
    ASSERT_TRUE(result.errors.empty());
    EXPECT_EQ(result.values.at("A"), "x \\n # $HOME \"q\"");
}

TEST(Dotenv, double_quotes_understand_escapes) {
    const auto result = parse_dotenv(R"(A="line1\nline2\t\"q\" \\ \d")");
    ASSERT_TRUE(result.errors.empty());
    EXPECT_EQ(result.values.at("A"), "line1\nline2\t\"q\" \\ \\d");
}

TEST(Dotenv, no_variable_expansion) {
    const auto result = parse_dotenv("A=${HOME}/x\nB=\"$A\"\n");
    EXPECT_EQ(result.values.at("A"), "${HOME}/x");
    EXPECT_EQ(result.values.at("B"), "$A");
}

TEST(Dotenv, crlf_line_ends_and_bom_are_tolerated) {
    const auto result = parse_dotenv("\xEF\xBB\xBFPORT=3009\r\nHOST=127.0.0.1\r\n");
    ASSERT_TRUE(result.errors.empty());
    EXPECT_EQ(result.values.at("PORT"), "3009");
    EXPECT_EQ(result.values.at("HOST"), "127.0.0.1");
}

TEST(Dotenv, later_line_wins) {
    const auto result = parse_dotenv("PORT=1\nPORT=2\n");
    EXPECT_EQ(result.values.at("PORT"), "2");
}

TEST(Dotenv, malformed_lines_are_reported_with_their_numbers_and_others_still_read) {
    const auto result = parse_dotenv(
        "PORT=3009\n"
        "this is not a pair\n"
        "1ABC=x\n"
        "A=\"unterminated\n"
        "B='x' trailing\n"
        "HOST=localhost\n");
    ASSERT_EQ(result.errors.size(), 4u);
    EXPECT_EQ(result.errors[0].line, 2);
    EXPECT_EQ(result.errors[1].line, 3);
    EXPECT_EQ(result.errors[2].line, 4);
    EXPECT_EQ(result.errors[3].line, 5);
    EXPECT_NE(result.errors[2].message.find("unterminated"), std::string::npos);
    EXPECT_EQ(result.values.at("PORT"), "3009");
    EXPECT_EQ(result.values.at("HOST"), "localhost");
    EXPECT_FALSE(result.values.contains("A"));
}

TEST(Dotenv, error_messages_never_contain_the_value) {
    const auto result = parse_dotenv("SECRET=\"s3cr3t-value\n");
    ASSERT_EQ(result.errors.size(), 1u);
    EXPECT_EQ(result.errors[0].message.find("s3cr3t"), std::string::npos);
    EXPECT_NE(format_dotenv_errors(".env", result.errors).find(".env:1: SECRET"), std::string::npos);
}

TEST(Dotenv, missing_file_is_not_an_error) {
    const auto result = read_dotenv_file("/nonexistent/dir/.env");
    EXPECT_FALSE(result.found);
    EXPECT_TRUE(result.errors.empty());
}

TEST(Dotenv, reads_a_real_file) {
    const auto dir = std::filesystem::temp_directory_path() / ("ff_dotenv_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    {
        std::ofstream file(dir / ".env");
        file << "PORT=4000\nSIP_SERVER=pbx.local\n";
    }
    const auto result = read_dotenv_file(dir / ".env");
    std::filesystem::remove_all(dir);
    EXPECT_TRUE(result.found);
    EXPECT_EQ(result.values.at("PORT"), "4000");
    EXPECT_EQ(result.values.at("SIP_SERVER"), "pbx.local");
}

TEST(Dotenv, process_environment_wins_over_dotenv) {
    const auto dotenv = parse_dotenv("PORT=4000\nSIP_SERVER=pbx.local\n");
    const auto merged = merge_environment(dotenv.values, {{"PORT", "5000"}, {"PATH", "/bin"}});
    EXPECT_EQ(merged.at("PORT"), "5000");
    EXPECT_EQ(merged.at("SIP_SERVER"), "pbx.local");
    EXPECT_EQ(merged.at("PATH"), "/bin");
}

TEST(Dotenv, process_environment_is_read_from_environ) {
    ::setenv("FF_DOTENV_TEST_VARIABLE", "a=b", 1);
    const auto environment = process_environment();
    ::unsetenv("FF_DOTENV_TEST_VARIABLE");
    EXPECT_EQ(environment.at("FF_DOTENV_TEST_VARIABLE"), "a=b");
}
