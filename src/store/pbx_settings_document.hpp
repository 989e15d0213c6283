// PBX settings as the JSON document every backend stores under the key "pbx".
#pragma once

#include <string>

#include "calls/result.hpp"
#include "config/service_config.hpp"

namespace ff::store {

std::string pbx_settings_document(const config::PbxSettings& settings);

// internal error (without the stored text) when the document is not a whole, valid set of settings.
calls::Result<config::PbxSettings> parse_pbx_settings_document(const std::string& text);

}  // namespace ff::store
