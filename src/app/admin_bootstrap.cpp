// The first admin token goes to a file only its owner can read; logs only say where it is.
#include "app/admin_bootstrap.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "calls/call_registry.hpp"

namespace ff::app {
namespace {

store::TokenRecord admin_record(const std::string& name, const std::string& token) {
    store::TokenRecord record;
    record.id = calls::new_uuid();
    record.name = name;
    record.role = "admin";
    record.hash = auth::hash_token(token);
    record.created_at = calls::now_ms();
    return record;
}

std::string write_private_file(const std::filesystem::path& path, const std::string& content) {
    std::error_code ignored;
    std::filesystem::create_directories(path.parent_path(), ignored);
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) return "cannot write " + path.string() + ": " + std::strerror(errno);
    const std::string line = content + "\n";
    const bool written = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
    ::fchmod(fd, 0600);
    ::close(fd);
    return written ? std::string{} : "cannot write " + path.string();
}

}  // namespace

std::string bootstrap_admin_token(store::TokenStore& store, auth::TokenRegistry& registry,
                                  const std::string& admin_token, const std::string& data_dir) {
    if (!admin_token.empty()) {
        if (registry.authenticate(admin_token)) return {};
        const auto record = admin_record("admin (ADMIN_TOKEN)", admin_token);
        if (auto status = store.insert_token(record); !status) return status.error().message;
        registry.add(record);
        spdlog::info("admin token from ADMIN_TOKEN accepted");
        return {};
    }
    if (registry.has_admin()) return {};
    const std::string token = auth::generate_token();
    const auto path = std::filesystem::path(data_dir) / "admin-token";
    if (auto error = write_private_file(path, token); !error.empty()) return error;
    const auto record = admin_record("first admin", token);
    if (auto status = store.insert_token(record); !status) return status.error().message;
    registry.add(record);
    spdlog::warn("created the first admin token; it is in {} (readable by this user only)", path.string());
    return {};
}

}  // namespace ff::app
