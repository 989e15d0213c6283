// The value of a storage read a test expects to succeed; a failed read ends the test with its error.
#pragma once

#include <stdexcept>
#include <utility>

#include "calls/result.hpp"

namespace ff::testing {

template <class T>
T read_value(calls::Result<T> result) {
    if (!result) throw std::runtime_error("storage read failed: " + result.error().message);
    return std::move(result).value();
}

}  // namespace ff::testing
