// The PostgreSQL backend of Storage: call log, tokens and settings in one database, through one connection.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "calls/result.hpp"
#include "store/postgres/postgres_connection.hpp"
#include "store/storage.hpp"

namespace ff::store::postgres {

// One connection is enough: Storage is used from the store worker's single thread only.
class PostgresStorage final : public Storage {
  public:
    // Connects with a postgresql:// URL and applies every pending migration.
    static calls::Result<std::unique_ptr<PostgresStorage>> open(const std::string& conninfo);

    // CallLogStore (postgres_call_log.cpp, postgres_call_stats.cpp)
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

    // TokenStore (postgres_tokens.cpp)
    std::vector<TokenRecord> list_tokens() override;
    calls::Status insert_token(const TokenRecord& token) override;
    calls::Status revoke_token(const std::string& id, calls::TimePoint at) override;

    // SettingsStore (postgres_settings.cpp)
    std::optional<config::PbxSettings> load_pbx_settings() override;
    calls::Status save_pbx_settings(const config::PbxSettings& settings) override;
    std::optional<std::vector<config::SipUser>> load_sip_users() override;
    calls::Status save_sip_users(const std::vector<config::SipUser>& users) override;

    // The interface's readers cannot return errors, so these carry them for callers that can.
    calls::Result<std::optional<calls::Call>> try_find_call(const std::string& call_id);
    calls::Result<CallPage> try_list_calls(const CallQuery& query);
    calls::Result<OperatorStats> try_stats(const StatsQuery& query);
    calls::Result<std::optional<calls::Customer>> try_last_customer_for_phone(const std::string& phone);
    calls::Result<std::vector<TokenRecord>> try_list_tokens();
    calls::Result<std::optional<config::PbxSettings>> try_load_pbx_settings();
    calls::Result<std::optional<std::vector<config::SipUser>>> try_load_sip_users();

  private:
    explicit PostgresStorage(Connection connection) : connection_(std::move(connection)) {}

    calls::Status check_reachable() override { return connection_.exec("SELECT 1"); }

    calls::Result<calls::Call> linked_call(const std::string& call_id);
    calls::Result<std::optional<std::string>> read_setting(std::string_view key);

    Connection connection_;
};

}  // namespace ff::store::postgres
