// Start-up order, wiring of the parts, and a graceful shutdown on SIGTERM/SIGINT.
#include "app/service.hpp"

#include <pthread.h>
#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <atomic>
#include <csignal>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <future>
#include <iostream>
#include <spdlog/spdlog.h>
#include <thread>

#include "api/front_door.hpp"
#include "api/api_services.hpp"
#include "api/call_links.hpp"
#include "api/recording_file.hpp"
#include "api/route_table.hpp"
#include "app/admin_bootstrap.hpp"
#include "app/call_recordings.hpp"
#include "app/callback_watch.hpp"
#include "app/cluster_membership.hpp"
#include "app/copy_log_command.hpp"
#include "app/ivr_keys.hpp"
#include "app/logging.hpp"
#include "app/media_plane.hpp"
#include "app/sip_load.hpp"
#include "app/metrics_sources.hpp"
#include "app/operator_states.hpp"
#include "app/startup_config.hpp"
#include "app/token_commands.hpp"
#include "auth/token_registry.hpp"
#include "config/address_allow_list.hpp"
#include "config/live_settings.hpp"
#include "directory/customer_directory.hpp"
#include "directory/phone_normalizer.hpp"
#include "http/http_client.hpp"
#include "http/server.hpp"
#include "realtime/realtime_server.hpp"
#include "store/call_log_writer.hpp"
#include "store/database_url.hpp"
#include "store/past_customers.hpp"
#include "store/store_worker.hpp"
#include "sms/sms_notifier.hpp"
#include "webhooks/webhooks.hpp"

namespace ff::app {
namespace {

namespace asio = boost::asio;
constexpr auto token_reload_period = std::chrono::seconds(3);

// Runs `job` on the storage thread and waits for its result: start-up only, never while serving.
template <class T>
T on_storage(store::StoreWorker& worker, std::function<T(store::Storage&)> job) {
    std::promise<T> promise;
    auto result = promise.get_future();
    worker.post([&](store::Storage& storage) { promise.set_value(job(storage)); });
    return result.get();
}

// Settings saved from the settings page, read at start-up. The database answered the migrations a moment
// ago; should this read fail all the same (logged by the storage), the service starts on the environment's
// settings rather than not at all, and the next save from the settings page writes them again.
template <class T>
std::optional<T> saved_or_environment(calls::Result<std::optional<T>> saved) {
    return saved ? std::move(saved).value() : std::nullopt;
}

// Call records wait in SPOOL_DIR (default DATA_DIR/spool) while the database is away.
store::CallLogWriterOptions call_log_options(const config::ServiceConfig& config) {
    store::CallLogWriterOptions options;
    const std::filesystem::path directory =
        config.spool_dir.empty() ? std::filesystem::path(config.data_dir) / "spool" : std::filesystem::path(config.spool_dir);
    options.spool_path = directory / "call-log.jsonl";
    const auto location = store::parse_database_url(config.database_url);
    options.backend =
        location && location.value().backend == store::DatabaseLocation::Backend::postgres ? "PostgreSQL" : "SQLite";
    return options;
}

webhooks::DispatcherOptions webhook_options(const config::ServiceConfig& config) {
    webhooks::DispatcherOptions options;
    options.timeout = std::chrono::seconds(config.webhook_timeout_seconds);
    options.retry.longest = std::chrono::seconds(config.webhook_retry_max_seconds);
    options.retry.give_up_after = std::chrono::hours(config.webhook_retry_hours);
    return options;
}

sms::NotifierOptions sms_options(const config::ServiceConfig& config, const config::LiveSettings& settings) {
    sms::NotifierOptions options;
    options.gateway = {config.sms_gateway_url, config.sms_gateway_method, config.sms_gateway_body,
                       config.sms_gateway_content_type, config.sms_gateway_headers, std::chrono::seconds(10)};
    options.missed_text = [&settings] { return settings.sms_texts().missed; };
    options.order_text = [&settings] { return settings.sms_texts().order; };
    options.min_interval = std::chrono::minutes(config.sms_min_interval_minutes);
    return options;
}

// CLI-created or revoked tokens reach the running service through the database.
void reload_tokens_periodically(asio::steady_timer& timer, store::StoreWorker& worker, auth::TokenRegistry& tokens) {
    timer.expires_after(token_reload_period);
    timer.async_wait([&timer, &worker, &tokens](boost::system::error_code error) {
        if (error) return;
        // A read: on a reader connection it never holds up a call record, even while the database is away.
        worker.post_read([&tokens](store::Storage& storage) {
            // A reload that failed (the database away, logged by the storage) keeps the tokens loaded before:
            // loading nothing would refuse every client until the database is back.
            auto listed = storage.list_tokens();
            if (listed) tokens.load(listed.value());
        });
        reload_tokens_periodically(timer, worker, tokens);
    });
}

int serve(const config::ServiceConfig& config, std::unique_ptr<store::Storage> storage,
          const CallControlFactory& make_call_control, const ExtraRoutes& install_extra_routes) {
    // A peer that closed its socket is an error to handle, not the end of the process: hiredis writes with
    // write(), which would otherwise raise SIGPIPE on a Redis connection that broke.
    std::signal(SIGPIPE, SIG_IGN);
    store::StoreWorker worker(std::move(storage),
                              store::open_readers(config.database_url, config.database_pool_size - 1));

    const auto settings = config::LiveSettings::from(
        config,
        on_storage<std::optional<config::PbxSettings>>(worker, [](store::Storage& s) { return saved_or_environment(s.load_pbx_settings()); }),
        on_storage<std::optional<std::vector<config::SipUser>>>(
            worker, [](store::Storage& s) { return saved_or_environment(s.load_sip_users()); }),
        on_storage<std::optional<config::SmsTexts>>(worker, [](store::Storage& s) { return saved_or_environment(s.load_sms_texts()); }));

    auth::TokenRegistry tokens;
    const auto bootstrap_error = on_storage<std::string>(worker, [&](store::Storage& s) {
        // Without the stored tokens every client but the admin would be refused: better not to start.
        auto listed = s.list_tokens();
        if (!listed) return listed.error().message;
        tokens.load(listed.value());
        return bootstrap_admin_token(s, tokens, config.admin_token, config.data_dir);
    });
    if (!bootstrap_error.empty()) {
        spdlog::critical("cannot prepare the admin token: {}", bootstrap_error);
        return 1;
    }

    asio::io_context io;
    calls::EventBus bus;
    calls::CallRegistry registry(bus);
    OperatorStates operators(config, bus, worker, io);  // subscribed before anything publishes
    // The reasons the settings page saved replace PAUSE_REASONS.
    if (auto reasons = on_storage<std::optional<std::vector<std::string>>>(
            worker, [](store::Storage& s) { return saved_or_environment(s.load_pause_reasons()); }))
        operators.board().set_pause_reasons(std::move(*reasons));
    store::CallLogWriter call_log(bus, worker, call_log_options(config));
    // Hooked into the call log's writes before anything publishes; a database that cannot list the webhooks
    // (logged by the storage) starts without them until the next reload.
    webhooks::Webhooks webhooks(io, worker, call_log, on_storage<std::vector<store::Webhook>>(worker, [](store::Storage& s) {
        auto listed = s.list_webhooks();
        return listed ? std::move(listed).value() : std::vector<store::Webhook>{};
    }), webhook_options(config));
    CallbackWatch callbacks(bus, worker, std::chrono::hours(24) * config.callback_days);  // after the writer
    std::unique_ptr<sms::SmsNotifier> sms_after_calls;
    if (!config.sms_gateway_url.empty())
        sms_after_calls = std::make_unique<sms::SmsNotifier>(bus, worker, io, sms_options(config, *settings));
    directory::PhoneNormalizer phones(config.default_region);
    directory::CustomerDirectory customers(store::past_customers(worker), io, phones, directory::CustomerDirectoryOptions::from(config));
    sip::TelephonyContext telephony{registry, bus, customers, *settings, io, config};
    telephony.line_busy = [&board = operators.board()](const std::string& extension) {
        return board.refuses_calls(extension);
    };
    // A database that cannot say which queues there are (logged by the storage) starts the service without them.
    auto queues = std::make_shared<calls::QueueList>();
    queues->replace(on_storage<std::vector<calls::QueueConfig>>(worker, [](store::Storage& s) {
        auto saved = s.load_queues();
        return saved ? std::move(saved).value() : std::vector<calls::QueueConfig>{};
    }));
    telephony.queues = queues.get();
    SipLoad sip_load(std::chrono::milliseconds(config.sip_max_delay_ms));
    if (config.sip_max_delay_ms > 0)
        telephony.sip_delay = [&sip_load](std::chrono::milliseconds delay, bool shedding) { sip_load.observe(delay, shedding); };
    telephony.member_available = [&board = operators.board()](const std::string& extension) {
        return board.of(extension).state == calls::OperatorState::available;
    };
    // The browser phones' signals go to the realtime server, which exists only once the engine does.
    std::atomic<realtime::RealtimeServer*> phone_pages{nullptr};
    telephony.phone_signal = [&phone_pages](calls::PhoneSignal signal) {
        if (auto* pages = phone_pages.load()) pages->deliver(std::move(signal));
    };
    auto media_plane = MediaPlane::start(config, ivr_keys(registry, io));
    if (!media_plane) {
        spdlog::critical("{}", media_plane.error().message);
        return 1;
    }
    if (auto* plane = media_plane.value().get()) {
        telephony.media = &plane->anchor();
        telephony.music_on_hold = config.moh_file;
        telephony.media_failed = [plane](const std::string& reason) { plane->call_failed(reason); };
        telephony.public_address_learned = [plane](const std::string& server, const std::string& address,
                                                   const std::string& error) {
            plane->public_address_learned(server, address, error);
        };
    }
    std::unique_ptr<CallRecordings> recordings;
    if (config.recording != config::RecordingMode::off) {
        auto started = CallRecordings::start(config, worker, bus, io);
        if (!started) {
            spdlog::critical("{}", started.error().message);
            return 1;
        }
        recordings = std::move(started).value();
        telephony.recorded = [desk = recordings.get()](sip::RecordedCall call) { desk->finished(std::move(call)); };
    }
    auto cluster = join_cluster(config, registry, bus, io, telephony);
    auto control = make_call_control(telephony);
    if (cluster) cluster->attach(*control);
    calls::CallControl& shown_control = cluster ? cluster->control() : *control;
    const calls::CallView& shown_calls = cluster ? cluster->calls() : static_cast<const calls::CallView&>(registry);

    realtime::RealtimeOptions realtime_options;
    // No pages found (warned at start-up): no bundle either, rather than a path from the root.
    if (!config.web_dir.empty())
        realtime_options.client_bundle_dir = config.web_dir + "/node_modules/socket.io-client/dist";
    // Only an engine that speaks SIP (not the test simulator) carries browser phones; they are this instance's.
    realtime::RealtimeServer realtime(io, realtime_options, tokens, shown_calls, shown_control,
                                      dynamic_cast<calls::BrowserPhones*>(control.get()));
    bus.subscribe([&realtime](const calls::Event& event) { realtime.publish(event); });
    phone_pages = &realtime;
    tokens.on_revocation([&realtime] { realtime.revalidate_tokens(); });

    api::ApiServices services{registry, shown_calls, shown_control, worker, tokens, phones, *settings, bus, io};
    services.version = PJSIP_SERVICE_VERSION;
    services.operators = &operators.board();
    services.callback_days = config.callback_days;
    if (const auto gateway = http::parse_client_url(config.sms_gateway_url)) services.sms_gateway = gateway->host;
    services.sms_min_interval_minutes = config.sms_min_interval_minutes;
    services.queue_stats = {std::chrono::seconds(config.queue_short_abandon_seconds),
                            std::chrono::seconds(config.queue_service_level_seconds)};
    services.queues = queues;
    services.webhooks = &webhooks;
    services.recording_dir = recording_dir(config).string();  // past recordings stay playable with RECORDING=off
    services.recording_on_request = config.recording != config::RecordingMode::off;
    services.dependencies.push_back([&call_log] {
        const store::DatabaseHealth health = call_log.health();
        return api::DependencyStatus{"database", health.ok(), store::describe(health)};
    });
    if (auto* plane = media_plane.value().get()) {
        services.dependencies.push_back([plane] { return plane->status(); });
    }
    if (config.sip_max_delay_ms > 0) services.dependencies.push_back([&sip_load] { return sip_load.status(); });
    if (cluster) {
        services.instance_id = cluster->node().id();
        services.dependencies.push_back([&node = cluster->node()] { return redis_status(node); });
        services.links = &cluster->links();
        services.recordings = &cluster->recordings();
        if (recordings) recordings->keep_as(cluster->node().id());
        services.share_operator_choice = [&node = cluster->node()](const std::string& extension,
                                                                   calls::OperatorState state,
                                                                   const std::string& reason) {
            node.announce_operator_choice({extension, state, reason});
        };
        cluster->start(
            realtime, call_log, *settings, worker, operators,
            [&services](const std::string& call_id, calls::CallLink link, calls::CallControl::Completion done) {
                api::apply_link(services, call_id, std::move(link), {}, std::move(done));
            },
            [&services](const std::string& call_id, const std::string& range) {
                return api::read_recording_bytes(services.recording_dir, call_id, range);
            });
    }
    metrics::ServiceMetrics metrics(bus, metrics_sources(services, realtime, call_log), services.version);
    services.metrics = &metrics;
    realtime.observe_fanout(metrics.event_fanout_observer());
    call_log.observe_writes(metrics.call_log_write_observer());
    webhooks.dispatcher().observe_deliveries(metrics.webhook_delivery_observer());
    webhooks.start(cluster ? cluster->node().id() : "local");
    std::string unused;
    services.metrics_allow = config::AddressAllowList::parse(config.metrics_allow, unused).value_or(config::AddressAllowList{});
    auto router = std::make_shared<http::Router>();
    api::install_routes(*router, services);
    if (install_extra_routes) install_extra_routes(*router, services);

    api::FrontDoorOptions front_door_options;
    front_door_options.cors_origins = config.cors_origins;
    front_door_options.web_dir = config.web_dir;
    auto on_request = api::make_front_door(router, front_door_options,
                                           [&realtime](http::Request request, http::PeerInfo peer, http::Reply reply) {
                                               realtime.handle_http(std::move(request), std::move(peer), std::move(reply));
                                           });
    http::ServerOptions server_options;
    server_options.host = config.host;
    server_options.port = config.port;
    const std::size_t api_body_limit = config.max_body_bytes;
    const std::size_t stream_body_limit = realtime_options.max_payload;
    server_options.body_limit = [api_body_limit, stream_body_limit](std::string_view target) {
        return target.starts_with("/socket.io/") ? stream_body_limit : api_body_limit;
    };
    http::Server server(io, server_options, on_request,
                        [&realtime](boost::beast::tcp_stream stream, http::Request request, http::PeerInfo peer) {
                            realtime.handle_upgrade(std::move(stream), std::move(request), std::move(peer));
                        });
    if (auto error = server.start(); !error.empty()) {
        spdlog::critical("{}", error);
        return 1;
    }
    spdlog::info("pjsip-service listening on http://{}:{} (call log: {}, {} operator line(s) configured)", config.host,
                 server.port(), redact_secrets(config.database_url), settings->users().size());

    asio::steady_timer token_timer(io);
    reload_tokens_periodically(token_timer, worker, tokens);

    asio::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([&](boost::system::error_code error, int signal_number) {
        if (error) return;
        spdlog::info("signal {} received: draining and stopping", signal_number);
        server.stop();
        token_timer.cancel();
        operators.stop();
        webhooks.stop();
        realtime.shutdown([&io] { io.stop(); });  // clients get a proper close before the loop ends
    });

    std::vector<std::thread> threads;
    for (int i = 1; i < config.http_threads; ++i) {
        threads.emplace_back([&io] {
            pthread_setname_np(pthread_self(), "ff-http");
            io.run();
        });
    }
    io.run();
    for (auto& thread : threads) thread.join();

    // Only finishing from here: another SIGTERM or SIGINT must not kill the process halfway (asio's handler
    // goes with `signals`, so they are ignored outright). The call control goes first, while what its
    // last events reach is still there: the calls still up end, and their endings reach the call log.
    signals.clear();
    std::signal(SIGTERM, SIG_IGN);
    std::signal(SIGINT, SIG_IGN);
    if (cluster) cluster->node().stop();  // other instances' requests are no longer run; our last events still go out
    control.reset();
    cluster.reset();  // what is queued for Redis is written
    worker.drain();  // every call record queued so far reaches the database
    tokens.on_revocation({});
    spdlog::info("stopped; {} call log write(s), {} failed, {} queued on disk", call_log.writes(), call_log.failures(),
                 call_log.health().queued);
    spdlog::default_logger()->flush();
    return 0;
}

}  // namespace

int run_service(int argc, char** argv, const CallControlFactory& make_call_control,
                const ExtraRoutes& install_extra_routes) {
    CLI::App cli{"pjsip-service: FoodFlow telephony service (SIP B2BUA, REST API, Socket.IO, call log)"};
    std::string env_file = ".env";
    bool check_only = false;
    cli.add_option("--env-file", env_file, "file with KEY=VALUE settings; the environment wins over it");
    cli.add_flag("--check-config", check_only, "validate the configuration, print it (secrets masked) and exit");
    TokenCommand token_command;
    auto* token = cli.add_subcommand("token", "create, list or revoke API tokens");
    token->require_subcommand(1);
    auto* create = token->add_subcommand("create", "create a token and print it once");
    create->add_option("--role", token_command.role, "operator, supervisor, admin or metrics (reads /metrics only)")->capture_default_str();
    create->add_option("--extension", token_command.extension, "operator's extension (operators only)");
    create->add_option("--name", token_command.name, "who the token is for")->required();
    token->add_subcommand("list", "list tokens (never the tokens themselves)");
    auto* revoke = token->add_subcommand("revoke", "revoke a token by id");
    revoke->add_option("id", token_command.id, "token id from `token list`")->required();
    CopyLogCommand copy_log_command;
    add_copy_log_command(cli, copy_log_command);
    CLI11_PARSE(cli, argc, argv);

    auto loaded = load_startup_config(env_file);
    if (!loaded) {
        std::cerr << "pjsip-service: configuration is invalid:\n" << loaded.error().message << std::endl;
        return 2;
    }
    config::ServiceConfig config = std::move(loaded).value();
    const std::string pages_warning = settle_web_dir(config);
    settle_music_on_hold(config);
    if (check_only) {
        std::cout << describe_config(config);
        if (!pages_warning.empty()) std::cout << "warning: " << pages_warning << "\n";
        return 0;
    }
    if (!config.timezone.empty()) setenv("TZ", config.timezone.c_str(), 1);
    tzset();
    setup_logging(config.log_level, config.log_format);
    if (copy_log_command.subcommand->parsed())
        return run_copy_log_command(copy_log_command, config.database_url);

    auto storage = store::open_storage(config.database_url);
    if (!storage) {
        spdlog::critical("DATABASE_URL: {}", storage.error().message);
        return 1;
    }
    if (token->parsed()) {
        for (auto* action : token->get_subcommands()) token_command.action = action->get_name();
        return run_token_command(token_command, *storage.value());
    }
    if (!pages_warning.empty()) {
        spdlog::warn("{}", pages_warning);
    } else {
        spdlog::info("pages and the Socket.IO client from {}", config.web_dir);
    }
    return serve(config, std::move(storage).value(), make_call_control, install_extra_routes);
}

}  // namespace ff::app
