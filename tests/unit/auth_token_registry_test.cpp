// Tokens: random, stored only as hashes, revocable, and carrying the role they were issued with.
#include <gtest/gtest.h>

#include <set>

#include "auth/token_registry.hpp"

using namespace ff::auth;

TEST(AuthTokens, generated_tokens_are_prefixed_url_safe_and_unique) {
    std::set<std::string> seen;
    for (int i = 0; i < 100; ++i) {
        const std::string token = generate_token();
        EXPECT_EQ(token.size(), 4u + 43u);
        EXPECT_EQ(token.rfind("fft_", 0), 0u);
        EXPECT_EQ(
            token.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_", 4),
            std::string::npos);
        EXPECT_TRUE(seen.insert(token).second);
    }
}

TEST(AuthTokens, hash_is_hex_sha256) {
    EXPECT_EQ(hash_token("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(hash_token("").size(), 64u);
}

TEST(AuthTokens, issued_record_keeps_only_the_hash) {
    const auto issued = issue_token("Anna", Role::operator_, "1001");
    EXPECT_EQ(issued.record.hash, hash_token(issued.secret));
    EXPECT_EQ(issued.record.role, "operator");
    EXPECT_EQ(issued.record.extension, "1001");
    EXPECT_EQ(issued.record.id.size(), 36u);
    EXPECT_EQ(issue_token("Boss", Role::supervisor, "1001").record.extension, "");
}

TEST(AuthTokens, authenticate_returns_principal_with_role_and_extension) {
    TokenRegistry registry;
    const auto op = issue_token("Anna", Role::operator_, "1001");
    const auto admin = issue_token("Root", Role::admin, "");
    registry.load({op.record, admin.record});
    const auto who = registry.authenticate(op.secret);
    ASSERT_TRUE(who);
    EXPECT_EQ(who->role, Role::operator_);
    EXPECT_EQ(who->extension, "1001");
    EXPECT_EQ(who->name, "Anna");
    EXPECT_EQ(who->token_id, op.record.id);
    EXPECT_FALSE(who->sees_all_calls());
    EXPECT_TRUE(who->may_see_extension("1001"));
    EXPECT_FALSE(who->may_see_extension("1002"));
    const auto root = registry.authenticate(admin.secret);
    ASSERT_TRUE(root);
    EXPECT_TRUE(root->is_admin());
    EXPECT_TRUE(root->may_see_extension("1002"));
    EXPECT_TRUE(registry.has_admin());
}

TEST(AuthTokens, unknown_empty_and_altered_tokens_are_refused) {
    TokenRegistry registry;
    const auto op = issue_token("Anna", Role::operator_, "1001");
    registry.add(op.record);
    EXPECT_FALSE(registry.authenticate(""));
    EXPECT_FALSE(registry.authenticate(generate_token()));
    std::string altered = op.secret;
    altered.back() = altered.back() == 'A' ? 'B' : 'A';
    EXPECT_FALSE(registry.authenticate(altered));
    EXPECT_FALSE(registry.authenticate(op.record.hash));  // the stored hash is not a credential
}

TEST(AuthTokens, revoked_token_no_longer_authenticates) {
    TokenRegistry registry;
    const auto admin = issue_token("Root", Role::admin, "");
    registry.add(admin.record);
    ASSERT_TRUE(registry.authenticate(admin.secret));
    registry.revoke(admin.record.id);
    EXPECT_FALSE(registry.authenticate(admin.secret));
    EXPECT_FALSE(registry.has_admin());
}

TEST(AuthTokens, records_loaded_revoked_stay_revoked) {
    TokenRegistry registry;
    auto sup = issue_token("Lead", Role::supervisor, "");
    sup.record.revoked_at = ff::calls::now_ms();
    registry.load({sup.record});
    EXPECT_FALSE(registry.authenticate(sup.secret));
}

TEST(AuthRoles, names_round_trip) {
    for (const Role role : {Role::operator_, Role::supervisor, Role::admin})
        EXPECT_EQ(parse_role(to_string(role)), role);
    EXPECT_FALSE(parse_role("root"));
    EXPECT_FALSE(parse_role("Admin"));
}
