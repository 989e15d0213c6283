// Error responses of the REST API: one JSON shape, one stable code per kind of failure.
#pragma once

#include <string>
#include <utility>
#include <variant>

#include "calls/result.hpp"
#include "http/http_types.hpp"

namespace ff::api {

// {"success":false,"error":"<message>","code":"<code>"} with this HTTP status.
struct ApiError {
    http::beast_http::status status = http::beast_http::status::internal_server_error;
    std::string code;
    std::string message;
};

// A value or the error to answer with; what request checks return.
template <class T>
class ApiResult {
  public:
    ApiResult(T value) : state_(std::move(value)) {}         // NOLINT: implicit by design
    ApiResult(ApiError error) : state_(std::move(error)) {}  // NOLINT

    bool ok() const { return std::holds_alternative<T>(state_); }
    explicit operator bool() const { return ok(); }
    const T& value() const& { return std::get<T>(state_); }
    T& value() & { return std::get<T>(state_); }
    T&& value() && { return std::get<T>(std::move(state_)); }
    const T* operator->() const { return &value(); }
    const T& operator*() const { return value(); }
    const ApiError& error() const { return std::get<ApiError>(state_); }

  private:
    std::variant<T, ApiError> state_;
};

ApiError validation_error(std::string message);       // 400 VALIDATION_FAILED
ApiError unauthorized(std::string message);           // 401 UNAUTHORIZED
ApiError forbidden(std::string message);              // 403 FORBIDDEN
ApiError not_found(std::string message);              // 404 NOT_FOUND
ApiError call_not_found(const std::string& call_id);  // 404 CALL_NOT_FOUND

// The one mapping from the model's error codes to HTTP. `subject` says what a not_found was about:
// a call gets CALL_NOT_FOUND, anything else NOT_FOUND.
enum class Subject { call, other };
ApiError from_error(const calls::Error& error, Subject subject = Subject::other);

http::Response error_response(const ApiError& error);

}  // namespace ff::api
