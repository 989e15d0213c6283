// API tokens in PostgreSQL: only their hashes are stored; revoked tokens stay listed with their revocation
// time.
#include "store/postgres/postgres_helpers.hpp"
#include "store/postgres/postgres_storage.hpp"

namespace ff::store::postgres {
namespace {

constexpr std::string_view unique_violation = "23505";

}  // namespace

calls::Result<std::vector<TokenRecord>> PostgresStorage::select_tokens() {
    auto rows = connection_.read(
        "SELECT id, name, role, extension, hash, created_ms, revoked_ms FROM api_tokens ORDER BY created_ms, "
        "id");
    if (!rows) return rows.error();
    std::vector<TokenRecord> tokens;
    const Rows& result = rows.value();
    for (int row = 0; row < result.size(); ++row) {
        tokens.push_back(TokenRecord{
            result.text(row, 0), result.text(row, 1), result.text(row, 2), result.text(row, 3),
            result.text(row, 4), from_ms(result.integer(row, 5)), from_ms(result.optional_integer(row, 6))});
    }
    return tokens;
}

calls::Status PostgresStorage::insert_token(const TokenRecord& token) {
    auto rows = connection_.run(
        "INSERT INTO api_tokens (id, name, role, extension, hash, created_ms, revoked_ms) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7)",
        parameters(token.id, token.name, token.role, token.extension, token.hash, to_ms(token.created_at),
                   to_ms(token.revoked_at)));
    if (rows) return calls::Done{};
    if (connection_.last_sqlstate() == unique_violation) {
        // The hash is not named: it is as good as the token to someone who can read logs and the database.
        return calls::make_error(calls::ErrorCode::conflict,
                                 "a token with id " + token.id + " or with the same secret already exists");
    }
    return rows.error();
}

calls::Status PostgresStorage::revoke_token(const std::string& id, calls::TimePoint at) {
    // A token revoked twice keeps its first revocation time.
    auto rows = connection_.run("UPDATE api_tokens SET revoked_ms = coalesce(revoked_ms, $2) WHERE id = $1",
                                parameters(id, to_ms(at)));
    if (!rows) return rows.error();
    if (rows.value().affected() == 0)
        return calls::make_error(calls::ErrorCode::not_found, "no token with id " + id);
    return calls::Done{};
}

}  // namespace ff::store::postgres
