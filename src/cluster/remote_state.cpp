// Every change bumps the version, so the cached /api/calls/active body is rebuilt.
#include "cluster/remote_state.hpp"

namespace ff::cluster {

void RemoteState::apply_call(const std::string& owner, const calls::Call& call) {
    std::lock_guard lock(mutex_);
    if (call.is_active()) {
        calls_[call.id] = OwnedCall{owner, call};
    } else {
        calls_.erase(call.id);
    }
    ++version_;
}

void RemoteState::replace(std::vector<OwnedCall> calls, std::map<std::string, std::vector<calls::LineState>> lines) {
    std::lock_guard lock(mutex_);
    calls_.clear();
    for (auto& owned : calls)
        if (owned.call.is_active()) calls_[owned.call.id] = std::move(owned);
    lines_.clear();
    for (auto& [owner, owned_lines] : lines)
        for (auto& line : owned_lines) lines_[owner][line.extension] = std::move(line);
    available_ = true;
    ++version_;
}

void RemoteState::set_available(bool available) {
    std::lock_guard lock(mutex_);
    if (available_ == available) return;
    available_ = available;
    ++version_;
}

void RemoteState::forget_call(const std::string& call_id) {
    std::lock_guard lock(mutex_);
    if (calls_.erase(call_id) != 0) ++version_;
}

void RemoteState::set_line(const std::string& owner, const calls::LineState& line) {
    std::lock_guard lock(mutex_);
    lines_[owner][line.extension] = line;
}

void RemoteState::forget_instance(const std::string& owner) {
    std::lock_guard lock(mutex_);
    lines_.erase(owner);
    std::erase_if(calls_, [&owner](const auto& entry) { return entry.second.owner == owner; });
    ++version_;
}

std::optional<RemoteState::OwnedCall> RemoteState::find(const std::string& call_id) const {
    std::lock_guard lock(mutex_);
    const auto found = calls_.find(call_id);
    if (found == calls_.end()) return std::nullopt;
    return found->second;
}

std::vector<calls::Call> RemoteState::calls() const {
    std::lock_guard lock(mutex_);
    std::vector<calls::Call> out;
    if (!available_) return out;
    out.reserve(calls_.size());
    for (const auto& [id, owned] : calls_) out.push_back(owned.call);
    return out;
}

std::vector<std::pair<std::string, calls::LineState>> RemoteState::lines() const {
    std::lock_guard lock(mutex_);
    std::vector<std::pair<std::string, calls::LineState>> out;
    if (!available_) return out;
    for (const auto& [owner, lines] : lines_)
        for (const auto& [extension, line] : lines) out.emplace_back(owner, line);
    return out;
}

std::optional<std::string> RemoteState::instance_with_phone(const std::string& extension, Staleness staleness) const {
    std::lock_guard lock(mutex_);
    if (!available_ && staleness == Staleness::refused) return std::nullopt;
    for (const auto& [owner, lines] : lines_) {
        const auto found = lines.find(extension);
        if (found != lines.end() && found->second.device_registered) return owner;
    }
    return std::nullopt;
}

std::uint64_t RemoteState::version() const {
    std::lock_guard lock(mutex_);
    return version_;
}

}  // namespace ff::cluster
