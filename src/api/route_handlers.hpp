// Every REST endpoint's handler; route_table.cpp says which path and role each one serves.
#pragma once

#include "api/api_request.hpp"

namespace ff::api {

// health_route.cpp
void handle_health(ApiServices& services, const ApiRequestPtr& request);
void handle_metrics(ApiServices& services, const ApiRequestPtr& request);
// me_route.cpp
void handle_me(ApiServices& services, const ApiRequestPtr& request);
// active_calls_route.cpp
void handle_active_calls(ApiServices& services, const ApiRequestPtr& request);
// call_control_routes.cpp
void handle_dial(ApiServices& services, const ApiRequestPtr& request);
void handle_answer(ApiServices& services, const ApiRequestPtr& request);
void handle_hangup(ApiServices& services, const ApiRequestPtr& request);
void handle_hold(ApiServices& services, const ApiRequestPtr& request);
void handle_call_media(ApiServices& services, const ApiRequestPtr& request);
void handle_unhold(ApiServices& services, const ApiRequestPtr& request);
void handle_transfer(ApiServices& services, const ApiRequestPtr& request);
// recording_routes.cpp
void handle_record_call(ApiServices& services, const ApiRequestPtr& request);
void handle_call_recording(ApiServices& services, const ApiRequestPtr& request);
// call_log_routes.cpp
void handle_logs(ApiServices& services, const ApiRequestPtr& request);
void handle_logs_by_phone(ApiServices& services, const ApiRequestPtr& request);
// call_stats_route.cpp
void handle_stats(ApiServices& services, const ApiRequestPtr& request);
// call_link_routes.cpp
void handle_link_customer(ApiServices& services, const ApiRequestPtr& request);
void handle_link_order(ApiServices& services, const ApiRequestPtr& request);
void handle_add_note(ApiServices& services, const ApiRequestPtr& request);
// pbx_settings_routes.cpp
void handle_get_pbx_settings(ApiServices& services, const ApiRequestPtr& request);
void handle_put_pbx_settings(ApiServices& services, const ApiRequestPtr& request);
void handle_test_connection(ApiServices& services, const ApiRequestPtr& request);
// sip_user_routes.cpp
void handle_list_sip_users(ApiServices& services, const ApiRequestPtr& request);
void handle_create_sip_user(ApiServices& services, const ApiRequestPtr& request);
void handle_update_sip_user(ApiServices& services, const ApiRequestPtr& request);
void handle_delete_sip_user(ApiServices& services, const ApiRequestPtr& request);
// operator_routes.cpp
void handle_list_operators(ApiServices& services, const ApiRequestPtr& request);
void handle_set_operator_status(ApiServices& services, const ApiRequestPtr& request);
void handle_put_pause_reasons(ApiServices& services, const ApiRequestPtr& request);

// sms_settings_routes.cpp
void handle_get_sms_settings(ApiServices& services, const ApiRequestPtr& request);
void handle_put_sms_settings(ApiServices& services, const ApiRequestPtr& request);
// callback_routes.cpp
void handle_list_callbacks(ApiServices& services, const ApiRequestPtr& request);
void handle_callback_stats(ApiServices& services, const ApiRequestPtr& request);
// queue_routes.cpp
void handle_list_queues(ApiServices& services, const ApiRequestPtr& request);
void handle_put_queue(ApiServices& services, const ApiRequestPtr& request);
void handle_delete_queue(ApiServices& services, const ApiRequestPtr& request);
void handle_queue_stats(ApiServices& services, const ApiRequestPtr& request);
// token_routes.cpp
void handle_list_tokens(ApiServices& services, const ApiRequestPtr& request);
void handle_create_token(ApiServices& services, const ApiRequestPtr& request);
void handle_revoke_token(ApiServices& services, const ApiRequestPtr& request);
// webhook_routes.cpp
void handle_list_webhooks(ApiServices& services, const ApiRequestPtr& request);
void handle_create_webhook(ApiServices& services, const ApiRequestPtr& request);
void handle_delete_webhook(ApiServices& services, const ApiRequestPtr& request);
void handle_webhook_deliveries(ApiServices& services, const ApiRequestPtr& request);
void handle_test_webhook(ApiServices& services, const ApiRequestPtr& request);
// openapi_route.cpp
void handle_openapi(ApiServices& services, const ApiRequestPtr& request);

}  // namespace ff::api
