// What the settings page saves, in SQLite: PBX settings as one JSON value, PBX users as rows in list order.
#include <set>

#include "store/pbx_settings_document.hpp"
#include "store/sqlite/sqlite_helpers.hpp"
#include "store/sqlite/sqlite_storage.hpp"

namespace ff::store::sqlite {
namespace {

constexpr std::string_view pbx_key = "pbx";
constexpr std::string_view users_saved_key = "sip_users_saved";

}  // namespace

calls::Result<std::optional<std::string>> SqliteStorage::read_setting(std::string_view key) {
    auto query = connection_.query("SELECT value FROM settings WHERE key = ?1");
    if (!query) return query.error();
    query.value().bind(1, key);
    auto row = query.value().step();
    if (!row) return row.error();
    if (!row.value()) return std::optional<std::string>{};
    return std::optional<std::string>(query.value().text(0));
}

calls::Result<std::optional<config::PbxSettings>> SqliteStorage::select_pbx_settings() {
    auto text = read_setting(pbx_key);
    if (!text) return text.error();
    if (!text.value()) return std::optional<config::PbxSettings>{};
    auto settings = parse_pbx_settings_document(*text.value());
    if (!settings) return settings.error();
    return std::optional<config::PbxSettings>(std::move(settings).value());
}

calls::Status SqliteStorage::write_setting(std::string_view key, const std::string& value) {
    auto query = connection_.query(
        "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = "
        "excluded.value");
    if (!query) return query.error();
    query.value().bind_all(key, value);
    return query.value().run();
}

calls::Status SqliteStorage::save_pbx_settings(const config::PbxSettings& settings) {
    return write_setting(pbx_key, pbx_settings_document(settings));
}

calls::Result<std::optional<std::vector<config::SipUser>>> SqliteStorage::select_sip_users() {
    using Users = std::optional<std::vector<config::SipUser>>;
    auto saved = read_setting(users_saved_key);
    if (!saved) return saved.error();
    if (!saved.value()) return Users{};
    auto query = connection_.query(
        "SELECT username, password, extension, display_name FROM sip_users ORDER BY position, extension");
    if (!query) return query.error();
    std::vector<config::SipUser> users;
    for (;;) {
        auto row = query.value().step();
        if (!row) return row.error();
        if (!row.value()) return Users(std::move(users));
        const Query& result = query.value();
        users.push_back(config::SipUser{result.text(0), result.text(1), result.text(2), result.text(3)});
    }
}

calls::Status SqliteStorage::save_sip_users(const std::vector<config::SipUser>& users) {
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
        auto query = connection_.query(
            "INSERT INTO sip_users (extension, username, password, display_name, position) "
            "VALUES (?1, ?2, ?3, ?4, ?5)");
        if (!query) return query.error();
        query.value().bind_all(user.extension, user.username, user.password, user.display_name, position++);
        // The message names the extension only; the password never reaches a log.
        if (auto status = query.value().run(); !status) {
            return calls::make_error(status.error().code,
                                     "saving PBX user " + user.extension + ": " + status.error().message);
        }
    }
    {
        auto mark = connection_.query(
            "INSERT INTO settings (key, value) VALUES (?1, 'true') "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value");
        if (!mark) return mark.error();
        mark.value().bind(1, users_saved_key);
        if (auto status = mark.value().run(); !status) return status;
    }
    return transaction.value().commit();
}

}  // namespace ff::store::sqlite
