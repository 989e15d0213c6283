// The shared storage conversions, under the names the SQLite storage files use.
#pragma once

#include "store/storage_helpers.hpp"

namespace ff::store::sqlite {

using ff::store::CallAssembly;
using ff::store::from_ms;
using ff::store::to_ms;

}  // namespace ff::store::sqlite
