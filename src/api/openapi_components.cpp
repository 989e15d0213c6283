// The OpenAPI document's components: the schemas, parameters and responses its paths refer to.
#include "api/openapi_document.hpp"

namespace ff::api {
namespace {

constexpr std::string_view components = R"json({
    "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer", "description": "An API token (fft_...) issued by an admin or by `pjsip-service token create`"}},
    "parameters": {
      "callId": {"name": "callId", "in": "path", "required": true, "schema": {"type": "string", "format": "uuid"}},
      "extension": {"name": "extension", "in": "path", "required": true, "schema": {"type": "string"}},
      "limit": {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 500, "default": 100}},
      "offset": {"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0, "default": 0}}
    },
    "schemas": {
      "Error": {
        "type": "object", "required": ["success", "error", "code"],
        "properties": {
          "success": {"type": "boolean", "enum": [false]},
          "error": {"type": "string", "description": "what is wrong, naming the field"},
          "code": {"type": "string", "enum": ["VALIDATION_FAILED", "INVALID_JSON", "UNAUTHORIZED", "FORBIDDEN", "ORIGIN_NOT_ALLOWED", "NOT_FOUND", "CALL_NOT_FOUND", "METHOD_NOT_ALLOWED", "INVALID_CALL_STATE", "CONFLICT", "PAYLOAD_TOO_LARGE", "UNSUPPORTED_MEDIA_TYPE", "SIP_UNAVAILABLE", "DATABASE_UNAVAILABLE", "INSTANCE_UNREACHABLE", "INSTANCE_TIMEOUT", "INTERNAL_ERROR", "BAD_REQUEST"]}
        }
      },
      "Health": {
        "type": "object",
        "properties": {
          "status": {"type": "string", "example": "ok"}, "service": {"type": "string", "example": "pjsip-service"},
          "connected": {"type": "boolean"}, "registeredUsers": {"type": "integer"},
          "timestamp": {"type": "string", "format": "date-time"}, "version": {"type": "string"},
          "uptimeSeconds": {"type": "integer"}, "activeCalls": {"type": "integer"}
        }
      },
      "Customer": {"type": "object", "properties": {"id": {"type": "string"}, "name": {"type": "string"}, "phone": {"type": "string"}}},
      "Call": {
        "type": "object", "required": ["id", "from", "to", "status", "direction", "startTime"],
        "properties": {
          "id": {"type": "string", "format": "uuid"},
          "from": {"type": "string", "example": "+79991234567"},
          "to": {"type": "string", "example": "1001"},
          "status": {"type": "string", "enum": ["ringing", "answered", "held", "transferred", "ended"]},
          "direction": {"type": "string", "enum": ["inbound", "outbound"]},
          "startTime": {"type": "string", "format": "date-time"},
          "answerTime": {"type": "string", "format": "date-time", "nullable": true},
          "endTime": {"type": "string", "format": "date-time", "nullable": true},
          "duration": {"type": "integer", "description": "the customer's talk time in seconds, from the first answer"},
          "endReason": {"type": "string", "nullable": true, "enum": ["completed", "missed", "busy", "rejected", "failed", "cancelled", "transferred", null]},
          "extension": {"type": "string"},
          "sipCallId": {"type": "string"},
          "transferTarget": {"type": "string", "nullable": true},
          "customer": {"allOf": [{"$ref": "#/components/schemas/Customer"}], "nullable": true},
          "orders": {"type": "array", "items": {"type": "object", "properties": {"orderId": {"type": "string"}, "linkedAt": {"type": "string", "format": "date-time"}}}},
          "notes": {"type": "array", "items": {"type": "object", "properties": {"id": {"type": "integer"}, "text": {"type": "string"}, "author": {"type": "string"}, "createdAt": {"type": "string", "format": "date-time"}}}},
          "operators": {"type": "array", "description": "the operators who had the call, in order (transfers)", "items": {"type": "object", "properties": {"extension": {"type": "string"}, "from": {"type": "string", "format": "date-time"}, "answeredAt": {"type": "string", "format": "date-time", "nullable": true}, "until": {"type": "string", "format": "date-time", "nullable": true}, "talkSeconds": {"type": "integer"}, "transferredTo": {"type": "string", "nullable": true}}}},
          "consultation": {"type": "object", "nullable": true, "description": "an attended transfer under way (status transferred)", "properties": {"target": {"type": "string"}, "since": {"type": "string", "format": "date-time"}, "answeredAt": {"type": "string", "format": "date-time", "nullable": true, "description": "null while the target rings"}}},
          "media": {"type": "object", "nullable": true, "description": "MEDIA=rtpengine: what each direction carried, read when the call ended", "properties": {"customerToOperator": {"$ref": "#/components/schemas/MediaFlow"}, "operatorToCustomer": {"$ref": "#/components/schemas/MediaFlow"}, "oneWay": {"type": "boolean", "description": "answered, and exactly one side was not heard"}, "noAudio": {"type": "boolean", "description": "answered, and neither side was heard"}}},
          "recording": {"type": "object", "nullable": true, "description": "null when the call was not recorded", "properties": {"status": {"type": "string", "enum": ["recording", "paused", "processing", "ready", "failed"]}, "url": {"type": "string", "nullable": true, "description": "ready: GET it for the file"}, "durationSeconds": {"type": "number", "nullable": true}, "bytes": {"type": "integer", "nullable": true}, "reason": {"type": "string", "nullable": true, "description": "failed: why there is no file"}, "instance": {"type": "string", "nullable": true, "description": "with several instances: the one that keeps the file"}}}
        }
      },
      "Callback": {
        "type": "object",
        "properties": {
          "phone": {"type": "string"},
          "customer": {"type": "object", "nullable": true, "properties": {"id": {"type": "string"}, "name": {"type": "string"}, "phone": {"type": "string"}}},
          "attempts": {"type": "integer", "description": "unanswered calls in a row"},
          "firstMissedAt": {"type": "string", "format": "date-time"},
          "lastMissedAt": {"type": "string", "format": "date-time"},
          "lastCallId": {"type": "string"},
          "lastReason": {"type": "string", "enum": ["missed", "busy", "rejected", "failed", "cancelled"]},
          "status": {"type": "string", "enum": ["waiting", "calledBack", "calledAgain"]},
          "waitingSeconds": {"type": "integer", "description": "since firstMissedAt: until now while waiting, until resolvedAt after"},
          "resolvedAt": {"type": "string", "format": "date-time", "nullable": true},
          "resolvedBy": {"type": "string", "nullable": true, "description": "the extension on the answered call"},
          "resolvedCallId": {"type": "string", "nullable": true}
        }
      },
      "Queue": {
        "type": "object",
        "required": ["name", "strategy", "members"],
        "properties": {
          "extension": {"type": "string", "description": "the queue's line (one of /api/settings/users); the path's when absent"},
          "name": {"type": "string", "minLength": 1, "maxLength": 64},
          "strategy": {"type": "string", "enum": ["ringall", "round-robin", "longest-idle", "fewest-calls"]},
          "members": {"type": "array", "minItems": 1, "maxItems": 100, "items": {"type": "object", "required": ["extension"], "properties": {"extension": {"type": "string"}, "tier": {"type": "integer", "minimum": 1, "maximum": 9, "default": 1}}}},
          "ringSeconds": {"type": "integer", "minimum": 5, "maximum": 120, "default": 15},
          "maxWaitSeconds": {"type": "integer", "minimum": 10, "maximum": 3600, "default": 300},
          "overflowNumber": {"type": "string", "nullable": true, "description": "where a caller who waited maxWaitSeconds goes; null: the call ends as abandoned"}
        }
      },
      "OperatorState": {
        "type": "object",
        "properties": {
          "extension": {"type": "string"},
          "name": {"type": "string"},
          "state": {"type": "string", "enum": ["available", "paused", "wrapup", "oncall", "offline"]},
          "reason": {"type": "string", "nullable": true, "description": "paused: the reason"},
          "since": {"type": "string", "format": "date-time", "nullable": true}
        }
      },
      "DialRequest": {
        "type": "object", "required": ["from", "to"],
        "properties": {
          "from": {"type": "string", "description": "a configured extension (an operator token: its own)", "example": "1001"},
          "to": {"type": "string", "description": "number in any written form, or an extension", "example": "+79991234567"},
          "autoAnswer": {"type": "boolean", "default": false},
          "browserPhone": {"type": "string", "description": "the deviceId of a browser phone (phone:attach): that page alone rings, answering by itself; 404 when it is not on"}
        }
      },
      "MediaFlow": {
        "type": "object",
        "properties": {
          "packets": {"type": "integer", "description": "RTP packets the sending side delivered"},
          "lost": {"type": "integer", "nullable": true, "description": "packets lost, from the receiver's RTCP reports"},
          "jitterMs": {"type": "number", "nullable": true, "description": "average jitter the receiver reported"}
        }
      },
      "Stats": {
        "type": "object",
        "properties": {
          "extension": {"type": "string"}, "totalCalls": {"type": "integer"}, "inboundCalls": {"type": "integer"},
          "outboundCalls": {"type": "integer"}, "answeredCalls": {"type": "integer"}, "missedCalls": {"type": "integer"},
          "averageDuration": {"type": "integer", "description": "seconds per answered call"},
          "totalDuration": {"type": "integer", "description": "seconds"},
          "ordersLinked": {"type": "integer"}, "callsWithOrders": {"type": "integer"},
          "oneWayAudioCalls": {"type": "integer", "description": "answered calls where one side was not heard (MEDIA=rtpengine)"},
          "conversionRate": {"type": "number", "description": "callsWithOrders / totalCalls, 0..1"},
          "from": {"type": "string", "format": "date"}, "to": {"type": "string", "format": "date"},
          "timeInStates": {"type": "object", "description": "seconds the operator spent in each state within the period (operator:state)", "properties": {"available": {"type": "integer"}, "paused": {"type": "integer"}, "wrapup": {"type": "integer"}, "oncall": {"type": "integer"}, "offline": {"type": "integer"}, "pausedByReason": {"type": "object", "additionalProperties": {"type": "integer"}}}}
        }
      },
      "PbxSettings": {
        "type": "object",
        "properties": {
          "server": {"type": "string"}, "port": {"type": "integer", "minimum": 1, "maximum": 65535},
          "transport": {"type": "string", "enum": ["UDP", "TCP", "TLS"]},
          "rtpPortMin": {"type": "integer"}, "rtpPortMax": {"type": "integer"}, "stunServer": {"type": "string"}
        }
      },
      "SmsSettings": {
        "type": "object",
        "properties": {
          "missedText": {"type": "string", "description": "sent after a missed call; empty: none"},
          "orderText": {"type": "string", "description": "sent after a call with an order; empty: none"},
          "gateway": {"type": "string", "nullable": true, "description": "SMS_GATEWAY_URL's host; null: no gateway, no SMS"},
          "minIntervalMinutes": {"type": "integer", "description": "SMS_MIN_INTERVAL_MINUTES"}
        }
      },
      "SipUser": {
        "type": "object",
        "properties": {
          "extension": {"type": "string"}, "username": {"type": "string"}, "displayName": {"type": "string"},
          "passwordSet": {"type": "boolean"}, "registered": {"type": "boolean", "description": "line registered at the PBX"},
          "deviceRegistered": {"type": "boolean", "description": "the operator's phone registered to the service"},
          "detail": {"type": "string"}
        }
      },
      "SipUserInput": {
        "type": "object",
        "properties": {
          "extension": {"type": "string"}, "username": {"type": "string"},
          "password": {"type": "string", "writeOnly": true}, "displayName": {"type": "string"}
        }
      },
      "Webhook": {
        "type": "object",
        "properties": {
          "id": {"type": "string"}, "url": {"type": "string"}, "events": {"type": "array", "items": {"type": "string"}},
          "createdAt": {"type": "string", "format": "date-time"}, "backlog": {"type": "integer", "description": "deliveries owed"},
          "delivered": {"type": "integer"}, "failed": {"type": "integer", "description": "given up after WEBHOOK_RETRY_HOURS"},
          "oldestPendingAt": {"type": "string", "format": "date-time", "nullable": true},
          "lastDelivery": {"allOf": [{"$ref": "#/components/schemas/WebhookDelivery"}], "nullable": true}
        }
      },
      "WebhookDelivery": {
        "type": "object",
        "properties": {
          "eventId": {"type": "string"}, "type": {"type": "string"}, "status": {"type": "string", "enum": ["pending", "delivered", "failed"]},
          "attempts": {"type": "integer"}, "createdAt": {"type": "string", "format": "date-time"},
          "lastAttemptAt": {"type": "string", "format": "date-time", "nullable": true},
          "nextAttemptAt": {"type": "string", "format": "date-time", "nullable": true},
          "httpStatus": {"type": "integer", "nullable": true}, "error": {"type": "string", "nullable": true}
        }
      },
      "Token": {
        "type": "object",
        "properties": {
          "id": {"type": "string"}, "name": {"type": "string"}, "role": {"type": "string", "enum": ["operator", "supervisor", "admin", "metrics"]},
          "extension": {"type": "string", "nullable": true}, "createdAt": {"type": "string", "format": "date-time"},
          "revokedAt": {"type": "string", "format": "date-time", "nullable": true}
        }
      }
    },
    "responses": {
      "CallResult": {"description": "The call after the action", "content": {"application/json": {"schema": {"type": "object", "required": ["success", "call"], "properties": {"success": {"type": "boolean"}, "call": {"$ref": "#/components/schemas/Call"}}}}}},
      "CallPage": {"description": "A page of calls", "content": {"application/json": {"schema": {"type": "object", "required": ["calls", "total", "limit", "offset"], "properties": {"calls": {"type": "array", "items": {"$ref": "#/components/schemas/Call"}}, "total": {"type": "integer"}, "limit": {"type": "integer"}, "offset": {"type": "integer"}}}}}},
      "SipUserResult": {"description": "The account (without its password)", "content": {"application/json": {"schema": {"type": "object", "properties": {"success": {"type": "boolean"}, "user": {"$ref": "#/components/schemas/SipUser"}}}}}},
      "BadRequest": {"description": "A field or parameter is wrong (VALIDATION_FAILED, INVALID_JSON)", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
      "Unauthorized": {"description": "No token, or a bad or revoked one (UNAUTHORIZED)", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
      "Forbidden": {"description": "The token's role or extension does not allow it (FORBIDDEN)", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
      "NotFound": {"description": "No such thing (NOT_FOUND, CALL_NOT_FOUND)", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
      "Conflict": {"description": "The call's state does not allow it (INVALID_CALL_STATE) or it exists already (CONFLICT)", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
      "UnsupportedMediaType": {"description": "The body is not application/json (UNSUPPORTED_MEDIA_TYPE)", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
      "SipUnavailable": {"description": "The SIP engine is not available (SIP_UNAVAILABLE)", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
      "DatabaseUnavailable": {"description": "The database did not answer; the error says what failed (DATABASE_UNAVAILABLE). Never an empty list in its place", "headers": {"Retry-After": {"description": "Seconds to wait before trying again", "schema": {"type": "integer"}}}, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    }
  })json";

}  // namespace

std::string_view openapi_components() {
    return components;
}

}  // namespace ff::api
