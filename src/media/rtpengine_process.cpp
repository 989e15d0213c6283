// fork+exec rather than posix_spawn: the child asks for SIGKILL when its supervisor thread goes away, so an
// rtpengine never outlives a crashed service. All spawning and reaping happens on the supervisor thread.
#include "media/rtpengine_process.hpp"

#include <pthread.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <condition_variable>
#include <cstring>
#include <deque>
#include <filesystem>
#include <future>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <thread>

namespace ff::media {

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr std::size_t kept_lines = 20;
constexpr auto stable_run = std::chrono::seconds(30);  // a child that lived this long resets the delay

bool executable(const std::string& path) { return ::access(path.c_str(), X_OK) == 0; }

std::optional<std::string> find_binary(const std::string& wanted) {
    const std::string name = wanted.empty() ? "rtpengine" : wanted;
    if (name.find('/') != std::string::npos) {
        if (executable(name)) return name;
        return std::nullopt;
    }
    if (const char* path = std::getenv("PATH")) {
        std::string_view rest = path;
        while (!rest.empty()) {
            const auto colon = rest.find(':');
            const std::string dir(rest.substr(0, colon));
            rest = colon == rest.npos ? std::string_view{} : rest.substr(colon + 1);
            if (!dir.empty() && executable(dir + "/" + name)) return dir + "/" + name;
        }
    }
    if (wanted.empty() && executable("/usr/bin/rtpengine")) return "/usr/bin/rtpengine";
    return std::nullopt;
}

// A UDP port free on 127.0.0.1 right now (0 when none could be had), below the kernel's ephemeral ports
// (32768 and up by default): a port the kernel hands out may be taken by any client socket before rtpengine
// binds it, one of these only by a program that names it.
std::uint16_t free_udp_port() {
    constexpr unsigned first = 22000, count = 10000;  // 22000-31999
    const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return 0;
    std::random_device random;
    std::uint16_t port = 0;
    for (int attempt = 0; attempt < 50 && port == 0; ++attempt) {
        const auto candidate = static_cast<std::uint16_t>(first + random() % count);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        address.sin_port = htons(candidate);
        if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0) port = candidate;
    }
    ::close(fd);
    return port;
}

std::string exit_text(int status) {
    if (WIFEXITED(status)) return "exited with status " + std::to_string(WEXITSTATUS(status));
    if (WIFSIGNALED(status)) return std::string("was killed by signal ") + strsignal(WTERMSIG(status));
    return "stopped";
}

// rtpengine's own level word ("ERR: [core] ...") decides ours; its per-command INFO lines are debug here.
void log_line(const std::string& line) {
    if (line.starts_with("ERR") || line.starts_with("CRIT") || line.starts_with("ALERT") ||
        line.starts_with("EMERG")) {
        spdlog::error("rtpengine: {}", line);
    } else if (line.starts_with("WARNING")) {
        spdlog::warn("rtpengine: {}", line);
    } else {
        spdlog::debug("rtpengine: {}", line);
    }
}

}  // namespace

std::vector<std::string> rtpengine_arguments(const RtpengineProcessSettings& settings, const std::string& binary,
                                             std::uint16_t ng_port) {
    // --config-file=none: Debian's /etc/rtpengine/rtpengine.conf (kernel table, CLI port, proc recording)
    // must not leak in. --table=-1: userspace forwarding only, no kernel module, no root.
    std::string interface = settings.address.empty() ? "any" : settings.address;
    if (!settings.advertised_address.empty()) interface += "!" + settings.advertised_address;
    std::vector<std::string> arguments{binary,
                                       "--config-file=none",
                                       "--foreground",
                                       "--table=-1",
                                       "--log-stderr",
                                       "--no-log-timestamps",
                                       "--interface=" + interface,
                                       "--listen-ng=127.0.0.1:" + std::to_string(ng_port),
                                       "--port-min=" + std::to_string(settings.port_min),
                                       "--port-max=" + std::to_string(settings.port_max)};
    if (!settings.recording_dir.empty()) {
        arguments.push_back("--recording-dir=" + settings.recording_dir);
        arguments.push_back("--recording-method=pcap");
    }
    if (!settings.key_log_address.empty()) arguments.push_back("--dtmf-log-dest=" + settings.key_log_address);
    return arguments;
}

bool ping_rtpengine(const NgAddress& address, milliseconds timeout) {
    addrinfo hints{};
    hints.ai_socktype = SOCK_DGRAM;
    addrinfo* found = nullptr;
    if (::getaddrinfo(address.host.c_str(), std::to_string(address.port).c_str(), &hints, &found) != 0 || !found)
        return false;
    const int fd = ::socket(found->ai_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    bool pong = false;
    if (fd >= 0 && ::connect(fd, found->ai_addr, found->ai_addrlen) == 0) {
        const std::string cookie = "probe" + std::to_string(::getpid());
        const std::string datagram = cookie + " {\"command\":\"ping\"}";
        const auto deadline = Clock::now() + timeout;
        if (::send(fd, datagram.data(), datagram.size(), 0) >= 0) {
            char buffer[2048];
            while (!pong) {
                const auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now()).count();
                pollfd waiting{fd, POLLIN, 0};
                if (left <= 0 || ::poll(&waiting, 1, static_cast<int>(left)) <= 0) break;
                const ssize_t size = ::recv(fd, buffer, sizeof buffer, 0);
                if (size <= 0) break;  // a refused port: nothing listens (yet)
                const std::string_view answer(buffer, static_cast<std::size_t>(size));
                if (!answer.starts_with(cookie + " ")) continue;
                const auto body = nlohmann::json::parse(answer.substr(cookie.size() + 1), nullptr, false);
                pong = body.is_object() && body.value("result", "") == "pong";
            }
        }
    }
    if (fd >= 0) ::close(fd);
    ::freeaddrinfo(found);
    return pong;
}

class RtpengineProcess::Impl {
  public:
    explicit Impl(RtpengineProcessSettings settings) : settings_(std::move(settings)) {}
    ~Impl() { stop(); }

    MediaStatus start() {
        const auto binary = find_binary(settings_.binary);
        if (!binary) {
            return MediaError{MediaErrorKind::unavailable,
                              "rtpengine not found (" +
                                  (settings_.binary.empty() ? std::string("looked for rtpengine on PATH and /usr/bin")
                                                            : "RTPENGINE_BINARY=" + settings_.binary) +
                                  "): install rtpengine-daemon or set RTPENGINE_BINARY"};
        }
        if (supervisor_.joinable() || stopping())
            return MediaError{MediaErrorKind::unavailable, "rtpengine: started or stopped already"};
        binary_ = *binary;
        std::promise<MediaStatus> first;
        auto started = first.get_future();
        supervisor_ = std::thread([this, &first] {
            pthread_setname_np(pthread_self(), "ff-rtpengine");
            supervise(first);
        });
        MediaStatus result = started.get();
        if (!result) supervisor_.join();
        return result;
    }

    void stop() {
        pid_t child = -1;
        {
            std::lock_guard lock(mutex_);
            stopping_ = true;
            child = pid_;
        }
        changed_.notify_all();
        if (child > 0) {
            ::kill(child, SIGTERM);
            std::unique_lock lock(mutex_);
            if (!changed_.wait_for(lock, settings_.stop_grace, [&] { return pid_ != child; })) {
                spdlog::warn("rtpengine (pid {}) did not stop on SIGTERM within {} ms; killing it", child,
                             settings_.stop_grace.count());
                ::kill(child, SIGKILL);  // not reaped yet (pid_ is still it), so the pid is still ours
            }
        }
        if (supervisor_.joinable()) supervisor_.join();
    }

    NgAddress ng_address() const { return NgAddress{"127.0.0.1", port_}; }

    pid_t pid() const {
        std::lock_guard lock(mutex_);
        return pid_;
    }

    int restarts() const {
        std::lock_guard lock(mutex_);
        return restarts_;
    }

    bool wait_for_restarts(int count, milliseconds timeout) const {
        std::unique_lock lock(mutex_);
        return changed_.wait_for(lock, timeout, [&] { return restarts_ >= count; });
    }

  private:
    bool stopping() const {
        std::lock_guard lock(mutex_);
        return stopping_;
    }

    void supervise(std::promise<MediaStatus>& first) {
        // A port found free may be taken before rtpengine binds it: a few fresh ones before giving up.
        MediaStatus launched = MediaError{};
        for (int attempt = 0; attempt < 5; ++attempt) {
            port_ = free_udp_port();
            launched = launch();
            if (launched || stopping() || launched.error().message.find("Address already in use") == std::string::npos)
                break;
        }
        const bool running = launched.ok();
        if (running)
            spdlog::info("rtpengine started (pid {}), ng on {}", pid(), ng_address().text());
        first.set_value(std::move(launched));  // `first` is gone after this
        if (!running) return;

        auto delay = settings_.restart_delay;
        bool have_child = true;
        auto started_at = Clock::now();
        while (true) {
            if (have_child) {
                const pid_t child = pid();
                int status = 0;
                while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
                }
                reaped(child);
                if (stopping()) return;
                if (Clock::now() - started_at >= stable_run) delay = settings_.restart_delay;
                spdlog::warn("rtpengine (pid {}) {}; restarting it in {} ms", child, exit_text(status),
                             delay.count());
            }
            {
                std::unique_lock lock(mutex_);
                if (changed_.wait_for(lock, delay, [&] { return stopping_; })) return;
            }
            const MediaStatus again = launch();
            delay = std::min(delay * 2, settings_.restart_delay_max);
            have_child = again.ok();
            if (!have_child) {
                if (stopping()) return;
                spdlog::error("rtpengine restart failed: {}; trying again in {} ms", again.error().message,
                              delay.count());
                continue;
            }
            started_at = Clock::now();
            {
                std::lock_guard lock(mutex_);
                ++restarts_;
            }
            changed_.notify_all();
            spdlog::info("rtpengine restarted (pid {}, restart {}), ng on {}", pid(), restarts(),
                         ng_address().text());
        }
    }

    // Spawns the child and waits for its first pong. On failure no child is left behind.
    MediaStatus launch() {
        const auto arguments = rtpengine_arguments(settings_, binary_, port_);
        std::vector<char*> argv;
        for (const auto& argument : arguments) argv.push_back(const_cast<char*>(argument.c_str()));
        argv.push_back(nullptr);
        int output[2];
        if (::pipe2(output, O_CLOEXEC) != 0)
            return MediaError{MediaErrorKind::unavailable, std::string("rtpengine: pipe failed: ") + strerror(errno)};
        const pid_t parent = ::getpid();
        const pid_t child = ::fork();
        if (child < 0) {
            ::close(output[0]);
            ::close(output[1]);
            return MediaError{MediaErrorKind::unavailable, std::string("rtpengine: fork failed: ") + strerror(errno)};
        }
        if (child == 0) {
            ::prctl(PR_SET_PDEATHSIG, SIGKILL);
            if (::getppid() != parent) ::_exit(127);  // the supervisor went away before prctl
            ::signal(SIGPIPE, SIG_DFL);  // the service ignores it; rtpengine gets the default back
            ::dup2(output[1], STDOUT_FILENO);
            ::dup2(output[1], STDERR_FILENO);
            ::close_range(3, ~0U, 0);  // none of the service's sockets (SIP, HTTP) is held by rtpengine
            ::execv(argv[0], argv.data());
            ::_exit(127);
        }
        ::close(output[1]);
        {
            std::lock_guard lock(mutex_);
            pid_ = child;
            lines_.clear();
        }
        if (reader_.joinable()) reader_.join();
        reader_ = std::thread([this, fd = output[0]] {
            pthread_setname_np(pthread_self(), "ff-rtpe-output");
            read_output(fd);
        });

        const auto deadline = Clock::now() + settings_.ready_timeout;
        const std::string command = binary_ + " --listen-ng=127.0.0.1:" + std::to_string(port_);
        while (true) {
            int status = 0;
            if (::waitpid(child, &status, WNOHANG) == child) {
                reaped(child);
                return MediaError{MediaErrorKind::unavailable,
                                  "rtpengine (" + command + ") " + exit_text(status) + " at start: " + last_lines()};
            }
            if (ping_rtpengine(ng_address(), milliseconds(100))) return calls::Done{};
            if (stopping() || Clock::now() >= deadline) {
                ::kill(child, SIGKILL);
                ::waitpid(child, &status, 0);
                reaped(child);
                return MediaError{MediaErrorKind::timeout,
                                  "rtpengine (" + command + ") did not answer a ping within " +
                                      std::to_string(settings_.ready_timeout.count()) + " ms: " + last_lines()};
            }
        }
    }

    void reaped(pid_t child) {
        {
            std::lock_guard lock(mutex_);
            if (pid_ == child) pid_ = -1;
        }
        changed_.notify_all();
        if (reader_.joinable()) reader_.join();  // the pipe ends with the child
    }

    void read_output(int fd) {
        std::string pending;
        char buffer[4096];
        while (true) {
            const ssize_t size = ::read(fd, buffer, sizeof buffer);
            if (size < 0 && errno == EINTR) continue;
            if (size <= 0) break;
            pending.append(buffer, static_cast<std::size_t>(size));
            for (auto end = pending.find('\n'); end != pending.npos; end = pending.find('\n')) {
                keep_line(pending.substr(0, end));
                pending.erase(0, end + 1);
            }
        }
        if (!pending.empty()) keep_line(pending);
        ::close(fd);
    }

    void keep_line(const std::string& line) {
        log_line(line);
        std::lock_guard lock(mutex_);
        lines_.push_back(line);
        if (lines_.size() > kept_lines) lines_.pop_front();
    }

    std::string last_lines() const {
        std::lock_guard lock(mutex_);
        if (lines_.empty()) return "no output";
        std::string text;
        for (const auto& line : lines_) text += (text.empty() ? "" : " | ") + line;
        return text;
    }

    RtpengineProcessSettings settings_;
    std::string binary_;
    std::uint16_t port_ = 0;
    mutable std::mutex mutex_;
    mutable std::condition_variable changed_;
    pid_t pid_ = -1;
    bool stopping_ = false;
    int restarts_ = 0;
    std::deque<std::string> lines_;
    std::thread supervisor_;
    std::thread reader_;
};

RtpengineProcess::RtpengineProcess(RtpengineProcessSettings settings)
    : impl_(std::make_unique<Impl>(std::move(settings))) {}

RtpengineProcess::~RtpengineProcess() = default;

MediaStatus RtpengineProcess::start() { return impl_->start(); }

void RtpengineProcess::stop() { impl_->stop(); }

NgAddress RtpengineProcess::ng_address() const { return impl_->ng_address(); }

pid_t RtpengineProcess::pid() const { return impl_->pid(); }

int RtpengineProcess::restarts() const { return impl_->restarts(); }

bool RtpengineProcess::wait_for_restarts(int count, milliseconds timeout) const {
    return impl_->wait_for_restarts(count, timeout);
}

}  // namespace ff::media
