// Result<T>: a value or an error with a stable code and a human message; used instead of exceptions inside.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace ff::calls {

enum class ErrorCode {
    invalid_argument,  // a field or parameter is wrong; message names it
    not_found,         // no such call, token, user ...
    invalid_state,     // the call's state does not allow the action (HTTP 409)
    forbidden,         // the caller may not touch this
    conflict,          // already exists
    unavailable,       // SIP engine or a dependency is not available (HTTP 503)
    timeout,           // another instance that owns the call did not answer in time (HTTP 504)
    unreachable,       // another instance owns the call and cannot be reached: Redis is away (HTTP 503)
    internal,
};

struct Error {
    ErrorCode code = ErrorCode::internal;
    std::string message;
};

// `E` is the error type: the model's Error, or an adapter's own (the REST API's carries an HTTP status).
template <class T, class E = Error>
class Result {
public:
    Result(T value) : state_(std::move(value)) {}  // NOLINT: implicit by design
    Result(E error) : state_(std::move(error)) {}  // NOLINT

    bool ok() const { return std::holds_alternative<T>(state_); }
    explicit operator bool() const { return ok(); }
    const T& value() const& { return std::get<T>(state_); }
    T& value() & { return std::get<T>(state_); }
    T&& value() && { return std::get<T>(std::move(state_)); }
    const T* operator->() const { return &value(); }
    const T& operator*() const { return value(); }
    const E& error() const { return std::get<E>(state_); }

private:
    std::variant<T, E> state_;
};

struct Done {};
using Status = Result<Done>;

inline Error make_error(ErrorCode code, std::string message) { return Error{code, std::move(message)}; }

}  // namespace ff::calls
