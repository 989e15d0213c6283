// The shared storage conversions, under the names the SQLite storage files use.
#pragma once

#include "store/storage_helpers.hpp"

namespace ff::store::sqlite {

using ff::store::from_ms;
using ff::store::to_ms;
using ff::store::value_or_logged;

}  // namespace ff::store::sqlite
