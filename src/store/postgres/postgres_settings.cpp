// What the settings page saves, in PostgreSQL: PBX settings as one JSON value, PBX users as rows in list
// order.
#include <set>

#include "store/pbx_settings_document.hpp"
#include "store/postgres/postgres_helpers.hpp"
#include "store/postgres/postgres_storage.hpp"

namespace ff::store::postgres {
namespace {

constexpr std::string_view pbx_key = "pbx";
constexpr std::string_view users_saved_key = "sip_users_saved";

constexpr std::string_view upsert_setting_sql =
    "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = "
    "excluded.value";

}  // namespace

calls::Result<std::optional<std::string>> PostgresStorage::read_setting(std::string_view key) {
    auto rows = connection_.read("SELECT value FROM settings WHERE key = $1", parameters(key));
    if (!rows) return rows.error();
    if (rows.value().size() == 0) return std::optional<std::string>{};
    return std::optional<std::string>(rows.value().text(0, 0));
}

calls::Result<std::optional<config::PbxSettings>> PostgresStorage::select_pbx_settings() {
    auto text = read_setting(pbx_key);
    if (!text) return text.error();
    if (!text.value()) return std::optional<config::PbxSettings>{};
    auto settings = parse_pbx_settings_document(*text.value());
    if (!settings) return settings.error();
    return std::optional<config::PbxSettings>(std::move(settings).value());
}

calls::Status PostgresStorage::write_setting(std::string_view key, const std::string& value) {
    auto rows = connection_.run(upsert_setting_sql, parameters(key, value));
    if (!rows) return rows.error();
    return calls::Done{};
}

calls::Status PostgresStorage::save_pbx_settings(const config::PbxSettings& settings) {
    return write_setting(pbx_key, pbx_settings_document(settings));
}

calls::Result<std::optional<std::vector<config::SipUser>>> PostgresStorage::select_sip_users() {
    using Users = std::optional<std::vector<config::SipUser>>;
    auto saved = read_setting(users_saved_key);
    if (!saved) return saved.error();
    if (!saved.value()) return Users{};
    auto rows = connection_.read(
        "SELECT username, password, extension, display_name FROM sip_users ORDER BY position, extension");
    if (!rows) return rows.error();
    std::vector<config::SipUser> users;
    const Rows& result = rows.value();
    for (int row = 0; row < result.size(); ++row) {
        users.push_back(config::SipUser{result.text(row, 0), result.text(row, 1), result.text(row, 2),
                                        result.text(row, 3)});
    }
    return Users(std::move(users));
}

calls::Status PostgresStorage::save_sip_users(const std::vector<config::SipUser>& users) {
    std::set<std::string> extensions;
    for (const auto& user : users) {
        if (!extensions.insert(user.extension).second) {
            return calls::make_error(calls::ErrorCode::invalid_argument,
                                     "PBX user extension " + user.extension + " appears more than once");
        }
    }
    // The list replaces the previous one as a whole, or not at all.
    auto transaction = Transaction::begin(connection_);
    if (!transaction) return transaction.error();
    if (auto status = connection_.exec("DELETE FROM sip_users"); !status) return status;
    std::int64_t position = 0;
    for (const auto& user : users) {
        auto rows = connection_.run(
            "INSERT INTO sip_users (extension, username, password, display_name, position) "
            "VALUES ($1, $2, $3, $4, $5)",
            parameters(user.extension, user.username, user.password, user.display_name, position++));
        // The message names the extension only; the password never reaches a log.
        if (!rows) {
            return calls::make_error(rows.error().code,
                                     "saving PBX user " + user.extension + ": " + rows.error().message);
        }
    }
    if (auto mark = connection_.run(upsert_setting_sql, parameters(users_saved_key, "true")); !mark)
        return mark.error();
    return transaction.value().commit();
}

}  // namespace ff::store::postgres
