// Error responses of the REST API: one JSON shape, one stable code per kind of failure.
#pragma once

#include <string>

#include "calls/result.hpp"
#include "http/http_types.hpp"

namespace ff::api {

// {"success":false,"error":"<message>","code":"<code>"} with this HTTP status.
struct ApiError {
    http::beast_http::status status = http::beast_http::status::internal_server_error;
    std::string code;
    std::string message;
    int retry_after_seconds = 0;  // sent as Retry-After when above 0: the failure is expected to pass
};

// A value or the error to answer with; what request checks return.
template <class T>
using ApiResult = calls::Result<T, ApiError>;

ApiError validation_error(std::string message);       // 400 VALIDATION_FAILED
ApiError unauthorized(std::string message);           // 401 UNAUTHORIZED
ApiError forbidden(std::string message);              // 403 FORBIDDEN
ApiError not_found(std::string message);              // 404 NOT_FOUND
ApiError call_not_found(const std::string& call_id);  // 404 CALL_NOT_FOUND
// 503 DATABASE_UNAVAILABLE with Retry-After: a storage read or write the database could not answer; the
// message says what failed. Never an empty answer in its place: a client would take it for "no calls".
ApiError database_unavailable(const calls::Error& error);

// The one mapping from the model's error codes to HTTP. `subject` says what a not_found was about:
// a call gets CALL_NOT_FOUND, anything else NOT_FOUND.
enum class Subject { call, other };
ApiError from_error(const calls::Error& error, Subject subject = Subject::other);
// The same for an error of the storage: not_found, invalid_argument and conflict as from_error does;
// anything else is the database failing (database_unavailable).
ApiError from_storage_error(const calls::Error& error, Subject subject = Subject::other);

http::Response error_response(const ApiError& error);

}  // namespace ff::api
