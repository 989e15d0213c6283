// Recognises the DATABASE_URL forms this build can open and explains the ones it cannot.
#include "store/database_url.hpp"

#include <libpq-fe.h>

#include <algorithm>
#include <cctype>
#include <string_view>

namespace ff::store {
namespace {

constexpr std::string_view supported_forms =
    "supported are sqlite:./relative/path.db, sqlite:///absolute/path.db, sqlite::memory: and "
    "postgresql://user:password@host:5432/database";

calls::Error invalid(std::string message) {
    return calls::make_error(calls::ErrorCode::invalid_argument, std::move(message));
}

std::string lowercase(std::string_view text) {
    std::string result(text);
    std::transform(result.begin(), result.end(), result.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return result;
}

// RFC 3986: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ). Anything else is not a scheme, and is not
// echoed back because it might be a password.
bool is_scheme(std::string_view text) {
    if (text.empty() || std::isalpha(static_cast<unsigned char>(text.front())) == 0) return false;
    return std::all_of(text.begin(), text.end(), [](unsigned char c) {
        return std::isalnum(c) != 0 || c == '+' || c == '-' || c == '.';
    });
}

// libpq's parser decides what a valid URL is, so the storage accepts exactly what it can connect with.
// Its messages may quote the faulty part of the URL, which may be the password: they are not repeated.
calls::Result<DatabaseLocation> parse_postgres_url(const std::string& scheme, std::string_view rest) {
    if (!rest.starts_with("//")) {
        return invalid("DATABASE_URL: " + scheme + ": must be followed by //host (" + scheme +
                       "://user:password@host:5432/database)");
    }
    DatabaseLocation location;
    location.backend = DatabaseLocation::Backend::postgres;
    location.conninfo = scheme + ":" + std::string(rest);
    char* message = nullptr;
    PQconninfoOption* options = PQconninfoParse(location.conninfo.c_str(), &message);
    PQfreemem(message);
    if (options == nullptr) {
        return invalid("DATABASE_URL is not a valid PostgreSQL URL; expected " + scheme +
                       "://user:password@host:5432/database with percent-encoded special characters");
    }
    PQconninfoFree(options);
    return location;
}

}  // namespace

calls::Result<DatabaseLocation> parse_database_url(const std::string& database_url) {
    const auto colon = database_url.find(':');
    if (database_url.empty()) return invalid("DATABASE_URL is empty; " + std::string(supported_forms));
    if (colon == std::string::npos || !is_scheme(std::string_view(database_url).substr(0, colon))) {
        return invalid("DATABASE_URL does not start with a scheme such as sqlite:; " +
                       std::string(supported_forms));
    }
    const std::string scheme = lowercase(std::string_view(database_url).substr(0, colon));
    const std::string_view rest = std::string_view(database_url).substr(colon + 1);

    if (scheme == "postgresql" || scheme == "postgres") return parse_postgres_url(scheme, rest);
    if (scheme != "sqlite") {
        return invalid("DATABASE_URL scheme \"" + scheme + "\" is not supported; " +
                       std::string(supported_forms));
    }

    DatabaseLocation location;
    if (rest == ":memory:") {
        location.path = ":memory:";
        return location;
    }
    std::string_view path = rest;
    if (path.starts_with("//")) {
        // sqlite:///abs/path.db: an empty authority followed by an absolute path.
        path.remove_prefix(2);
        if (!path.starts_with('/')) {
            return invalid(
                "DATABASE_URL: sqlite:// must be followed by an absolute path "
                "(sqlite:///var/lib/calls.db); " +
                std::string(supported_forms));
        }
    }
    if (path.empty())
        return invalid("DATABASE_URL: the sqlite: URL names no file; " + std::string(supported_forms));
    if (path.find('\0') != std::string_view::npos)
        return invalid("DATABASE_URL: the SQLite path contains a NUL byte");
    location.path = std::string(path);
    return location;
}

}  // namespace ff::store
