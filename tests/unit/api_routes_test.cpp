// The REST routes behind the front door, in process: real storage (a SQLite file), real registry and
// tokens, a scripted call control. Requests go through the same handler the HTTP server calls.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <filesystem>
#include <optional>

#include "api/api_services.hpp"
#include "api/front_door.hpp"
#include "api/route_table.hpp"
#include "auth/token_registry.hpp"
#include "calls/call_control.hpp"
#include "calls/call_registry.hpp"
#include "config/live_settings.hpp"
#include "directory/phone_normalizer.hpp"
#include "store/call_log_writer.hpp"
#include "store/store_worker.hpp"

using namespace ff;
namespace beast_http = boost::beast::http;
using nlohmann::json;

namespace {

// Answers every command with what the test set, and remembers what it was asked.
class ScriptedCallControl final : public calls::CallControl {
  public:
    std::optional<calls::Error> refuse_with;
    std::vector<std::string> asked;
    std::optional<calls::DialRequest> last_dial;
    calls::CallRegistry* registry = nullptr;

    void dial(calls::DialRequest request, Completion done) override {
        asked.push_back("dial");
        last_dial = request;
        if (refuse_with) return done(*refuse_with);
        calls::Call call;
        call.direction = calls::Direction::outbound;
        call.from = request.extension;
        call.to = request.destination;
        call.extension = request.extension;
        done(registry->create(call));
    }
    void answer(std::string id, Completion done) override { act("answer", id, done); }
    void hangup(std::string id, Completion done) override { act("hangup", id, done); }
    void hold(std::string id, Completion done) override {
        asked.push_back("hold");
        if (refuse_with) return done(*refuse_with);
        done(registry->apply(id, calls::transition::Held{}));
    }
    void unhold(std::string id, Completion done) override { act("unhold", id, done); }
    void transfer(std::string id, std::string, Completion done) override { act("transfer", id, done); }
    void consult(std::string id, std::string, Completion done) override { act("consult", id, done); }
    void settle_transfer(std::string id, bool complete, Completion done) override {
        act(complete ? "complete-transfer" : "cancel-transfer", id, done);
    }
    calls::TelephonyStatus status() const override {
        calls::TelephonyStatus status{true, 1, {}};
        status.lines.push_back({"1001", "operator1", "Иванов", true, false, "registered"});
        return status;
    }

  private:
    void act(const std::string& what, const std::string& id, const Completion& done) {
        asked.push_back(what);
        if (refuse_with) return done(*refuse_with);
        auto call = registry->find(id);
        if (!call) return done(calls::make_error(calls::ErrorCode::not_found, "no call"));
        done(*call);
    }
};

struct Reply {
    beast_http::status status{};
    json body;
    http::Response response;
};

class ApiRoutes : public ::testing::Test {
  protected:
    ApiRoutes()
        : dir_(std::filesystem::temp_directory_path() /
               ("ff-api-routes-" + std::to_string(::getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name())),
          worker_(open()),
          registry_(bus_),
          writer_(bus_, worker_),
          phones_("RU"),
          settings_(config::PbxSettings{}, {{"operator1", "secret-1", "1001", "Иванов"},
                                            {"operator2", "secret-2", "1002", "Петров"}}),
          services_{registry_, registry_, control_, worker_, tokens_, phones_, settings_, bus_, io_} {
        control_.registry = &registry_;
        auto router = std::make_shared<http::Router>();
        api::install_routes(*router, services_);
        door_ = api::make_front_door(router, {{"http://crm.example.test"}, dir_.string()},
                                     [](http::Request, http::PeerInfo, http::Reply reply) {
                                         http::Response response{beast_http::status::ok, 11};
                                         response.body() = "realtime";
                                         reply(std::move(response));
                                     });
        admin_ = issue(auth::Role::admin, "", "Root");
        supervisor_ = issue(auth::Role::supervisor, "", "Lead");
        operator1_ = issue(auth::Role::operator_, "1001", "Anna");
        operator2_ = issue(auth::Role::operator_, "1002", "Boris");
        bus_.subscribe([this](const calls::Event& event) {
            if (const auto* call_event = std::get_if<calls::CallEvent>(&event))
                events_.push_back(*call_event);
        });
    }
    ~ApiRoutes() override {
        worker_.drain();
        std::filesystem::remove_all(dir_);
    }

    std::unique_ptr<store::Storage> open() {
        std::filesystem::create_directories(dir_);
        auto storage = store::open_storage("sqlite:" + (dir_ / "calls.db").string());
        EXPECT_TRUE(storage);
        return std::move(storage).value();
    }

    std::string issue(auth::Role role, const std::string& extension, const std::string& name) {
        auto issued = auth::issue_token(name, role, extension);
        worker_.post(
            [record = issued.record](store::Storage& storage) { (void)storage.insert_token(record); });
        tokens_.add(issued.record);
        return issued.secret;
    }

    Reply send(beast_http::verb method, const std::string& target, const std::string& token = {},
               std::optional<json> body = std::nullopt,
               std::vector<std::pair<beast_http::field, std::string>> headers = {}) {
        http::Request request{method, target, 11};
        if (!token.empty()) request.set(beast_http::field::authorization, "Bearer " + token);
        if (body) {
            request.set(beast_http::field::content_type, "application/json");
            request.body() = body->dump();
        }
        for (const auto& [field, value] : headers) request.set(field, value);
        request.prepare_payload();
        std::optional<http::Response> answer;
        door_(std::move(request), http::PeerInfo{"127.0.0.1"},
              [&answer](http::Response response) { answer = std::move(response); });
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
        while (!answer && std::chrono::steady_clock::now() < deadline) {
            worker_.drain();
            io_.restart();
            io_.poll();
        }
        EXPECT_TRUE(answer) << target << " was not answered";
        if (!answer) return {};
        Reply reply{answer->result(), json(), *answer};
        if (!answer->body().empty()) reply.body = json::parse(answer->body(), nullptr, false);
        return reply;
    }

    std::string ringing_inbound(const std::string& extension) {
        calls::Call call;
        call.from = "+79991234567";
        call.to = extension;
        call.extension = extension;
        return registry_.create(call)->id;
    }

    std::filesystem::path dir_;
    boost::asio::io_context io_;
    calls::EventBus bus_;
    store::StoreWorker worker_;
    calls::CallRegistry registry_;
    store::CallLogWriter writer_;
    ScriptedCallControl control_;
    auth::TokenRegistry tokens_;
    directory::PhoneNormalizer phones_;
    config::LiveSettings settings_;
    api::ApiServices services_;
    http::RequestHandler door_;
    std::string admin_, supervisor_, operator1_, operator2_;
    std::vector<calls::CallEvent> events_;
};

using beast_http::verb;

}  // namespace

TEST_F(ApiRoutes, health_needs_no_token_and_has_the_seed_fields) {
    const auto reply = send(verb::get, "/health");
    ASSERT_EQ(reply.status, beast_http::status::ok);
    EXPECT_EQ(reply.body["status"], "ok");
    EXPECT_EQ(reply.body["service"], "pjsip-service");
    EXPECT_EQ(reply.body["connected"], true);
    EXPECT_EQ(reply.body["registeredUsers"], 1);
    EXPECT_TRUE(reply.body["timestamp"].is_string());
    EXPECT_EQ(reply.body["activeCalls"], 0);
    EXPECT_EQ(reply.response[beast_http::field::cache_control], "no-store");
}

TEST_F(ApiRoutes, me_names_the_token_holder_role_and_extension) {
    const auto anna = send(verb::get, "/api/me", operator1_);
    ASSERT_EQ(anna.status, beast_http::status::ok);
    EXPECT_EQ(anna.body, (json{{"name", "Anna"}, {"role", "operator"}, {"extension", "1001"}}));
    const auto lead = send(verb::get, "/api/me", supervisor_);
    ASSERT_EQ(lead.status, beast_http::status::ok);
    EXPECT_EQ(lead.body, (json{{"name", "Lead"}, {"role", "supervisor"}, {"extension", nullptr}}));
    EXPECT_EQ(send(verb::get, "/api/me", admin_).body["role"], "admin");
    EXPECT_EQ(send(verb::get, "/api/me").status, beast_http::status::unauthorized);
}

TEST_F(ApiRoutes, every_protected_route_answers_401_without_or_with_a_bad_token) {
    for (const auto& route : api::route_table()) {
        if (route.access == api::Access::open) continue;
        std::string target = route.pattern;
        for (const char* name : {":callId", ":phone", ":extension", ":id"}) {
            if (const auto at = target.find(name); at != std::string::npos)
                target.replace(at, std::strlen(name), "1001");
        }
        for (const std::string& token : {std::string(), std::string("fft_not-a-token")}) {
            const auto reply = send(route.method, target, token, json::object());
            EXPECT_EQ(reply.status, beast_http::status::unauthorized) << target;
            EXPECT_EQ(reply.body["code"], "UNAUTHORIZED") << target;
            EXPECT_EQ(reply.body["success"], false);
            EXPECT_EQ(reply.response[beast_http::field::www_authenticate], "Bearer");
        }
    }
}

TEST_F(ApiRoutes, settings_and_tokens_need_an_admin) {
    for (const auto& token : {operator1_, supervisor_}) {
        EXPECT_EQ(send(verb::get, "/api/settings/pbx", token).status, beast_http::status::forbidden);
        EXPECT_EQ(send(verb::get, "/api/settings/users", token).status, beast_http::status::forbidden);
        EXPECT_EQ(send(verb::get, "/api/tokens", token).body["code"], "FORBIDDEN");
    }
    EXPECT_EQ(send(verb::get, "/api/settings/pbx", admin_).status, beast_http::status::ok);
}

TEST_F(ApiRoutes, revoked_token_is_refused) {
    const auto created =
        send(verb::post, "/api/tokens", admin_, json{{"name", "Temp"}, {"role", "supervisor"}});
    ASSERT_EQ(created.status, beast_http::status::created);
    const std::string secret = created.body["token"];
    EXPECT_EQ(send(verb::get, "/api/calls/active", secret).status, beast_http::status::ok);
    EXPECT_EQ(send(verb::delete_, "/api/tokens/" + created.body["id"].get<std::string>(), admin_).status,
              beast_http::status::ok);
    EXPECT_EQ(send(verb::get, "/api/calls/active", secret).status, beast_http::status::unauthorized);
    EXPECT_EQ(send(verb::delete_, "/api/tokens/unknown-id", admin_).body["code"], "NOT_FOUND");
}

TEST_F(ApiRoutes, unknown_path_is_404_and_wrong_method_405_with_allow) {
    const auto missing = send(verb::get, "/api/nothing", admin_);
    EXPECT_EQ(missing.status, beast_http::status::not_found);
    EXPECT_EQ(missing.body["code"], "NOT_FOUND");
    const auto wrong = send(verb::delete_, "/api/calls/active", admin_);
    EXPECT_EQ(wrong.status, beast_http::status::method_not_allowed);
    EXPECT_EQ(wrong.body["code"], "METHOD_NOT_ALLOWED");
    EXPECT_EQ(wrong.response[beast_http::field::allow], "GET, OPTIONS");
}

TEST_F(ApiRoutes, preflight_from_allowed_origin_lists_methods_and_refused_origin_gets_403) {
    const auto allowed = send(verb::options, "/api/settings/pbx", {}, std::nullopt,
                              {{beast_http::field::origin, "http://crm.example.test"},
                               {beast_http::field::access_control_request_method, "PUT"}});
    EXPECT_EQ(allowed.status, beast_http::status::no_content);
    EXPECT_EQ(allowed.response[beast_http::field::access_control_allow_origin], "http://crm.example.test");
    EXPECT_EQ(allowed.response[beast_http::field::access_control_allow_methods], "GET, PUT, OPTIONS");
    const auto refused = send(verb::options, "/api/settings/pbx", {}, std::nullopt,
                              {{beast_http::field::origin, "http://evil.example.test"}});
    EXPECT_EQ(refused.status, beast_http::status::forbidden);
    EXPECT_EQ(refused.response.count(beast_http::field::access_control_allow_origin), 0u);
}

TEST_F(ApiRoutes, realtime_paths_go_to_the_stream_with_cors_headers) {
    const auto reply = send(verb::get, "/socket.io/?EIO=4&transport=polling", {}, std::nullopt,
                            {{beast_http::field::origin, "http://crm.example.test"}});
    EXPECT_EQ(reply.response.body(), "realtime");
    EXPECT_EQ(reply.response[beast_http::field::access_control_allow_origin], "http://crm.example.test");
}

TEST_F(ApiRoutes, operator_sees_only_own_active_calls) {
    ringing_inbound("1001");
    ringing_inbound("1002");
    EXPECT_EQ(send(verb::get, "/api/calls/active", operator1_).body["calls"].size(), 1u);
    EXPECT_EQ(send(verb::get, "/api/calls/active", operator1_).body["calls"][0]["extension"], "1001");
    EXPECT_EQ(send(verb::get, "/api/calls/active", supervisor_).body["calls"].size(), 2u);
    ringing_inbound("1001");
    EXPECT_EQ(send(verb::get, "/api/calls/active", operator1_).body["calls"].size(),
              2u);  // the cache followed
}

TEST_F(ApiRoutes, dial_validates_every_field_and_normalises_the_number) {
    const auto dial = [this](const std::string& token, json body) {
        return send(verb::post, "/api/calls/dial", token, body);
    };
    EXPECT_EQ(dial(admin_, {{"to", "+79991234567"}}).body["error"], "from is required");
    EXPECT_NE(dial(admin_, {{"from", "1009"}, {"to", "+79991234567"}})
                  .body["error"]
                  .get<std::string>()
                  .find("from"),
              std::string::npos);
    EXPECT_EQ(dial(admin_, {{"from", "1001"}, {"to", "call me"}}).status, beast_http::status::bad_request);
    EXPECT_EQ(dial(admin_, {{"from", "1001"}, {"to", "+79991234567"}, {"autoAnswer", "yes"}}).body["error"],
              "autoAnswer must be true or false");
    EXPECT_EQ(dial(operator2_, {{"from", "1001"}, {"to", "+79991234567"}}).status,
              beast_http::status::forbidden);
    EXPECT_TRUE(control_.asked.empty());

    const auto placed =
        dial(operator1_, {{"from", "1001"}, {"to", "8 (999) 123-45-67"}, {"autoAnswer", true}});
    ASSERT_EQ(placed.status, beast_http::status::ok);
    EXPECT_EQ(placed.body["success"], true);
    EXPECT_EQ(placed.body["call"]["to"], "+79991234567");
    EXPECT_EQ(placed.body["call"]["status"], "ringing");
    ASSERT_TRUE(control_.last_dial);
    EXPECT_TRUE(control_.last_dial->auto_answer);
}

TEST_F(ApiRoutes, unavailable_call_control_is_503) {
    control_.refuse_with = calls::make_error(calls::ErrorCode::unavailable, "the SIP engine is not running");
    const auto reply = send(verb::post, "/api/calls/dial", admin_, json{{"from", "1001"}, {"to", "1002"}});
    EXPECT_EQ(reply.status, beast_http::status::service_unavailable);
    EXPECT_EQ(reply.body["code"], "SIP_UNAVAILABLE");
}

TEST_F(ApiRoutes, call_actions_check_existence_owner_and_state_before_asking_sip) {
    const std::string id = ringing_inbound("1001");
    const auto unknown = send(verb::post, "/api/calls/hold/no-such-call", admin_);
    EXPECT_EQ(unknown.status, beast_http::status::not_found);
    EXPECT_EQ(unknown.body["code"], "CALL_NOT_FOUND");
    EXPECT_EQ(send(verb::post, "/api/calls/answer/" + id, operator2_).status, beast_http::status::forbidden);
    const auto ringing_hold = send(verb::post, "/api/calls/hold/" + id, operator1_);
    EXPECT_EQ(ringing_hold.status, beast_http::status::conflict);
    EXPECT_EQ(ringing_hold.body["code"], "INVALID_CALL_STATE");
    EXPECT_TRUE(control_.asked.empty());
    ASSERT_TRUE(registry_.apply(id, calls::transition::Answered{calls::now_ms()}));
    const auto held = send(verb::post, "/api/calls/hold/" + id, operator1_);
    EXPECT_EQ(held.status, beast_http::status::ok);
    EXPECT_EQ(held.body["call"]["status"], "held");
    EXPECT_EQ(send(verb::post, "/api/calls/transfer/" + id, operator1_, json::object()).body["error"],
              "target is required");
}

TEST_F(ApiRoutes, sip_engine_refusing_by_state_is_409) {
    const std::string id = ringing_inbound("1001");
    control_.refuse_with = calls::make_error(calls::ErrorCode::invalid_state, "the call already ended");
    const auto reply = send(verb::post, "/api/calls/answer/" + id, admin_);
    EXPECT_EQ(reply.status, beast_http::status::conflict);
    EXPECT_EQ(reply.body["code"], "INVALID_CALL_STATE");
}

TEST_F(ApiRoutes, note_on_an_ended_call_has_its_author_and_is_announced) {
    const std::string id = ringing_inbound("1001");
    ASSERT_TRUE(registry_.apply(id, calls::transition::Ended{calls::EndReason::missed, calls::now_ms()}));
    events_.clear();
    const auto reply =
        send(verb::post, "/api/calls/" + id + "/notes", operator1_, json{{"note", "перезвонить"}});
    ASSERT_EQ(reply.status, beast_http::status::ok) << reply.body;
    EXPECT_EQ(reply.body["call"]["notes"][0]["author"], "Anna");
    EXPECT_EQ(reply.body["call"]["notes"][0]["text"], "перезвонить");
    ASSERT_EQ(events_.size(), 1u);
    EXPECT_EQ(events_[0].kind, calls::CallEventKind::updated);
    EXPECT_EQ(send(verb::post, "/api/calls/" + id + "/notes", operator2_, json{{"note", "x"}}).status,
              beast_http::status::forbidden);
    EXPECT_EQ(send(verb::post, "/api/calls/unknown/notes", admin_, json{{"note", "x"}}).body["code"],
              "CALL_NOT_FOUND");
}

TEST_F(ApiRoutes, customer_on_an_active_call_updates_the_registry) {
    const std::string id = ringing_inbound("1001");
    worker_.drain();
    const auto reply =
        send(verb::post, "/api/calls/" + id + "/customer", operator1_,
             json{{"customerId", "c-1"}, {"customerName", "Иван"}, {"customerPhone", "8 999 123 45 67"}});
    ASSERT_EQ(reply.status, beast_http::status::ok) << reply.body;
    EXPECT_EQ(reply.body["call"]["customer"]["phone"], "+79991234567");
    EXPECT_EQ(reply.body["call"]["status"], "ringing");
    EXPECT_EQ(registry_.find(id)->customer->id, "c-1");
}

TEST_F(ApiRoutes, sip_user_passwords_are_never_returned) {
    const auto created =
        send(verb::post, "/api/settings/users", admin_,
             json{{"extension", "1003"}, {"username", "operator3"}, {"password", "pa55-word"}});
    ASSERT_EQ(created.status, beast_http::status::created) << created.body;
    EXPECT_EQ(send(verb::post, "/api/settings/users", admin_,
                   json{{"extension", "1003"}, {"username", "x"}, {"password", "y"}})
                  .status,
              beast_http::status::conflict);
    const auto listed = send(verb::get, "/api/settings/users", admin_);
    EXPECT_EQ(listed.body["users"].size(), 3u);
    for (const auto& body : {created.response.body(), listed.response.body()}) {
        EXPECT_EQ(body.find("pa55-word"), std::string::npos);
        EXPECT_EQ(body.find("secret-1"), std::string::npos);
    }
    EXPECT_EQ(listed.body["users"][0]["passwordSet"], true);
    EXPECT_EQ(listed.body["users"][0]["registered"], true);
    // Omitting the password keeps it.
    ASSERT_EQ(send(verb::put, "/api/settings/users/1003", admin_, json{{"displayName", "Сидоров"}}).status,
              beast_http::status::ok);
    EXPECT_EQ(settings_.find_user("1003")->password, "pa55-word");
    EXPECT_EQ(send(verb::delete_, "/api/settings/users/1009", admin_).status, beast_http::status::not_found);
}

TEST_F(ApiRoutes, bodies_must_be_json) {
    http::Request request{verb::post, "/api/calls/dial", 11};
    request.set(beast_http::field::authorization, "Bearer " + admin_);
    request.set(beast_http::field::content_type, "text/plain");
    request.body() = "from=1001";
    std::optional<http::Response> answer;
    door_(request, {}, [&answer](http::Response response) { answer = std::move(response); });
    ASSERT_TRUE(answer);
    EXPECT_EQ(answer->result(), beast_http::status::unsupported_media_type);
    request.set(beast_http::field::content_type, "application/json");
    request.body() = R"({"from":)";
    answer.reset();
    door_(request, {}, [&answer](http::Response response) { answer = std::move(response); });
    ASSERT_TRUE(answer);
    EXPECT_EQ(answer->result(), beast_http::status::bad_request);
    EXPECT_NE(answer->body().find("INVALID_JSON"), std::string::npos);
}

TEST_F(ApiRoutes, logs_paging_is_validated) {
    EXPECT_EQ(
        send(verb::get, "/api/calls/logs?limit=0", admin_).body["error"].get<std::string>().rfind("limit", 0),
        0u);
    EXPECT_EQ(send(verb::get, "/api/calls/logs?offset=-1", admin_)
                  .body["error"]
                  .get<std::string>()
                  .rfind("offset", 0),
              0u);
    const auto page = send(verb::get, "/api/calls/logs?limit=5", admin_);
    EXPECT_EQ(page.body["limit"], 5);
    EXPECT_EQ(page.body["total"], 0);
}
