// The shared storage conversions, under the names the PostgreSQL storage files use.
#pragma once

#include "store/storage_helpers.hpp"

namespace ff::store::postgres {

using ff::store::CallAssembly;
using ff::store::from_ms;
using ff::store::to_ms;

}  // namespace ff::store::postgres
