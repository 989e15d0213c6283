// How both backends keep a webhook's list of events: a JSON array of names in one text column.
#pragma once

#include <string>
#include <vector>

namespace ff::store {

std::string events_column(const std::vector<std::string>& events);
std::vector<std::string> events_from_column(const std::string& column);  // [] for a damaged column

}  // namespace ff::store
