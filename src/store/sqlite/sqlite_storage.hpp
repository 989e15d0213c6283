// The SQLite backend of Storage: call log, tokens and settings in one database file (WAL).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "calls/result.hpp"
#include "store/sqlite/sqlite_connection.hpp"
#include "store/storage.hpp"

namespace ff::store::sqlite {

class SqliteStorage final : public Storage {
  public:
    // Opens or creates the database at `path` (":memory:" for a private in-memory one), creating
    // its directory, switching it to WAL and applying every pending migration.
    static calls::Result<std::unique_ptr<SqliteStorage>> open(const std::string& path);

    // Opens a call log this service wrote, as open() does, but never creates one: a missing file, a file
    // that is not SQLite, or a SQLite database without this service's schema is invalid_argument.
    static calls::Result<std::unique_ptr<SqliteStorage>> open_existing(const std::string& path);

    // CallLogStore (sqlite_call_log.cpp, sqlite_call_stats.cpp)
    calls::Status record_call(const calls::Call& call) override;
    std::optional<calls::Call> find_call(const std::string& call_id) override;
    CallPage list_calls(const CallQuery& query) override;
    calls::Result<calls::Call> link_customer(const std::string& call_id,
                                             const calls::Customer& customer) override;
    calls::Result<calls::Call> link_order(const std::string& call_id, const std::string& order_id) override;
    calls::Result<calls::Call> add_note(const std::string& call_id, const std::string& text,
                                        const std::string& author) override;
    OperatorStats stats(const StatsQuery& query) override;
    std::optional<calls::Customer> last_customer_for_phone(const std::string& phone) override;
    calls::Result<std::vector<calls::Call>> calls_after(const std::string& after_id, int limit) override;
    calls::Result<ImportCounts> import_calls(const std::vector<calls::Call>& calls) override;

    // TokenStore (sqlite_tokens.cpp)
    std::vector<TokenRecord> list_tokens() override;
    calls::Status insert_token(const TokenRecord& token) override;
    calls::Status revoke_token(const std::string& id, calls::TimePoint at) override;

    // SettingsStore (sqlite_settings.cpp)
    std::optional<config::PbxSettings> load_pbx_settings() override;
    calls::Status save_pbx_settings(const config::PbxSettings& settings) override;
    std::optional<std::vector<config::SipUser>> load_sip_users() override;
    calls::Status save_sip_users(const std::vector<config::SipUser>& users) override;

    // The interface's readers cannot return errors, so these carry them for callers that can.
    // try_find_call: the call with its orders and notes, nullopt when there is no such call.
    calls::Result<std::optional<calls::Call>> try_find_call(const std::string& call_id);
    calls::Result<CallPage> try_list_calls(const CallQuery& query);
    calls::Result<OperatorStats> try_stats(const StatsQuery& query);
    calls::Result<std::optional<calls::Customer>> try_last_customer_for_phone(const std::string& phone);
    calls::Result<std::vector<TokenRecord>> try_list_tokens();
    calls::Result<std::optional<config::PbxSettings>> try_load_pbx_settings();
    calls::Result<std::optional<std::vector<config::SipUser>>> try_load_sip_users();

  private:
    explicit SqliteStorage(Connection connection) : connection_(std::move(connection)) {}

    // The call after a link_* write, or not_found naming it.
    calls::Result<calls::Call> linked_call(const std::string& call_id);
    calls::Result<std::optional<std::string>> read_setting(std::string_view key);

    Connection connection_;
};

}  // namespace ff::store::sqlite
