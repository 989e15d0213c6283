// What both backends share of the webhooks' tables: the state names and the events column's JSON.
#include "store/webhook_store.hpp"

#include <nlohmann/json.hpp>

#include "store/webhook_columns.hpp"

namespace ff::store {

std::string_view to_string(DeliveryState state) {
    switch (state) {
        case DeliveryState::pending:
            return "pending";
        case DeliveryState::delivered:
            return "delivered";
        case DeliveryState::failed:
            return "failed";
    }
    return "pending";
}

std::optional<DeliveryState> delivery_state_from(std::string_view text) {
    for (auto state : {DeliveryState::pending, DeliveryState::delivered, DeliveryState::failed}) {
        if (to_string(state) == text) return state;
    }
    return std::nullopt;
}

std::string events_column(const std::vector<std::string>& events) {
    return nlohmann::json(events).dump();
}

std::vector<std::string> events_from_column(const std::string& column) {
    const auto json = nlohmann::json::parse(column, nullptr, false);
    std::vector<std::string> events;
    if (!json.is_array()) return events;
    for (const auto& item : json) {
        if (item.is_string()) events.push_back(item.get<std::string>());
    }
    return events;
}

}  // namespace ff::store
