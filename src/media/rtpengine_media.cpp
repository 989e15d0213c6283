// The media operations as ng commands, sent to the rtpengine each call is pinned to.
#include "media/rtpengine_media.hpp"

#include <pthread.h>
#include <spdlog/spdlog.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <nlohmann/json.hpp>
#include <mutex>
#include <thread>

#include "media/instance_selector.hpp"
#include "media/ng_query.hpp"

namespace ff::media {

namespace asio = boost::asio;
using nlohmann::json;

namespace {

using Reply = std::function<void(MediaResult<json>)>;

MediaAnchor::StatusCompletion ignore_status() {
    return [](MediaStatus) {};
}

}  // namespace

class RtpengineMedia::Impl {
  public:
    explicit Impl(RtpengineMediaSettings settings)
        : settings_(std::move(settings)), work_(asio::make_work_guard(io_)), selector_(settings_.instances.size()),
          probe_timer_(io_) {
        for (const auto& address : settings_.instances)
            clients_.push_back(std::make_unique<NgClient>(io_, address, settings_.timing));
        schedule_probe();
        thread_ = std::thread([this] {
            pthread_setname_np(pthread_self(), "ff-media");
            io_.run();
        });
    }

    ~Impl() {
        work_.reset();
        io_.stop();
        if (thread_.joinable()) thread_.join();
        clients_.clear();
    }

    // Runs `task` on the media thread.
    template <class Task>
    void on_media_thread(Task task) {
        asio::post(io_, std::move(task));
    }

    // Sends to the call's rtpengine; a new call (`may_pin`) is first pinned to the least busy living one.
    void send(const std::string& call_id, json dictionary, bool may_pin, Reply done) {
        const bool known = selector_.pinned(call_id).has_value();
        const auto instance = may_pin ? selector_.for_call(call_id) : selector_.pinned(call_id);
        if (!instance) {
            const std::string command = dictionary.value("command", "");
            std::string why = may_pin ? "no rtpengine answers (" + instance_list() + "); '" + command +
                                            "' for call " + call_id + " not sent"
                                      : "'" + command + "' for call " + call_id +
                                            ": the call has no media at an rtpengine (no offer was made)";
            done(MediaError{MediaErrorKind::unavailable, std::move(why)});
            return;
        }
        const bool pinned_now = may_pin && !known;
        ask(*instance, dictionary, [this, call_id, pinned_now, dictionary, done = std::move(done)](MediaResult<json> result) mutable {
            // A first offer that failed leaves no media behind: it may go to another instance. One that timed out
            // does at once (ask() has marked that instance dead, so the next living one is picked, until none is).
            if (!result && pinned_now) {
                selector_.forget(call_id);
                if (result.error().kind == MediaErrorKind::timeout) return send(call_id, std::move(dictionary), true, std::move(done));
            }
            done(std::move(result));
        });
    }

    // One request to one instance; its outcome tells whether the instance is alive.
    void ask(std::size_t instance, const json& dictionary, Reply done) {
        clients_[instance]->request(dictionary, [this, instance, done = std::move(done)](MediaResult<json> result) {
            if (!result && result.error().kind == MediaErrorKind::timeout) {
                if (selector_.alive(instance))
                    spdlog::warn("{}; no new calls go there until it answers again", result.error().message);
                selector_.mark_dead(instance);
            } else {
                if (!selector_.alive(instance))
                    spdlog::info("rtpengine {} answers again", clients_[instance]->address().text());
                selector_.mark_alive(instance);
            }
            done(std::move(result));
        });
    }

    void forget(const std::string& call_id) { selector_.forget(call_id); }

    void probe(std::function<void(std::size_t)> done) {
        struct Count {
            std::size_t waiting = 0;
            std::size_t alive = 0;
            std::function<void(std::size_t)> done;
        };
        auto count = std::make_shared<Count>();
        count->waiting = clients_.size();
        count->done = std::move(done);
        if (clients_.empty()) {
            if (count->done) count->done(0);
            return;
        }
        for (std::size_t i = 0; i < clients_.size(); ++i) {
            ask(i, json{{"command", "ping"}}, [count](MediaResult<json> result) {
                if (result) ++count->alive;
                if (--count->waiting == 0 && count->done) count->done(count->alive);
            });
        }
    }

    const RtpengineMediaSettings& settings() const { return settings_; }

    std::string advertised_address() const {
        std::lock_guard lock(advertised_mutex_);
        return advertised_;
    }

    void set_advertised_address(std::string address) {
        std::lock_guard lock(advertised_mutex_);
        advertised_ = std::move(address);
    }

  private:
    void schedule_probe() {
        probe_timer_.expires_after(settings_.probe_every);
        probe_timer_.async_wait([this](const boost::system::error_code& error) {
            if (error) return;
            probe(settings_.probed);
            schedule_probe();
        });
    }

    std::string instance_list() const {
        std::string list;
        for (const auto& address : settings_.instances) list += (list.empty() ? "" : ", ") + address.text();
        return list.empty() ? "none configured" : list;
    }

    RtpengineMediaSettings settings_;
    mutable std::mutex advertised_mutex_;  // offers and answers are built on their callers' threads
    std::string advertised_ = settings_.advertised_address;
    asio::io_context io_;
    asio::executor_work_guard<asio::io_context::executor_type> work_;
    std::vector<std::unique_ptr<NgClient>> clients_;
    InstanceSelector selector_;
    asio::steady_timer probe_timer_;
    std::thread thread_;
};

namespace {

// The SDP of an offer or answer, or an error naming what is missing.
MediaResult<std::string> sdp_of(MediaResult<json> result) {
    if (!result) return result.error();
    const auto found = result.value().find("sdp");
    if (found == result.value().end() || !found->is_string())
        return MediaError{MediaErrorKind::bad_answer, "rtpengine answered without an SDP"};
    return found->get<std::string>();
}

MediaStatus status_of(const MediaResult<json>& result) {
    if (!result) return result.error();
    return calls::Done{};
}

// The flags that make rtpengine write the SDP of an offer (`is_offer`) or answer for a party speaking `to`,
// from one speaking `from`. Between two plain RTP parties the transport passes as it came (SRTP desk phones
// keep theirs). Where a browser takes part its side may restart (a reloaded page: new ICE and DTLS), and
// "port-latching" keeps the plain side's port, so the PBX need not hear of it.
void add_peer_flags(json& dictionary, MediaPeer to, MediaPeer from, bool is_offer) {
    if (to == MediaPeer::webrtc) {
        dictionary["ICE"] = "force";
        dictionary["transport-protocol"] = "UDP/TLS/RTP/SAVPF";
        dictionary["rtcp-mux"] = is_offer ? json::array({"offer", "require"}) : json::array({"require"});
        dictionary["SDES"] = json::array({"off"});
    } else {
        dictionary["ICE"] = "remove";
    }
    if (to == MediaPeer::rtp && from == MediaPeer::webrtc) {
        dictionary["transport-protocol"] = "RTP/AVP";
        dictionary["rtcp-mux"] = json::array({"demux"});
        // A browser offers Opus, G.722, RED ...; the PBX side gets G.711 and DTMF events, which every PBX speaks.
        if (is_offer) dictionary["codec"] = {{"strip", {"all"}}, {"except", {"PCMU", "PCMA", "telephone-event/8000"}}};
    }
    if (to == MediaPeer::webrtc || from == MediaPeer::webrtc) dictionary["flags"].push_back("port-latching");
}

}  // namespace

RtpengineMedia::RtpengineMedia(RtpengineMediaSettings settings)
    : impl_(std::make_unique<Impl>(std::move(settings))) {}

RtpengineMedia::~RtpengineMedia() = default;

void RtpengineMedia::offer(const std::string& call_id, const std::string& from_tag, const std::string& sdp,
                           const OfferOptions& options, SdpCompletion done) {
    json dictionary{{"command", "offer"},
                    {"call-id", call_id},
                    {"from-tag", from_tag},
                    {"sdp", sdp},
                    {"replace", {"origin", "session-connection"}}};
    add_peer_flags(dictionary, options.to, options.from, true);
    if (options.restart) dictionary["flags"].push_back("reset");
    if (options.record) dictionary["record call"] = "yes";
    if (const std::string address = impl_->advertised_address(); !address.empty()) dictionary["media-address"] = address;
    impl_->on_media_thread([impl = impl_.get(), call_id, dictionary = std::move(dictionary),
                            done = std::move(done)]() mutable {
        impl->send(call_id, std::move(dictionary), true,
                   [done = std::move(done)](MediaResult<json> result) { done(sdp_of(std::move(result))); });
    });
}

void RtpengineMedia::answer(const std::string& call_id, const std::string& from_tag, const std::string& to_tag,
                            const std::string& sdp, const AnswerOptions& options, SdpCompletion done) {
    json dictionary{{"command", "answer"},
                    {"call-id", call_id},
                    {"from-tag", from_tag},
                    {"to-tag", to_tag},
                    {"sdp", sdp},
                    {"replace", {"origin", "session-connection"}}};
    add_peer_flags(dictionary, options.to, options.from, false);
    if (const std::string address = impl_->advertised_address(); !address.empty()) dictionary["media-address"] = address;
    impl_->on_media_thread([impl = impl_.get(), call_id, dictionary = std::move(dictionary),
                            done = std::move(done)]() mutable {
        impl->send(call_id, std::move(dictionary), false,
                   [done = std::move(done)](MediaResult<json> result) { done(sdp_of(std::move(result))); });
    });
}

void RtpengineMedia::remove(const std::string& call_id, StatusCompletion done) {
    if (!done) done = ignore_status();
    impl_->on_media_thread([impl = impl_.get(), call_id, done = std::move(done)]() mutable {
        impl->send(call_id, json{{"command", "delete"}, {"call-id", call_id}, {"delete delay", 0}}, false,
                   [impl, call_id, done = std::move(done)](MediaResult<json> result) {
                       impl->forget(call_id);
                       done(status_of(result));
                   });
    });
}

void RtpengineMedia::play(const std::string& call_id, const std::string& tag, const std::string& file,
                          StatusCompletion done) {
    impl_->on_media_thread([impl = impl_.get(), call_id, tag, file, done = std::move(done)]() mutable {
        // Played again and again until stopped: a hold outlasts any file (rtpengine counts the repeats).
        impl->send(call_id,
                   json{{"command", "play media"}, {"call-id", call_id}, {"from-tag", tag}, {"file", file},
                        {"repeat-times", 100000}},
                   false, [done = std::move(done)](MediaResult<json> result) { done(status_of(result)); });
    });
}

void RtpengineMedia::stop_play(const std::string& call_id, const std::string& tag, StatusCompletion done) {
    impl_->on_media_thread([impl = impl_.get(), call_id, tag, done = std::move(done)]() mutable {
        impl->send(call_id, json{{"command", "stop media"}, {"call-id", call_id}, {"from-tag", tag}}, false,
                   [done = std::move(done)](MediaResult<json> result) { done(status_of(result)); });
    });
}

void RtpengineMedia::query(const std::string& call_id, StatsCompletion done) {
    impl_->on_media_thread([impl = impl_.get(), call_id, done = std::move(done)]() mutable {
        impl->send(call_id, json{{"command", "query"}, {"call-id", call_id}}, false,
                   [done = std::move(done)](MediaResult<json> result) {
                       if (!result) {
                           done(result.error());
                           return;
                       }
                       done(parse_query_answer(result.value()));
                   });
    });
}

void RtpengineMedia::start_recording(const std::string& call_id, StatusCompletion done) {
    impl_->on_media_thread([impl = impl_.get(), call_id, done = std::move(done)]() mutable {
        impl->send(call_id, json{{"command", "start recording"}, {"call-id", call_id}}, false,
                   [done = std::move(done)](MediaResult<json> result) { done(status_of(result)); });
    });
}

void RtpengineMedia::stop_recording(const std::string& call_id, StatusCompletion done) {
    impl_->on_media_thread([impl = impl_.get(), call_id, done = std::move(done)]() mutable {
        impl->send(call_id, json{{"command", "stop recording"}, {"call-id", call_id}}, false,
                   [done = std::move(done)](MediaResult<json> result) { done(status_of(result)); });
    });
}

void RtpengineMedia::set_advertised_address(std::string address) {
    impl_->set_advertised_address(std::move(address));
}

void RtpengineMedia::probe(std::function<void(std::size_t alive)> done) {
    impl_->on_media_thread([impl = impl_.get(), done = std::move(done)]() mutable { impl->probe(std::move(done)); });
}

}  // namespace ff::media
