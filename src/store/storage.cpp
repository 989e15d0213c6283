// open_storage: picks the backend that DATABASE_URL names.
#include "store/storage.hpp"

#include <spdlog/spdlog.h>

#include "store/database_url.hpp"
#include "store/postgres/postgres_storage.hpp"
#include "store/sqlite/sqlite_storage.hpp"

namespace ff::store {

calls::Result<std::unique_ptr<Storage>> open_storage(const std::string& database_url) {
    auto location = parse_database_url(database_url);
    if (!location) return location.error();
    switch (location->backend) {
        case DatabaseLocation::Backend::sqlite: {
            auto storage = sqlite::SqliteStorage::open(location->path);
            if (!storage) return storage.error();
            return std::unique_ptr<Storage>(std::move(storage).value());
        }
        case DatabaseLocation::Backend::postgres: {
            auto storage = postgres::PostgresStorage::open(location->conninfo);
            if (!storage) return storage.error();
            return std::unique_ptr<Storage>(std::move(storage).value());
        }
    }
    return calls::make_error(calls::ErrorCode::internal, "unknown storage backend");
}

std::vector<std::unique_ptr<Storage>> open_readers(const std::string& database_url, int count) {
    std::vector<std::unique_ptr<Storage>> readers;
    const auto location = parse_database_url(database_url);
    if (!location || location->in_memory()) return readers;
    for (int i = 0; i < count; ++i) {
        auto reader = open_storage(database_url);
        if (!reader) {
            spdlog::warn("storage: a connection for reads could not be opened ({}); {} serve reads",
                         reader.error().message,
                         readers.empty() ? "the write connection will" : "the others will");
            break;
        }
        readers.push_back(std::move(reader).value());
    }
    return readers;
}

}  // namespace ff::store
