// API tokens in SQLite: only their hashes are stored; revoked tokens stay listed with their revocation time.
#include <sqlite3.h>

#include "store/sqlite/sqlite_helpers.hpp"
#include "store/sqlite/sqlite_storage.hpp"

namespace ff::store::sqlite {

calls::Result<std::vector<TokenRecord>> SqliteStorage::select_tokens() {
    auto query = connection_.query(
        "SELECT id, name, role, extension, hash, created_ms, revoked_ms FROM api_tokens ORDER BY created_ms, "
        "id");
    if (!query) return query.error();
    std::vector<TokenRecord> tokens;
    for (;;) {
        auto row = query.value().step();
        if (!row) return row.error();
        if (!row.value()) return tokens;
        const Query& result = query.value();
        tokens.push_back(TokenRecord{result.text(0), result.text(1), result.text(2), result.text(3),
                                     result.text(4), from_ms(result.integer(5)),
                                     from_ms(result.optional_integer(6))});
    }
}

calls::Status SqliteStorage::insert_token(const TokenRecord& token) {
    auto query = connection_.query(
        "INSERT INTO api_tokens (id, name, role, extension, hash, created_ms, revoked_ms) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    if (!query) return query.error();
    query.value().bind_all(token.id, token.name, token.role, token.extension, token.hash,
                           to_ms(token.created_at), to_ms(token.revoked_at));
    auto status = query.value().run();
    if (!status && (connection_.last_error_code() == SQLITE_CONSTRAINT_PRIMARYKEY ||
                    connection_.last_error_code() == SQLITE_CONSTRAINT_UNIQUE)) {
        // The hash is not named: it is as good as the token to someone who can read logs and the database.
        return calls::make_error(calls::ErrorCode::conflict,
                                 "a token with id " + token.id + " or with the same secret already exists");
    }
    return status;
}

calls::Status SqliteStorage::revoke_token(const std::string& id, calls::TimePoint at) {
    // A token revoked twice keeps its first revocation time.
    auto query =
        connection_.query("UPDATE api_tokens SET revoked_ms = coalesce(revoked_ms, ?2) WHERE id = ?1");
    if (!query) return query.error();
    query.value().bind_all(id, to_ms(at));
    if (auto status = query.value().run(); !status) return status;
    if (connection_.changes() == 0)
        return calls::make_error(calls::ErrorCode::not_found, "no token with id " + id);
    return calls::Done{};
}

}  // namespace ff::store::sqlite
