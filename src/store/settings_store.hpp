// Persistence of what the settings page saves: PBX settings, the operators' PBX accounts, pause reasons, queues.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "calls/queue.hpp"
#include "calls/result.hpp"
#include "config/live_settings.hpp"
#include "config/service_config.hpp"

namespace ff::store {

class SettingsStore {
public:
    virtual ~SettingsStore() = default;

    // The readers answer an error, named and logged, when the database cannot answer (storage_shared.cpp).
    // nullopt until the settings page saved them once; then they override the environment.
    calls::Result<std::optional<config::PbxSettings>> load_pbx_settings();
    virtual calls::Status save_pbx_settings(const config::PbxSettings& settings) = 0;

    // nullopt until the user list was saved once; from then on the database list is the whole list.
    calls::Result<std::optional<std::vector<config::SipUser>>> load_sip_users();
    virtual calls::Status save_sip_users(const std::vector<config::SipUser>& users) = 0;

    // The reasons an operator may pause for, as the settings page saved them (nullopt: never saved, PAUSE_REASONS
    // holds). Kept as one JSON array (storage_shared.cpp).
    calls::Result<std::optional<std::vector<std::string>>> load_pause_reasons();
    calls::Status save_pause_reasons(const std::vector<std::string>& reasons);

    // The SMS texts as the settings page saved them (nullopt: never saved, SMS_*_TEXT hold), one JSON document.
    calls::Result<std::optional<config::SmsTexts>> load_sms_texts();
    calls::Status save_sms_texts(const config::SmsTexts& texts);

    // The queues as the settings page saved them (none until then), in their JSON form as one array.
    calls::Result<std::vector<calls::QueueConfig>> load_queues();
    calls::Status save_queues(const std::vector<calls::QueueConfig>& queues);

protected:
    // One named value of the settings table: the backend's SQL.
    virtual calls::Result<std::optional<std::string>> read_setting(std::string_view key) = 0;
    virtual calls::Status write_setting(std::string_view key, const std::string& value) = 0;
    // The backend's SQL for the readers above.
    virtual calls::Result<std::optional<config::PbxSettings>> select_pbx_settings() = 0;
    virtual calls::Result<std::optional<std::vector<config::SipUser>>> select_sip_users() = 0;
};

}  // namespace ff::store
