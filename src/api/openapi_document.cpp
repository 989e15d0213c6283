// The OpenAPI 3.0 document as written JSON: readable in review, checked against the routes by a unit test.
#include "api/openapi_document.hpp"

#include <string>

namespace ff::api {
namespace {

constexpr std::string_view document = R"json({
  "openapi": "3.0.3",
  "info": {
    "title": "FoodFlow telephony service",
    "version": "0.1.0",
    "description": "REST API of the PJSIP telephony service: active calls, click-to-call, call control, call log, statistics, PBX settings and API tokens. Every endpoint except /health needs a bearer token. Operators see and control only the calls of their own extension; supervisors see everything; admins also manage settings and tokens. Errors are {success:false, error, code}."
  },
  "security": [{"bearerAuth": []}],
  "paths": {
    "/health": {
      "get": {
        "summary": "Service health (no token)", "security": [],
        "responses": {"200": {"description": "Running", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Health"}}}}}
      }
    },
    "/metrics": {
      "get": {
        "summary": "The service's figures in Prometheus's text format (an admin or metrics token, or no token from an address in METRICS_ALLOW)",
        "responses": {
          "200": {"description": "Exposition format 0.0.4", "content": {"text/plain": {"schema": {"type": "string"}}}},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"}
        }
      }
    },
    "/api/openapi.json": {
      "get": {
        "summary": "This document",
        "responses": {"200": {"description": "OpenAPI 3.0 document"}, "401": {"$ref": "#/components/responses/Unauthorized"}}
      }
    },
    "/api/me": {
      "get": {
        "summary": "The token's holder: name, role and (operators) extension, for the pages",
        "responses": {
          "200": {"description": "Who the token belongs to", "content": {"application/json": {"schema": {"type": "object", "required": ["name", "role", "extension"], "properties": {"name": {"type": "string"}, "role": {"type": "string", "enum": ["operator", "supervisor", "admin"]}, "extension": {"type": "string", "nullable": true}}}}}},
          "401": {"$ref": "#/components/responses/Unauthorized"}
        }
      }
    },
    "/api/calls/active": {
      "get": {
        "summary": "Active calls (operators: their extension's only)",
        "responses": {
          "200": {"description": "Active calls, oldest first", "content": {"application/json": {"schema": {"type": "object", "required": ["calls"], "properties": {"calls": {"type": "array", "items": {"$ref": "#/components/schemas/Call"}}}}}}},
          "401": {"$ref": "#/components/responses/Unauthorized"}
        }
      }
    },
    "/api/calls/dial": {
      "post": {
        "summary": "Click-to-call: ring the operator's phone, then call the number",
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/DialRequest"}}}},
        "responses": {
          "200": {"$ref": "#/components/responses/CallResult"},
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "415": {"$ref": "#/components/responses/UnsupportedMediaType"},
          "503": {"$ref": "#/components/responses/SipUnavailable"}
        }
      }
    },
    "/api/calls/answer/{callId}": {
      "post": {
        "summary": "Answer a ringing inbound call (the operator's phone picks up by itself)",
        "parameters": [{"$ref": "#/components/parameters/callId"}],
        "responses": {
          "200": {"$ref": "#/components/responses/CallResult"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "404": {"$ref": "#/components/responses/NotFound"},
          "409": {"$ref": "#/components/responses/Conflict"},
          "503": {"$ref": "#/components/responses/SipUnavailable"}
        }
      }
    },
    "/api/calls/hangup/{callId}": {
      "post": {
        "summary": "Hang up, reject or cancel the call as its state needs",
        "parameters": [{"$ref": "#/components/parameters/callId"}],
        "responses": {
          "200": {"$ref": "#/components/responses/CallResult"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "404": {"$ref": "#/components/responses/NotFound"},
          "409": {"$ref": "#/components/responses/Conflict"},
          "503": {"$ref": "#/components/responses/SipUnavailable"}
        }
      }
    },
    "/api/calls/hold/{callId}": {
      "post": {
        "summary": "Put an answered call on hold",
        "parameters": [{"$ref": "#/components/parameters/callId"}],
        "responses": {
          "200": {"$ref": "#/components/responses/CallResult"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "404": {"$ref": "#/components/responses/NotFound"},
          "409": {"$ref": "#/components/responses/Conflict"},
          "503": {"$ref": "#/components/responses/SipUnavailable"}
        }
      }
    },
    "/api/calls/unhold/{callId}": {
      "post": {
        "summary": "Take a held call off hold",
        "parameters": [{"$ref": "#/components/parameters/callId"}],
        "responses": {
          "200": {"$ref": "#/components/responses/CallResult"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "404": {"$ref": "#/components/responses/NotFound"},
          "409": {"$ref": "#/components/responses/Conflict"},
          "503": {"$ref": "#/components/responses/SipUnavailable"}
        }
      }
    },
    "/api/calls/transfer/{callId}": {
      "post": {
        "summary": "Transfer to an extension or a number: blind (the default), or attended (consult the target first, then complete or cancel)",
        "parameters": [{"$ref": "#/components/parameters/callId"}],
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "properties": {"target": {"type": "string", "example": "1002", "description": "a new transfer's extension or number"}, "mode": {"type": "string", "enum": ["blind", "attended"], "default": "blind"}, "action": {"type": "string", "enum": ["complete", "cancel"], "description": "without target: settles the attended transfer under way"}}}}}},
        "responses": {
          "200": {"$ref": "#/components/responses/CallResult"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "404": {"$ref": "#/components/responses/NotFound"},
          "409": {"$ref": "#/components/responses/Conflict"},
          "503": {"$ref": "#/components/responses/SipUnavailable"}
        }
      }
    },
    "/api/calls/{callId}/media": {
      "get": {
        "summary": "An active call's audio so far, per direction, from rtpengine's counters (MEDIA=rtpengine)",
        "parameters": [{"$ref": "#/components/parameters/callId"}],
        "responses": {
          "200": {"description": "the counters", "content": {"application/json": {"schema": {"type": "object", "properties": {"success": {"type": "boolean"}, "callId": {"type": "string"}, "media": {"type": "object", "properties": {"customerToOperator": {"$ref": "#/components/schemas/MediaFlow"}, "operatorToCustomer": {"$ref": "#/components/schemas/MediaFlow"}, "oneWay": {"type": "boolean"}, "noAudio": {"type": "boolean"}}}}}}}},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "404": {"$ref": "#/components/responses/NotFound"},
          "503": {"$ref": "#/components/responses/SipUnavailable"}
        }
      }
    },
    "/api/calls/{callId}/recording": {
      "post": {
        "summary": "Starts or stops recording an active call (RECORDING=on-demand or all); an operator token only for its own extension's calls",
        "parameters": [{"$ref": "#/components/parameters/callId"}],
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["action"], "properties": {"action": {"type": "string", "enum": ["start", "stop"]}}}}}},
        "responses": {
          "200": {"$ref": "#/components/responses/CallResult"},
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "404": {"$ref": "#/components/responses/NotFound"},
          "409": {"description": "RECORDING_OFF: RECORDING=off", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
          "503": {"$ref": "#/components/responses/SipUnavailable"}
        }
      },
      "get": {
        "summary": "A call's recording (RECORDING=all or on-demand): stereo Ogg Opus, the customer on the left and the operator on the right; one byte range served for seeking",
        "parameters": [{"$ref": "#/components/parameters/callId"}, {"name": "Range", "in": "header", "required": false, "schema": {"type": "string", "example": "bytes=0-"}}],
        "responses": {
          "200": {"description": "the whole file", "content": {"audio/ogg": {"schema": {"type": "string", "format": "binary"}}}},
          "206": {"description": "the range asked for, with Content-Range", "content": {"audio/ogg": {"schema": {"type": "string", "format": "binary"}}}},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "404": {"description": "CALL_NOT_FOUND, RECORDING_NOT_FOUND (not recorded, or its file deleted by retention) or RECORDING_FAILED (with the reason)", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
          "409": {"description": "RECORDING_NOT_READY: the call is still up, or its file is being made", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
          "416": {"description": "no byte of the file is in the range; Content-Range names the size"},
          "503": {"$ref": "#/components/responses/DatabaseUnavailable"}
        }
      }
    },
    "/api/calls/logs": {
      "get": {
        "summary": "Call history, newest first",
        "parameters": [{"$ref": "#/components/parameters/limit"}, {"$ref": "#/components/parameters/offset"}],
        "responses": {
          "200": {"$ref": "#/components/responses/CallPage"},
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "503": {"$ref": "#/components/responses/DatabaseUnavailable"}
        }
      }
    },
    "/api/calls/logs/phone/{phone}": {
      "get": {
        "summary": "Calls from or to a number, in any written form (8 999 123-45-67, +79991234567 ...)",
        "parameters": [
          {"name": "phone", "in": "path", "required": true, "schema": {"type": "string"}, "example": "+79991234567"},
          {"$ref": "#/components/parameters/limit"}, {"$ref": "#/components/parameters/offset"}
        ],
        "responses": {
          "200": {"$ref": "#/components/responses/CallPage"},
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "503": {"$ref": "#/components/responses/DatabaseUnavailable"}
        }
      }
    },
    "/api/calls/stats/{extension}": {
      "get": {
        "summary": "Statistics of one operator over whole days in the service's time zone (both dates included; default: the last 30 days)",
        "parameters": [
          {"name": "extension", "in": "path", "required": true, "schema": {"type": "string", "pattern": "^[0-9]{1,16}$"}},
          {"name": "from", "in": "query", "schema": {"type": "string", "format": "date"}, "example": "2025-11-01"},
          {"name": "to", "in": "query", "schema": {"type": "string", "format": "date"}, "example": "2025-11-08"}
        ],
        "responses": {
          "200": {"description": "Statistics", "content": {"application/json": {"schema": {"type": "object", "required": ["stats"], "properties": {"stats": {"$ref": "#/components/schemas/Stats"}}}}}},
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "503": {"$ref": "#/components/responses/DatabaseUnavailable"}
        }
      }
    },
    "/api/calls/{callId}/customer": {
      "post": {
        "summary": "Link the call to a customer",
        "parameters": [{"$ref": "#/components/parameters/callId"}],
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["customerId"], "properties": {"customerId": {"type": "string"}, "customerName": {"type": "string"}, "customerPhone": {"type": "string"}}}}}},
        "responses": {
          "200": {"$ref": "#/components/responses/CallResult"},
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "404": {"$ref": "#/components/responses/NotFound"},
          "415": {"$ref": "#/components/responses/UnsupportedMediaType"},
          "503": {"$ref": "#/components/responses/DatabaseUnavailable"}
        }
      }
    },
    "/api/calls/{callId}/order": {
      "post": {
        "summary": "Link the call to an order (a call may produce several)",
        "parameters": [{"$ref": "#/components/parameters/callId"}],
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["orderId"], "properties": {"orderId": {"type": "string"}}}}}},
        "responses": {
          "200": {"$ref": "#/components/responses/CallResult"},
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "404": {"$ref": "#/components/responses/NotFound"},
          "415": {"$ref": "#/components/responses/UnsupportedMediaType"},
          "503": {"$ref": "#/components/responses/DatabaseUnavailable"}
        }
      }
    },
    "/api/calls/{callId}/notes": {
      "post": {
        "summary": "Add a note; its author is the token's name",
        "parameters": [{"$ref": "#/components/parameters/callId"}],
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["note"], "properties": {"note": {"type": "string", "minLength": 1, "maxLength": 2000}}}}}},
        "responses": {
          "200": {"$ref": "#/components/responses/CallResult"},
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "404": {"$ref": "#/components/responses/NotFound"},
          "415": {"$ref": "#/components/responses/UnsupportedMediaType"},
          "503": {"$ref": "#/components/responses/DatabaseUnavailable"}
        }
      }
    },
    "/api/operators": {
      "get": {
        "summary": "Operators' states for the board (operators: their own), the pause reasons, WRAPUP_SECONDS and BUSY_WHEN",
        "responses": {
          "200": {"description": "The operators", "content": {"application/json": {"schema": {"type": "object", "properties": {"operators": {"type": "array", "items": {"$ref": "#/components/schemas/OperatorState"}}, "pauseReasons": {"type": "array", "items": {"type": "string"}}, "wrapupSeconds": {"type": "integer"}, "busyWhen": {"type": "array", "items": {"type": "string"}}}}}}},
          "401": {"$ref": "#/components/responses/Unauthorized"}
        }
      }
    },
    "/api/operators/{extension}/status": {
      "post": {
        "summary": "The operator's choice: available, or paused with one of the pause reasons (an operator token: its own extension)",
        "parameters": [{"name": "extension", "in": "path", "required": true, "schema": {"type": "string"}}],
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["status"], "properties": {"status": {"type": "string", "enum": ["available", "paused"]}, "reason": {"type": "string", "description": "required with paused: one of pauseReasons"}}}}}},
        "responses": {
          "200": {"description": "The operator's state now", "content": {"application/json": {"schema": {"type": "object", "properties": {"success": {"type": "boolean"}, "operator": {"$ref": "#/components/schemas/OperatorState"}}}}}},
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "404": {"$ref": "#/components/responses/NotFound"}
        }
      }
    },
    "/api/callbacks": {
      "get": {
        "summary": "The callback list: customers whose inbound calls nobody answered (missed, busy, rejected, given up) within CALLBACK_DAYS, oldest first, until an answered call connects with the number either way",
        "parameters": [{"name": "status", "in": "query", "schema": {"type": "string", "enum": ["waiting", "calledBack", "calledAgain", "all"], "default": "waiting"}}],
        "responses": {
          "200": {"description": "The entries", "content": {"application/json": {"schema": {"type": "object", "properties": {"success": {"type": "boolean"}, "callbacks": {"type": "array", "items": {"$ref": "#/components/schemas/Callback"}}, "days": {"type": "integer"}}}}}},
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "503": {"$ref": "#/components/responses/DatabaseUnavailable"}
        }
      }
    },
    "/api/callbacks/stats": {
      "get": {
        "summary": "Callback figures of the customers first missed within whole local days from..to: how many, called back, got through themselves, still waiting, the median time to call back",
        "parameters": [{"name": "from", "in": "query", "schema": {"type": "string", "format": "date"}}, {"name": "to", "in": "query", "schema": {"type": "string", "format": "date"}}],
        "responses": {
          "200": {"description": "The figures", "content": {"application/json": {"schema": {"type": "object", "properties": {"success": {"type": "boolean"}, "stats": {"type": "object", "properties": {"missedCallers": {"type": "integer"}, "calledBack": {"type": "integer"}, "calledAgain": {"type": "integer"}, "waiting": {"type": "integer"}, "calledBackRate": {"type": "number"}, "medianSecondsToCallBack": {"type": "integer", "nullable": true}, "oldestWaitingSince": {"type": "string", "format": "date-time", "nullable": true}, "from": {"type": "string", "format": "date"}, "to": {"type": "string", "format": "date"}}}}}}}},
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "503": {"$ref": "#/components/responses/DatabaseUnavailable"}
        }
      }
    },
    "/api/queues": {
      "get": {
        "summary": "The service's queues: each a line of the service that customers call, its members (operators' lines with a tier), strategy, ring time per offer, maximum wait and overflow number",
        "responses": {
          "200": {"description": "The queues", "content": {"application/json": {"schema": {"type": "object", "properties": {"success": {"type": "boolean"}, "queues": {"type": "array", "items": {"$ref": "#/components/schemas/Queue"}}}}}}},
          "401": {"$ref": "#/components/responses/Unauthorized"}
        }
      }
    },
    "/api/queues/{extension}": {
      "put": {
        "summary": "Creates or replaces the queue on this line (admin); saved, then used at once",
        "parameters": [{"name": "extension", "in": "path", "required": true, "schema": {"type": "string"}}],
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Queue"}}}},
        "responses": {
          "200": {"description": "Saved", "content": {"application/json": {"schema": {"type": "object", "properties": {"success": {"type": "boolean"}, "queue": {"$ref": "#/components/schemas/Queue"}}}}}},
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "503": {"$ref": "#/components/responses/DatabaseUnavailable"}
        }
      },
      "delete": {
        "summary": "Removes the queue on this line (admin); its line then rings as an ordinary line",
        "parameters": [{"name": "extension", "in": "path", "required": true, "schema": {"type": "string"}}],
        "responses": {
          "200": {"description": "Removed", "content": {"application/json": {"schema": {"type": "object", "properties": {"success": {"type": "boolean"}}}}}},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "404": {"$ref": "#/components/responses/NotFound"},
          "503": {"$ref": "#/components/responses/DatabaseUnavailable"}
        }
      }
    },
    "/api/queues/{extension}/stats": {
      "get": {
        "summary": "A queue's figures over whole local days from..to: offered, answered, abandoned (those shorter than QUEUE_SHORT_ABANDON_SECONDS apart), the service level (answered within QUEUE_SERVICE_LEVEL_SECONDS), average and longest wait, average handle time",
        "parameters": [{"name": "extension", "in": "path", "required": true, "schema": {"type": "string"}}, {"name": "from", "in": "query", "schema": {"type": "string", "format": "date"}}, {"name": "to", "in": "query", "schema": {"type": "string", "format": "date"}}],
        "responses": {
          "200": {"description": "The figures", "content": {"application/json": {"schema": {"type": "object", "properties": {"success": {"type": "boolean"}, "stats": {"type": "object", "properties": {"queue": {"type": "string"}, "name": {"type": "string", "nullable": true}, "offered": {"type": "integer"}, "answered": {"type": "integer"}, "abandoned": {"type": "integer"}, "shortAbandoned": {"type": "integer"}, "waiting": {"type": "integer"}, "serviceLevel": {"type": "number", "nullable": true}, "serviceLevelSeconds": {"type": "integer"}, "shortAbandonSeconds": {"type": "integer"}, "averageWaitSeconds": {"type": "number"}, "longestWaitSeconds": {"type": "number"}, "averageHandleSeconds": {"type": "number"}, "from": {"type": "string", "format": "date"}, "to": {"type": "string", "format": "date"}}}}}}}},
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "503": {"$ref": "#/components/responses/DatabaseUnavailable"}
        }
      }
    },
    "/api/settings/pause-reasons": {
      "put": {
        "summary": "The reasons an operator may pause for (admin): saved, then used at once; operators already paused keep theirs",
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["reasons"], "properties": {"reasons": {"type": "array", "minItems": 1, "maxItems": 30, "items": {"type": "string", "minLength": 1, "maxLength": 64}}}}}}},
        "responses": {
          "200": {"description": "Saved", "content": {"application/json": {"schema": {"type": "object", "properties": {"success": {"type": "boolean"}, "pauseReasons": {"type": "array", "items": {"type": "string"}}}}}}},
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "503": {"$ref": "#/components/responses/DatabaseUnavailable"}
        }
      }
    },
    "/api/settings/sms": {
      "get": {
        "summary": "The texts of the SMS sent after a missed call and after an order, and the gateway's host (admin)",
        "responses": {
          "200": {"description": "Settings", "content": {"application/json": {"schema": {"type": "object", "properties": {"settings": {"$ref": "#/components/schemas/SmsSettings"}}}}}},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"}
        }
      },
      "put": {
        "summary": "Save the SMS texts (admin); absent fields keep their text, an empty one sends none of its kind",
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "properties": {"missedText": {"type": "string", "maxLength": 500}, "orderText": {"type": "string", "maxLength": 500}}}}}},
        "responses": {
          "200": {"description": "Saved", "content": {"application/json": {"schema": {"type": "object", "properties": {"success": {"type": "boolean"}, "settings": {"$ref": "#/components/schemas/SmsSettings"}}}}}},
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "503": {"$ref": "#/components/responses/DatabaseUnavailable"}
        }
      }
    },
    "/api/settings/pbx": {
      "get": {
        "summary": "PBX settings in effect (admin)",
        "responses": {
          "200": {"description": "Settings", "content": {"application/json": {"schema": {"type": "object", "properties": {"settings": {"$ref": "#/components/schemas/PbxSettings"}}}}}},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"}
        }
      },
      "put": {
        "summary": "Save PBX settings (admin); absent fields keep their value; applied without a restart",
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PbxSettings"}}}},
        "responses": {
          "200": {"description": "Saved", "content": {"application/json": {"schema": {"type": "object", "properties": {"success": {"type": "boolean"}, "settings": {"$ref": "#/components/schemas/PbxSettings"}}}}}},
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "415": {"$ref": "#/components/responses/UnsupportedMediaType"}
        }
      }
    },
    "/api/settings/test-connection": {
      "post": {
        "summary": "Diagnose the connection to the PBX with the given values before saving them (admin): name, transport (OPTIONS round trip), a trial registration per account",
        "requestBody": {"content": {"application/json": {"schema": {"type": "object", "properties": {"server": {"type": "string"}, "port": {"type": "integer"}, "transport": {"type": "string", "enum": ["UDP", "TCP", "TLS"]}, "users": {"type": "array", "items": {"type": "object", "required": ["extension", "username"], "properties": {"extension": {"type": "string"}, "username": {"type": "string"}, "password": {"type": "string", "description": "omitted: the saved password of this extension"}}}}}}}}},
        "responses": {
          "200": {"description": "The steps: each ok, failed or skipped, with a message", "content": {"application/json": {"schema": {"type": "object", "properties": {"success": {"type": "boolean"}, "ok": {"type": "boolean"}, "steps": {"type": "array", "items": {"type": "object", "required": ["step", "title", "status", "outcome", "message"], "properties": {"step": {"type": "string", "enum": ["name", "transport", "account"]}, "title": {"type": "string"}, "status": {"type": "string", "enum": ["ok", "failed", "skipped"]}, "outcome": {"type": "string", "enum": ["resolved", "not_resolved", "answered", "no_answer", "accepted", "wrong_password", "unknown_user", "refused", "skipped"]}, "message": {"type": "string"}, "address": {"type": "string"}, "rttMs": {"type": "integer"}, "sipStatus": {"type": "integer"}, "extension": {"type": "string"}, "username": {"type": "string"}}}}}}}}},
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "503": {"$ref": "#/components/responses/SipUnavailable"}
        }
      }
    },
    "/api/settings/users": {
      "get": {
        "summary": "Operators' PBX accounts with their line state (admin); passwords are never returned",
        "responses": {
          "200": {"description": "Accounts", "content": {"application/json": {"schema": {"type": "object", "properties": {"users": {"type": "array", "items": {"$ref": "#/components/schemas/SipUser"}}}}}}},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"}
        }
      },
      "post": {
        "summary": "Add an account (admin)",
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SipUserInput"}}}},
        "responses": {
          "201": {"$ref": "#/components/responses/SipUserResult"},
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "409": {"$ref": "#/components/responses/Conflict"}
        }
      }
    },
    "/api/settings/users/{extension}": {
      "put": {
        "summary": "Change an account (admin); an absent password keeps the old one",
        "parameters": [{"$ref": "#/components/parameters/extension"}],
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SipUserInput"}}}},
        "responses": {
          "200": {"$ref": "#/components/responses/SipUserResult"},
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "404": {"$ref": "#/components/responses/NotFound"}
        }
      },
      "delete": {
        "summary": "Remove an account (admin)",
        "parameters": [{"$ref": "#/components/parameters/extension"}],
        "responses": {
          "200": {"$ref": "#/components/responses/SipUserResult"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "404": {"$ref": "#/components/responses/NotFound"}
        }
      }
    },
    "/api/tokens": {
      "get": {
        "summary": "API tokens (admin); neither secrets nor hashes",
        "responses": {
          "200": {"description": "Tokens", "content": {"application/json": {"schema": {"type": "object", "properties": {"tokens": {"type": "array", "items": {"$ref": "#/components/schemas/Token"}}}}}}},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"}
        }
      },
      "post": {
        "summary": "Issue a token (admin); the secret is in this answer only",
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["name", "role"], "properties": {"name": {"type": "string"}, "role": {"type": "string", "enum": ["operator", "supervisor", "admin", "metrics"], "description": "metrics: reads /metrics only"}, "extension": {"type": "string", "pattern": "^[0-9]{1,16}$", "description": "required for operator tokens"}}}}}},
        "responses": {
          "201": {"description": "Issued", "content": {"application/json": {"schema": {"allOf": [{"$ref": "#/components/schemas/Token"}, {"type": "object", "properties": {"success": {"type": "boolean"}, "token": {"type": "string", "description": "the secret, shown once"}}}]}}}},
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"}
        }
      }
    },
    "/api/tokens/{id}": {
      "delete": {
        "summary": "Revoke a token (admin)",
        "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
        "responses": {
          "200": {"description": "Revoked", "content": {"application/json": {"schema": {"type": "object", "properties": {"success": {"type": "boolean"}, "id": {"type": "string"}}}}}},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "404": {"$ref": "#/components/responses/NotFound"}
        }
      }
    },
    "/api/webhooks": {
      "get": {
        "summary": "Webhook subscriptions (admin) with their backlog and last delivery; never a secret",
        "responses": {
          "200": {"description": "Webhooks", "content": {"application/json": {"schema": {"type": "object", "properties": {"webhooks": {"type": "array", "items": {"$ref": "#/components/schemas/Webhook"}}}}}}},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "503": {"$ref": "#/components/responses/DatabaseUnavailable"}
        }
      },
      "post": {
        "summary": "Subscribe a URL to events (admin); the signing secret is in this answer only",
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["url", "events"], "properties": {"url": {"type": "string", "description": "http:// or https://"}, "events": {"type": "array", "items": {"type": "string"}, "description": "event names (call:ended, operator:state, recording:ready, ...), a family (call:*) or *"}}}}}},
        "responses": {
          "201": {"description": "Subscribed", "content": {"application/json": {"schema": {"allOf": [{"$ref": "#/components/schemas/Webhook"}, {"type": "object", "properties": {"secret": {"type": "string", "description": "whsec_...: signs X-FoodFlow-Signature; shown once"}}}]}}}},
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"}
        }
      }
    },
    "/api/webhooks/{id}": {
      "delete": {
        "summary": "Unsubscribe (admin); what the webhook was still owed is dropped",
        "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
        "responses": {
          "200": {"description": "Unsubscribed", "content": {"application/json": {"schema": {"type": "object", "properties": {"success": {"type": "boolean"}, "id": {"type": "string"}}}}}},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "404": {"$ref": "#/components/responses/NotFound"}
        }
      }
    },
    "/api/webhooks/{id}/deliveries": {
      "get": {
        "summary": "A webhook's newest deliveries (admin)",
        "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}, {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 500, "default": 50}}],
        "responses": {
          "200": {"description": "Deliveries, newest first", "content": {"application/json": {"schema": {"type": "object", "properties": {"deliveries": {"type": "array", "items": {"$ref": "#/components/schemas/WebhookDelivery"}}}}}}},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "404": {"$ref": "#/components/responses/NotFound"},
          "503": {"$ref": "#/components/responses/DatabaseUnavailable"}
        }
      }
    },
    "/api/webhooks/{id}/test": {
      "post": {
        "summary": "Send a webhook:test event to this webhook (admin), delivered like any other",
        "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
        "responses": {
          "202": {"description": "Put in the outbox", "content": {"application/json": {"schema": {"type": "object", "properties": {"success": {"type": "boolean"}, "eventId": {"type": "string"}}}}}},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "404": {"$ref": "#/components/responses/NotFound"},
          "503": {"$ref": "#/components/responses/DatabaseUnavailable"}
        }
      }
    }
  },
  "components": )json";

}  // namespace

std::string_view openapi_document() {
    // The paths here, the shared schemas, parameters and responses in openapi_components.cpp.
    static const std::string whole = std::string(document) + std::string(openapi_components()) + "\n}";
    return whole;
}

}  // namespace ff::api
