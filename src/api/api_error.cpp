// Status and code of every error the API answers; keep the codes stable: clients switch on them.
#include "api/api_error.hpp"

#include "api/json_response.hpp"

namespace ff::api {

using http::beast_http::status;

ApiError validation_error(std::string message) {
    return {status::bad_request, "VALIDATION_FAILED", std::move(message)};
}
ApiError unauthorized(std::string message) {
    return {status::unauthorized, "UNAUTHORIZED", std::move(message)};
}
ApiError forbidden(std::string message) {
    return {status::forbidden, "FORBIDDEN", std::move(message)};
}
ApiError not_found(std::string message) {
    return {status::not_found, "NOT_FOUND", std::move(message)};
}
ApiError call_not_found(const std::string& call_id) {
    return {status::not_found, "CALL_NOT_FOUND", "no call with callId " + call_id};
}

ApiError database_unavailable(const calls::Error& error) {
    // Long enough for a restarting database or a failover, short enough for a console to catch up soon.
    constexpr int retry_after_seconds = 5;
    return {status::service_unavailable, "DATABASE_UNAVAILABLE",
            "the database did not answer: " + error.message, retry_after_seconds};
}

ApiError from_storage_error(const calls::Error& error, Subject subject) {
    switch (error.code) {
        case calls::ErrorCode::not_found:
        case calls::ErrorCode::invalid_argument:
        case calls::ErrorCode::conflict:
            return from_error(error, subject);
        default:
            return database_unavailable(error);
    }
}

ApiError from_error(const calls::Error& error, Subject subject) {
    switch (error.code) {
        case calls::ErrorCode::invalid_argument:
            return validation_error(error.message);
        case calls::ErrorCode::not_found:
            return {status::not_found, subject == Subject::call ? "CALL_NOT_FOUND" : "NOT_FOUND",
                    error.message};
        case calls::ErrorCode::invalid_state:
            return {status::conflict, "INVALID_CALL_STATE", error.message};
        case calls::ErrorCode::forbidden:
            return forbidden(error.message);
        case calls::ErrorCode::conflict:
            return {status::conflict, "CONFLICT", error.message};
        case calls::ErrorCode::unavailable:
            return {status::service_unavailable, "SIP_UNAVAILABLE", error.message};
        case calls::ErrorCode::timeout:
            return {status::gateway_timeout, "INSTANCE_TIMEOUT", error.message};
        case calls::ErrorCode::unreachable:
            return {status::service_unavailable, "INSTANCE_UNREACHABLE", error.message, 5};
        case calls::ErrorCode::internal:
            break;
    }
    return {status::internal_server_error, "INTERNAL_ERROR", error.message};
}

http::Response error_response(const ApiError& error) {
    auto response = json_response(
        error.status, nlohmann::json{{"success", false}, {"error", error.message}, {"code", error.code}});
    if (error.retry_after_seconds > 0)
        response.set(http::beast_http::field::retry_after, std::to_string(error.retry_after_seconds));
    return response;
}

}  // namespace ff::api
