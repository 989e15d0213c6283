// The answer of ng "query" turned into plain counters per party.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include "media/media_anchor.hpp"

namespace ff::media {

// Missing or odd fields count as zero / unknown: a query answer never fails to parse once it is an object.
CallStats parse_query_answer(const nlohmann::json& answer);

}  // namespace ff::media
